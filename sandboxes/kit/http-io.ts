import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './types';

/** Reads a request body as text (bodies of sandbox traffic are small). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false };

/** JSON or form-encoded by Content-Type; an empty body is undefined; other types stay text. */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { ok: true, value: undefined };
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return { ok: true, value: Object.fromEntries(new URLSearchParams(raw)) };
  if (type.includes('json') || type === '') {
    try {
      return { ok: true, value: JSON.parse(raw) as unknown };
    } catch {
      return { ok: false };
    }
  }
  return { ok: true, value: raw };
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: Buffer | undefined;
  if (reply.body !== undefined && reply.status !== 204 && reply.status !== 304) {
    if (typeof reply.body === 'string') {
      payload = Buffer.from(reply.body);
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = Buffer.from(JSON.stringify(reply.body));
      headers['content-type'] ??= 'application/json;charset=utf-8';
    }
  }
  // Encoded once: its length is the Content-Length, where byteLength and end(string) encoded it twice.
  if (payload !== undefined) headers['content-length'] = String(payload.length);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, ...(headers ? { headers } : {}) };
}

/** Retry-After as sent: whole seconds for a number, the string as given (an HTTP-date). */
export function retryAfterHeader(value: number | string): string {
  return typeof value === 'number' ? String(Math.ceil(value)) : value;
}
