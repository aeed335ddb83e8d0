/**
 * Files shared in a message, carried over as a link with the file's name (neither system can take
 * the other's file as its own: a Graph `reference` attachment must point at SharePoint/OneDrive, and
 * Slack's files.completeUploadExternal wants the bytes, which the bridge does not copy).
 * - Slack: a message's `files[]`, each { name, permalink }
 *   (https://docs.slack.dev/reference/objects/file-object).
 * - Teams: a chatMessage's `attachments[]`, contentType `reference` with { name, contentUrl }
 *   (https://learn.microsoft.com/graph/api/resources/chatmessageattachment).
 * A file without a name is shown by its link; one without a link by its name, never dropped.
 */
export interface SharedFile {
  name: string | null;
  url: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function objects(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object') : [];
}

/** The files of a Slack message record (`files`: [{ name, permalink }]). */
export function slackFiles(files: unknown): SharedFile[] {
  return objects(files).map((f) => ({ name: text(f.name) ?? text(f.title), url: text(f.permalink) ?? text(f.url_private) }))
    .filter((f) => f.name || f.url);
}

/** The file attachments of a Teams message record (`attachments`: [{ contentType: 'reference', name, contentUrl }]). */
export function teamsFiles(attachments: unknown): SharedFile[] {
  return objects(attachments).filter((a) => a.contentType === 'reference')
    .map((a) => ({ name: text(a.name), url: text(a.contentUrl) }))
    .filter((f) => f.name || f.url);
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack mrkdwn: `<url|name>` (Slack escapes &, <, > in both parts; a | would end the url). */
function slackLink(file: SharedFile): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (!file.url) return esc(file.name!);
  const url = esc(file.url).replace(/\|/g, '%7C');
  return file.name ? `<${url}|${esc(file.name).replace(/\|/g, '¦')}>` : `<${url}>`;
}

function htmlLink(file: SharedFile): string {
  if (!file.url) return escapeHtml(file.name!);
  return `<a href="${escapeHtml(file.url)}">${escapeHtml(file.name ?? file.url)}</a>`;
}

/** Slack text with the files appended, one per line after a paperclip (the text's trailing space, left by an attachment's placeholder, dropped). */
export function withSlackFileLinks(mrkdwn: string, files: SharedFile[]): string {
  if (files.length === 0) return mrkdwn;
  const lines = files.map((f) => `📎 ${slackLink(f)}`);
  return [mrkdwn.trimEnd(), ...lines].filter((l) => l !== '').join('\n');
}

/** Teams HTML with the files appended, one per line after a paperclip. */
export function withHtmlFileLinks(html: string, files: SharedFile[]): string {
  if (files.length === 0) return html;
  const lines = files.map((f) => `📎 ${htmlLink(f)}`);
  return [html.trimEnd(), ...lines].filter((l) => l !== '').join('<br>');
}
