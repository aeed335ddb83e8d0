import { slackToTeamsHtml, splitMessage, teamsHtmlToSlack, utf8Bytes, type PeopleDirectory } from '../../src/platform/bridge-format';

// Slack mrkdwn <-> Teams HTML, one row per construct, checked both ways. Slack's side is written as
// "Formatting text for app surfaces" documents mrkdwn (https://docs.slack.dev/messaging/formatting-message-text:
// *bold* _italic_ ~strike~ `code` ```block```, > quotes, <url|text>, <@U…> / <#C…|name> / <!here>,
// &amp; &lt; &gt; escapes, \n breaks); Teams' side as Graph's chatMessage body with contentType html
// (https://learn.microsoft.com/graph/api/resources/chatmessage, itemBody; mentions as <at id="n">Name</at>
// with the mentions collection, https://learn.microsoft.com/graph/api/chatmessage-post example "mentions").

const people: PeopleDirectory = (id) => ({ U0ADA01: 'Ada Lovelace', '0': 'Grace Hopper' } as Record<string, string>)[id];

/** Constructs that read the same both ways: [name, Slack mrkdwn, Teams HTML]. */
const both: Array<[string, string, string]> = [
  ['plain text', 'hello there', 'hello there'],
  ['bold', 'a *bold* word', 'a <b>bold</b> word'],
  ['italic', 'an _italic_ word', 'an <i>italic</i> word'],
  ['strike', 'a ~struck~ word', 'a <s>struck</s> word'],
  ['inline code', 'run `npm ci` now', 'run <code>npm ci</code> now'],
  ['code block', '```\nconst a = 1;\nconst b = 2;\n```', '<pre>const a = 1;\nconst b = 2;</pre>'],
  ['link with text', 'see <https://example.com/a?b=1|the docs>', 'see <a href="https://example.com/a?b=1">the docs</a>'],
  ['bare link', 'see <https://example.com>', 'see <a href="https://example.com">https://example.com</a>'],
  ['bulleted list', '• one\n• two', '<ul><li>one</li><li>two</li></ul>'],
  ['numbered list', '1. one\n2. two', '<ol><li>one</li><li>two</li></ol>'],
  ['quote', '> quoted line\n> and another', '<blockquote>quoted line<br>and another</blockquote>'],
  ['line breaks', 'first\nsecond\nthird', 'first<br>second<br>third'],
  ['escapes', 'a &lt; b &amp;&amp; c &gt; d', 'a &lt; b &amp;&amp; c &gt; d'],
  ['nested emphasis', '*bold with _italic_ inside*', '<b>bold with <i>italic</i> inside</b>'],
];

describe('Slack mrkdwn -> Teams HTML', () => {
  it.each(both)('%s', (_name, mrkdwn, html) => {
    expect(slackToTeamsHtml(mrkdwn, people)).toBe(html);
  });

  it.each([
    ['user mention: the name, never the id', 'ping <@U0ADA01>', 'ping @Ada Lovelace'],
    ['mention of someone not bridged', 'ping <@U0GHOST1>', 'ping @someone'],
    ['channel mention', 'in <#C0123|general>', 'in #general'],
    ['special mention', '<!here> look', '@here look'],
    ['emoji shortcodes', 'done :white_check_mark: :tada: :not_an_emoji:', 'done ✅ 🎉 :not_an_emoji:'],
    ['an asterisk that is no emphasis', '2 * 3 * 4', '2 * 3 * 4'],
    ['snake_case stays', 'set max_page_size now', 'set max_page_size now'],
  ])('%s', (_name, mrkdwn, html) => {
    expect(slackToTeamsHtml(mrkdwn, people)).toBe(html);
  });
});

describe('Teams HTML -> Slack mrkdwn', () => {
  it.each(both)('%s', (_name, mrkdwn, html) => {
    expect(teamsHtmlToSlack(html, people)).toBe(mrkdwn);
  });

  it.each([
    ['strong/em/del spellings', '<strong>a</strong> <em>b</em> <del>c</del> <strike>d</strike>', '*a* _b_ ~c~ ~d~'],
    ['paragraphs', '<p>one</p><p>two</p>', 'one\n\ntwo'],
    ['div lines (the Teams client wraps lines in div)', '<div>one</div><div>two</div>', 'one\ntwo'],
    ['mention: the name written in the message', 'ping <at id="0">Grace Hopper</at>', 'ping @Grace Hopper'],
    ['emoji element', 'yes <emoji id="1f44d_thumbsup" alt="👍" title="Like"></emoji>', 'yes 👍'],
    ['entities decoded, Slack escapes applied', 'a&nbsp;&quot;b&quot; &lt;c&gt; &#39;d&#39; &amp;', 'a "b" &lt;c&gt; \'d\' &amp;'],
    ['image: its alt text', 'see <img src="https://x/y.png" alt="chart">', 'see chart'],
    ['unknown elements keep their text', '<span style="color:red">red</span> <u>under</u>', 'red under'],
    ['the platform marker leaves nothing', 'hi<span data-forge-origin="slack:1" data-forge-type="text"></span>', 'hi'],
    ['emphasis with spaces inside the tag', 'a<b> bold </b>word', 'a *bold* word'],
  ])('%s', (_name, html, mrkdwn) => {
    expect(teamsHtmlToSlack(html, people)).toBe(mrkdwn);
  });
});

describe('long messages split where a limit requires', () => {
  it('keeps a message within the limit whole', () => {
    expect(splitMessage('short', 10)).toEqual(['short']);
  });

  it('splits at a paragraph, then a line, then a space, each piece within the limit', () => {
    expect(splitMessage('aaaa bbbb\n\ncccc dddd', 12)).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitMessage('aaaa\nbbbb cccc', 10)).toEqual(['aaaa', 'bbbb cccc']);
    expect(splitMessage('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitMessage('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('measures Teams bodies in UTF-8 bytes and never splits an emoji', () => {
    const text = '🎉'.repeat(10); // 4 bytes, 2 UTF-16 units each
    const pieces = splitMessage(text, 10, utf8Bytes);
    expect(pieces.every((p) => utf8Bytes(p) <= 10)).toBe(true);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });
});
