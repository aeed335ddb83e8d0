import { mentionText, type PeopleDirectory } from './people';

/**
 * Teams HTML (a chatMessage body with contentType html, Graph v1.0 chatMessage / itemBody) ->
 * Slack mrkdwn ("Formatting text for app surfaces", docs.slack.dev/messaging/formatting-message-text).
 * b/strong, i/em, s/strike/del, code, pre, a, ul/ol/li, blockquote, br, p/div; <at> mentions become
 * "@Name" (readable, never an id); <emoji alt> its character; images their alt text or link. Text is
 * escaped as Slack requires (&amp; &lt; &gt;).
 */
export function teamsHtmlToSlack(html: string, people: PeopleDirectory = () => undefined): string {
  return render(parse(html), people).replace(/\n{3,}/g, '\n\n').replace(/^\n+|\n+$/g, '');
}

interface Element { tag: string; attrs: Record<string, string>; children: Node[] }
type Node = string | Element;

const VOID = new Set(['br', 'img', 'hr', 'emoji']);
const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|[^<]+|</g;
const ATTRIBUTE = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** A forgiving tree of the body: unclosed elements end with their parent, stray end tags are ignored. */
function parse(html: string): Node[] {
  const root: Element = { tag: '#root', attrs: {}, children: [] };
  const stack: Element[] = [root];
  for (const m of html.matchAll(TOKEN)) {
    const [whole, closing, rawTag, rawAttrs, selfClosing] = m;
    const top = stack[stack.length - 1];
    if (whole.startsWith('<!--')) continue;
    if (rawTag === undefined) {
      top.children.push(decode(whole));
      continue;
    }
    const tag = rawTag.toLowerCase();
    if (closing) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(ATTRIBUTE)) attrs[a[1].toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
    const element: Element = { tag, attrs, children: [] };
    top.children.push(element);
    if (!VOID.has(tag) && !selfClosing) stack.push(element);
  }
  return root.children;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Plain text as Slack text: &, < and > escaped (the three Slack's formatting page asks for). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function textOf(nodes: Node[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : textOf(n.children))).join('');
}

function render(nodes: Node[], people: PeopleDirectory): string {
  return nodes.map((n) => (typeof n === 'string' ? escapeSlack(n.replace(/\s*\n\s*/g, ' ')) : element(n, people))).join('');
}

/** Emphasis marks hug their text: Slack does not format "* bold *". */
function mark(inner: string, m: string): string {
  const trimmed = inner.trim();
  if (trimmed === '') return inner;
  const lead = inner.slice(0, inner.indexOf(trimmed));
  const trail = inner.slice(inner.indexOf(trimmed) + trimmed.length);
  return `${lead}${m}${trimmed}${m}${trail}`;
}

function element(e: Element, people: PeopleDirectory): string {
  const inner = () => render(e.children, people);
  switch (e.tag) {
    case 'b': case 'strong': return mark(inner(), '*');
    case 'i': case 'em': return mark(inner(), '_');
    case 's': case 'strike': case 'del': return mark(inner(), '~');
    case 'code': return `\`${escapeSlack(textOf(e.children))}\``;
    case 'pre': return `\n\`\`\`\n${escapeSlack(textOf(e.children).replace(/^\n|\n$/g, ''))}\n\`\`\`\n`;
    case 'br': return '\n';
    case 'p': case 'h1': case 'h2': case 'h3': return `\n${inner()}\n`;
    case 'div': return `${inner()}\n`; // the Teams client writes each line as a div
    case 'a': {
      const href = e.attrs.href ?? '';
      const label = textOf(e.children).trim();
      if (!href) return inner();
      return label === '' || label === href ? `<${href}>` : `<${href}|${escapeSlack(label)}>`;
    }
    case 'at': return escapeSlack(mentionText(people, e.attrs.id ?? '', textOf(e.children).trim() || undefined));
    case 'emoji': return e.attrs.alt ?? '';
    case 'img': return e.attrs.alt ? escapeSlack(e.attrs.alt) : e.attrs.src ? `<${e.attrs.src}>` : '';
    case 'ul': case 'ol': {
      const items = e.children.filter((c): c is Element => typeof c !== 'string' && c.tag === 'li');
      return `\n${items.map((li, i) => `${e.tag === 'ol' ? `${i + 1}.` : '•'} ${render(li.children, people).trim()}`).join('\n')}\n`;
    }
    case 'blockquote': return `\n${inner().trim().split('\n').map((l) => `> ${l}`).join('\n')}\n`;
    default: return inner();
  }
}
