import { textOf } from '../../activities/bridge';

// Files shared in one channel appear in the other as a link with the file's name, both ways, never
// dropped. Slack's side as a message's files[] (https://docs.slack.dev/reference/objects/file-object:
// name, permalink); Teams' as a chatMessage's attachments[] with contentType "reference", name and
// contentUrl, placed in the body by <attachment id="…"> (https://learn.microsoft.com/graph/api/chatmessage-post,
// "Send a message with file attachment in it"). Records as the connectors map them.

const PLAN = { id: 'F0PLAN01', name: 'plan.pdf', title: 'plan.pdf', permalink: 'https://acme.slack.com/files/U0ADA01/F0PLAN01/plan.pdf' };
const SHEET = { id: 'F0SHEET1', name: 'numbers.xlsx', permalink: 'https://acme.slack.com/files/U0ADA01/F0SHEET1/numbers.xlsx' };
const BUDGET = { id: '153fa47d-18c9-4179-be08-9879815a9f90', contentType: 'reference', name: 'Budget.docx', contentUrl: 'https://contoso.sharepoint.com/sites/t/Shared%20Documents/General/Budget.docx' };
const placed = (id: string) => `<attachment id="${id}"></attachment>`;

/** [case, Slack record, Teams HTML the copy carries] */
const slackToTeams: Array<[string, Record<string, unknown>, string]> = [
  ['no file', { text: 'just text' }, 'just text'],
  ['text and a file', { text: 'the *plan*', files: [PLAN] }, `the <b>plan</b><br>📎 <a href="${PLAN.permalink}">plan.pdf</a>`],
  ['a file alone (no text)', { text: '', files: [PLAN] }, `📎 <a href="${PLAN.permalink}">plan.pdf</a>`],
  ['two files', { text: 'both', files: [PLAN, SHEET] }, `both<br>📎 <a href="${PLAN.permalink}">plan.pdf</a><br>📎 <a href="${SHEET.permalink}">numbers.xlsx</a>`],
  ['a name to escape', { text: 'x', files: [{ name: 'a<b>&"c".txt', permalink: 'https://acme.slack.com/files/U1/F2/a.txt?x=1&y=2' }] },
    'x<br>📎 <a href="https://acme.slack.com/files/U1/F2/a.txt?x=1&amp;y=2">a&lt;b&gt;&amp;&quot;c&quot;.txt</a>'],
  ['a file without a permalink (named, not dropped)', { text: 'x', files: [{ name: 'secret.txt' }] }, 'x<br>📎 secret.txt'],
  ['a file with only a title', { text: 'x', files: [{ title: 'Notes', permalink: 'https://acme.slack.com/files/U1/F3/notes' }] }, 'x<br>📎 <a href="https://acme.slack.com/files/U1/F3/notes">Notes</a>'],
];

/** [case, Teams record, Slack mrkdwn the copy carries] */
const teamsToSlack: Array<[string, Record<string, unknown>, string]> = [
  ['no attachment', { contentType: 'html', content: 'just <b>text</b>', attachments: [] }, 'just *text*'],
  ['text and a file', { contentType: 'html', content: `Here is the budget. ${placed(BUDGET.id)}`, attachments: [BUDGET] },
    `Here is the budget.\n📎 <${BUDGET.contentUrl}|Budget.docx>`],
  ['a file alone', { contentType: 'html', content: placed(BUDGET.id), attachments: [BUDGET] }, `📎 <${BUDGET.contentUrl}|Budget.docx>`],
  ['two files', { contentType: 'html', content: `two${placed('a1')}${placed('a2')}`, attachments: [
    { id: 'a1', contentType: 'reference', name: 'one.txt', contentUrl: 'https://contoso.sharepoint.com/one.txt' },
    { id: 'a2', contentType: 'reference', name: 'two.txt', contentUrl: 'https://contoso.sharepoint.com/two.txt' }] },
  'two\n📎 <https://contoso.sharepoint.com/one.txt|one.txt>\n📎 <https://contoso.sharepoint.com/two.txt|two.txt>'],
  ['a name to escape (| would end the label)', { contentType: 'html', content: placed('a3'), attachments: [
    { id: 'a3', contentType: 'reference', name: 'a|b <c> & d.txt', contentUrl: 'https://contoso.sharepoint.com/a|b.txt' }] },
  '📎 <https://contoso.sharepoint.com/a%7Cb.txt|a¦b &lt;c&gt; &amp; d.txt>'],
  ['a file without a link (named, not dropped)', { contentType: 'text', content: 'x', attachments: [{ id: 'a4', contentType: 'reference', name: 'gone.txt' }] }, 'x\n📎 gone.txt'],
  ['a card is not a file', { contentType: 'html', content: `card${placed('c1')}`, attachments: [{ id: 'c1', contentType: 'application/vnd.microsoft.card.adaptive', content: '{}' }] }, 'card'],
];

describe('files shared in a bridged channel', () => {
  it.each(slackToTeams)('Slack -> Teams: %s', (_name, record, html) => {
    expect(textOf('slack', record)).toBe(html);
  });
  it.each(teamsToSlack)('Teams -> Slack: %s', (_name, record, mrkdwn) => {
    expect(textOf('teams', record)).toBe(mrkdwn);
  });
});
