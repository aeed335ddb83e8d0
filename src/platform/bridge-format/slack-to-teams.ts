import { shortcodesToEmoji } from './emoji';
import { mentionText, type PeopleDirectory } from './people';

/**
 * Slack mrkdwn -> Teams HTML (a chatMessage body with contentType html). Slack's syntax as
 * "Formatting text for app surfaces" (docs.slack.dev/messaging/formatting-message-text) documents
 * it: *bold*, _italic_, ~strike~, `code`, ```code block```, > quote lines, <url|text> links,
 * <@U123> / <#C123|name> / <!here> mentions, &amp; &lt; &gt; escapes, \n line breaks; lists are lines
 * starting "• " or "- " (or "1. "), which Slack shows as written. Mentions become readable text
 * (the person's name), never an id Teams cannot resolve.
 */
export function slackToTeamsHtml(mrkdwn: string, people: PeopleDirectory = () => undefined): string {
  const parts = mrkdwn.split(/```/);
  return parts.map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? `<pre>${codeBlock(part)}</pre>` : blocks(part, people))).join('');
}

function codeBlock(text: string): string {
  // Slack text is already escaped (&amp; &lt; &gt;): valid HTML text as it stands.
  return text.replace(/^\n/, '').replace(/\n$/, '');
}

type Block = { kind: 'quote' | 'ul' | 'ol' | 'line'; text: string };

function blocks(text: string, people: PeopleDirectory): string {
  const grouped: Block[][] = [];
  for (const line of text.split('\n')) {
    const block = classify(line);
    const last = grouped[grouped.length - 1];
    if (last && block.kind !== 'line' && last[0].kind === block.kind) last.push(block);
    else grouped.push([block]);
  }
  const html = grouped.map((group) => {
    const inner = group.map((b) => inline(b.text, people));
    switch (group[0].kind) {
      case 'quote': return `<blockquote>${inner.join('<br>')}</blockquote>`;
      case 'ul': return `<ul>${inner.map((li) => `<li>${li}</li>`).join('')}</ul>`;
      case 'ol': return `<ol>${inner.map((li) => `<li>${li}</li>`).join('')}</ol>`;
      default: return inner[0];
    }
  });
  // Lines join with <br>, except next to a block element, which breaks the line itself.
  return html.reduce((out, piece, i) => {
    if (i === 0) return piece;
    const blockish = /^<(blockquote|ul|ol)>/.test(piece) || /<\/(blockquote|ul|ol)>$/.test(html[i - 1]);
    return `${out}${blockish ? '' : '<br>'}${piece}`;
  }, '');
}

function classify(line: string): Block {
  let m: RegExpExecArray | null;
  if ((m = /^(?:&gt;|>)\s?(.*)$/.exec(line))) return { kind: 'quote', text: m[1] };
  if ((m = /^\s*[•◦▪-]\s+(.*)$/.exec(line))) return { kind: 'ul', text: m[1] };
  if ((m = /^\s*\d+[.)]\s+(.*)$/.exec(line))) return { kind: 'ol', text: m[1] };
  return { kind: 'line', text: line };
}

/** Inline formatting of one line: angle-bracket entities and inline code first (their text is not formatted). */
function inline(line: string, people: PeopleDirectory): string {
  const pieces: string[] = [];
  const token = /<([^<>]+)>|`([^`\n]+)`/g;
  let at = 0;
  for (let m = token.exec(line); m; m = token.exec(line)) {
    pieces.push(emphasis(line.slice(at, m.index)));
    pieces.push(m[1] !== undefined ? angle(m[1], people) : `<code>${m[2]}</code>`);
    at = m.index + m[0].length;
  }
  pieces.push(emphasis(line.slice(at)));
  return pieces.join('');
}

function emphasis(text: string): string {
  const wrap = (s: string, mark: string, tag: string) => s.replace(
    new RegExp(`(^|[\\s(])\\${mark}(?=\\S)([^${mark}\\n]*?\\S)\\${mark}(?=$|[\\s).,!?:;])`, 'g'), `$1<${tag}>$2</${tag}>`,
  );
  return shortcodesToEmoji(wrap(wrap(wrap(text, '*', 'b'), '_', 'i'), '~', 's'));
}

function angle(inner: string, people: PeopleDirectory): string {
  const [target, label] = splitLabel(inner);
  if (target.startsWith('@')) return escapeText(mentionText(people, target.slice(1), label));
  if (target.startsWith('#')) return escapeText(`#${label ?? target.slice(1)}`);
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0];
    return escapeText(label ?? (special === 'subteam' ? '@group' : `@${special}`));
  }
  const href = target.replace(/"/g, '&quot;');
  return `<a href="${href}">${label ?? target}</a>`;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
