import { randomUUID } from 'node:crypto';

/**
 * The $batch wire format (OData 4.0 §11.7, multipart/mixed): requests as application/http parts,
 * optionally inside one changeset; answers parsed back in order. Every part carries a Content-ID
 * (required in changesets) and write bodies carry Content-Length.
 */
export interface BatchOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path-absolute: /api/data/v9.2/accounts(…). */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: unknown;
  contentId?: string;
}

function requestPart(op: BatchOperation, contentId: number): string {
  const body = op.body === undefined ? '' : JSON.stringify(op.body);
  const headers = { ...(op.body === undefined ? {} : { 'Content-Type': 'application/json; type=entry', 'Content-Length': String(Buffer.byteLength(body)) }), ...op.headers };
  return ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${contentId}`, '',
    `${op.method} ${op.url} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', body].join('\r\n');
}

/** A batch body: the operations in one changeset (atomic), or each as its own part. Content-IDs are 1..n in order. */
export function encodeBatch(ops: BatchOperation[], atomic: boolean): { body: string; contentType: string } {
  const batch = `batch_${randomUUID()}`;
  const parts = ops.map((op, i) => requestPart(op, i + 1));
  let body: string;
  if (atomic) {
    const changeset = `changeset_${randomUUID()}`;
    body = [`--${batch}`, `Content-Type: multipart/mixed; boundary=${changeset}`, '', ...parts.map((p) => `--${changeset}\r\n${p}`), `--${changeset}--`, `--${batch}--`, ''].join('\r\n');
  } else {
    body = [...parts.map((p) => `--${batch}\r\n${p}`), `--${batch}--`, ''].join('\r\n');
  }
  return { body, contentType: `multipart/mixed; boundary=${batch}` };
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed/i.test(contentType)) return undefined;
  return /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
}

function head(text: string): { headers: Record<string, string>; rest: string } {
  const end = text.indexOf('\n\n');
  const headers: Record<string, string> = {};
  for (const line of (end < 0 ? text : text.slice(0, end)).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: end < 0 ? '' : text.slice(end + 2) };
}

function parts(text: string, boundary: string): string[] {
  const closing = text.indexOf(`--${boundary}--`);
  return (closing < 0 ? text : text.slice(0, closing)).split(`--${boundary}\n`).slice(1).map((p) => p.replace(/\n$/, ''));
}

function answer(partText: string): BatchAnswer {
  const { headers: partHeaders, rest } = head(partText);
  const statusLine = /^HTTP\/1\.1 (\d{3})/.exec(rest);
  const { headers, rest: bodyText } = head(rest.slice(rest.indexOf('\n') + 1));
  let body: unknown = bodyText.trim();
  if (body !== '' && /json/i.test(headers['content-type'] ?? '')) {
    try { body = JSON.parse(String(body)); } catch { /* kept as text */ }
  }
  return { status: statusLine ? Number(statusLine[1]) : 0, headers, body: body === '' ? null : body, ...(partHeaders['content-id'] ? { contentId: partHeaders['content-id'] } : {}) };
}

/** The answers of a batch response, changesets flattened, in order. */
export function parseBatchResponse(contentType: string, text: string): BatchAnswer[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) return [];
  const normalized = text.replace(/\r\n/g, '\n');
  return parts(normalized, boundary).flatMap((partText) => {
    const { headers, rest } = head(partText);
    const nested = boundaryOf(headers['content-type']);
    return nested ? parts(rest, nested).map(answer) : [answer(partText)];
  });
}
