/**
 * The platform marker `forge_origin` (the bridge's loop prevention) travels inside the message body,
 * the one part of a chatMessage Graph stores as sent and hands back on every read, list and delta:
 * an empty element at the end of the HTML body,
 *   <span data-forge-origin="<origin>" data-forge-type="text|html"></span>
 * It renders as nothing. `data-forge-type` remembers the content type the record asked for: a text
 * message with a marker is sent as HTML (its text escaped), and reads back as the same text.
 * Attachments were the alternative, but Graph refuses an attachment the body does not reference
 * and Teams renders it as a card; `channelIdentity` and `from` are set by Graph and cannot carry it.
 * Not verified against a live tenant: Teams' HTML sanitiser may drop data-* attributes on a span. So
 * the bridge treats the marker as a hint (it finds a copy a crashed attempt posted): its first loop
 * guard is the sender Graph records (from.application.id, records.ts), and the Teams sandbox's
 * `sanitizeHtml` switch strips this marker to prove the bridge holds without it.
 */
const MARKER = /<span data-forge-origin="([^"]*)" data-forge-type="(text|html)"><\/span>$/;

export interface MessageBody {
  contentType: 'text' | 'html';
  content: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function unescapeHtml(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The body to send for the record's content, content type and marker. */
export function encodeBody(content: string, contentType: 'text' | 'html', origin: string | null): MessageBody {
  // What Graph would refuse (an empty body, an unknown content type) is sent as is, so that Graph's
  // own 400 names the property: a marker must not make an empty message look non-empty.
  if (!origin || content.trim() === '' || (contentType !== 'text' && contentType !== 'html')) return { contentType, content };
  const html = contentType === 'text' ? escapeHtml(content) : content;
  return { contentType: 'html', content: `${html}<span data-forge-origin="${escapeHtml(origin)}" data-forge-type="${contentType}"></span>` };
}

/** The record's view of a body Graph answered: the marker taken out. */
export function decodeBody(body: MessageBody): { content: string; contentType: 'text' | 'html'; origin: string | null } {
  const match = MARKER.exec(body.content);
  if (!match) return { content: body.content, contentType: body.contentType, origin: null };
  const rest = body.content.slice(0, match.index);
  const contentType = match[2] as 'text' | 'html';
  return { content: contentType === 'text' ? unescapeHtml(rest) : rest, contentType, origin: unescapeHtml(match[1]) };
}
