import { randomUUID } from 'node:crypto';
import { ReplyError, type Reply, type SandboxRequest } from '../kit';
import { odataError } from './errors';
import type { Journal } from './tables';

/**
 * POST /api/data/v9.2/$batch (Execute batch operations using the Web API; OData 4.0 Part 1 §11.7):
 * a multipart/mixed body of application/http parts, run in order. A part may be a changeset
 * (a nested multipart/mixed) whose requests succeed or fail together: when one fails, the ones
 * before it are undone and the changeset answers with that one failure alone (with its Content-ID).
 * Requests in a changeset must carry a Content-ID and cannot be GETs. At most 1000 requests.
 * Outside changesets the batch stops at the first failure unless `Prefer: odata.continue-on-error`;
 * the batch answers 200 when every request succeeded or continue-on-error was asked, else 400 (the
 * multipart body still holds every answer given).
 */
export const MAX_BATCH_REQUESTS = 1000;

export interface InnerRequest {
  method: string;
  /** The URL as written in the request line. */
  url: string;
  headers: Record<string, string>;
  body: string;
  contentId?: string;
}

/** Runs one inner request (the same dispatcher as top-level requests); a journal when inside a changeset. */
export type Execute = (req: InnerRequest, journal?: Journal) => Promise<Reply>;

type Part = { kind: 'request'; request: InnerRequest } | { kind: 'changeset'; requests: InnerRequest[] };

function bad(message: string): never {
  throw new ReplyError(odataError(400, '0x80060888', message));
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed/i.test(contentType)) return undefined;
  return /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
}

function splitHead(text: string): { headers: Record<string, string>; rest: string } {
  const normalized = text.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: end < 0 ? '' : normalized.slice(end + 2) };
}

/** The body parts between `--boundary` lines, up to `--boundary--`. */
export function multipartParts(body: string, boundary: string): string[] {
  const normalized = body.replace(/\r\n/g, '\n');
  const delimiter = `--${boundary}`;
  const closing = normalized.indexOf(`${delimiter}--`);
  if (closing < 0) bad(`The batch body has no closing boundary '${delimiter}--'.`);
  return normalized.slice(0, closing).split(`${delimiter}\n`).slice(1).map((p) => p.replace(/\n$/, ''));
}

function innerRequest(partText: string): InnerRequest {
  const { headers: partHeaders, rest } = splitHead(partText);
  if (!/^application\/http/i.test(partHeaders['content-type'] ?? '')) bad('Each batch part must have Content-Type: application/http.');
  const lines = rest.split('\n');
  const requestLine = /^(GET|POST|PATCH|PUT|DELETE) (\S+) HTTP\/1\.1$/.exec(lines[0]?.trim() ?? '');
  if (!requestLine) bad(`The batch part's request line '${lines[0] ?? ''}' is not valid.`);
  const { headers, rest: body } = splitHead(lines.slice(1).join('\n'));
  return { method: requestLine[1], url: requestLine[2], headers, body: body.trim(), ...(partHeaders['content-id'] ? { contentId: partHeaders['content-id'] } : {}) };
}

export function parseBatch(body: string, boundary: string): Part[] {
  return multipartParts(body, boundary).map((partText): Part => {
    const { headers, rest } = splitHead(partText);
    const nested = boundaryOf(headers['content-type']);
    if (!nested) return { kind: 'request', request: innerRequest(partText) };
    const requests = multipartParts(rest, nested).map(innerRequest);
    requests.forEach((r) => {
      if (r.method === 'GET') bad('A changeset cannot contain a GET request.');
      if (!r.contentId) bad('Content-ID header not present in a changeset request.');
    });
    return { kind: 'changeset', requests };
  });
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

function responsePart(reply: Reply, contentId?: string): string {
  const headers = Object.entries(reply.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  const hasBody = reply.body !== undefined && reply.status !== 204;
  if (hasBody) headers.push('content-type: application/json; odata.metadata=minimal');
  return ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : []), '',
    `HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? ''}`.trimEnd(), ...headers, '', hasBody ? JSON.stringify(reply.body) : ''].join('\r\n');
}

function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}

async function answered(execute: Execute, req: InnerRequest, journal?: Journal): Promise<Reply> {
  try {
    return await execute(req, journal);
  } catch (err) {
    if (err instanceof ReplyError) return err.reply;
    throw err;
  }
}

export async function runBatch(req: SandboxRequest, execute: Execute): Promise<Reply> {
  const boundary = boundaryOf(String(req.headers['content-type'] ?? ''));
  if (!boundary || typeof req.body !== 'string') bad("The $batch request must be multipart/mixed with a boundary.");
  const parts = parseBatch(req.body, boundary);
  const count = parts.reduce((n, p) => n + (p.kind === 'changeset' ? p.requests.length : 1), 0);
  if (count > MAX_BATCH_REQUESTS) bad(`The batch contains ${count} requests; the limit is ${MAX_BATCH_REQUESTS}.`);
  const continueOnError = /odata\.continue-on-error/i.test(String(req.headers.prefer ?? ''));
  const out: string[] = [];
  let failed = false;
  for (const part of parts) {
    if (failed && !continueOnError) break;
    if (part.kind === 'request') {
      const reply = await answered(execute, part.request);
      failed ||= reply.status >= 400;
      out.push(responsePart(reply, part.request.contentId));
      continue;
    }
    const journal: Journal = [];
    const replies: Array<{ reply: Reply; contentId?: string }> = [];
    let failure: { reply: Reply; contentId?: string } | undefined;
    for (const inner of part.requests) {
      const reply = await answered(execute, inner, journal);
      if (reply.status >= 400) { failure = { reply, contentId: inner.contentId }; break; }
      replies.push({ reply, contentId: inner.contentId });
    }
    if (failure) {
      for (const undo of journal.reverse()) undo();
      failed = true;
      out.push(responsePart(failure.reply, failure.contentId));
    } else {
      const nested = `changesetresponse_${randomUUID()}`;
      out.push(`Content-Type: multipart/mixed; boundary=${nested}\r\n\r\n${multipart(nested, replies.map((r) => responsePart(r.reply, r.contentId))).trimEnd()}`);
    }
  }
  const batchBoundary = `batchresponse_${randomUUID()}`;
  return {
    status: failed && !continueOnError ? 400 : 200,
    headers: { 'content-type': `multipart/mixed; boundary=${batchBoundary}`, 'odata-version': '4.0', ...(continueOnError ? { 'preference-applied': 'odata.continue-on-error' } : {}) },
    body: multipart(batchBoundary, out),
  };
}
