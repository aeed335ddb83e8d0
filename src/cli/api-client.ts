import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { ApiErrorBody, FieldProblem } from './api-types';
import { CliError, ExitCode, configError, type ExitCodeValue } from './exit-codes';

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  json?: unknown;
  /** A body streamed as it is read (a file), never held in memory. */
  stream?: { body: Readable; contentType: string };
}

/** The gateway's REST API with a tenant's API key; errors become one-line CliErrors with an exit code. */
export class ApiClient {
  constructor(private readonly url: string, private readonly apiKey: string) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.send<T>('GET', path, { query });
  }

  post<T>(path: string, json?: unknown, query?: Query): Promise<T> {
    return this.send<T>('POST', path, { json, query });
  }

  postStream<T>(path: string, query: Query, body: Readable, contentType: string): Promise<T> {
    return this.send<T>('POST', path, { query, stream: { body, contentType } });
  }

  async send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
    const target = `${this.url}${path}${queryString(options.query)}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    let body: string | Readable | undefined;
    if (options.stream) {
      headers['content-type'] = options.stream.contentType;
      body = options.stream.body;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(target, { method, headers, body });
    } catch (err) {
      throw unreachable(this.url, err);
    }
    const text = await res.body.text();
    if (res.statusCode >= 400) throw apiError(res.statusCode, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function unreachable(url: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  const code = e.code ?? e.cause?.code ?? e.message ?? 'network error';
  return configError(`cannot reach the gateway at ${url} (${code}): is it running? (FORGE_URL)`);
}

function exitCodeFor(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.auth;
  if (status === 404) return ExitCode.notFound;
  if (status === 400 || status === 413 || status === 422) return ExitCode.usage;
  return ExitCode.failed;
}

/** A problem as one phrase naming its field ("line 3, column age: age must be a number"). */
export function describeProblem(p: FieldProblem): string {
  return p.message.startsWith(p.field) ? p.message : `${p.field}: ${p.message}`;
}

/** The gateway's error body as one line: the named fields' problems when it lists them. */
function apiError(status: number, text: string): CliError {
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  if (!error) return new CliError(exitCodeFor(status), `the gateway answered ${status}`, `http_${status}`);
  const fields = error.fields ?? [];
  const shown = fields.slice(0, 3).map(describeProblem).join('; ');
  const more = fields.length > 3 ? ` (and ${fields.length - 3} more)` : '';
  const message = fields.length > 0 ? `${shown}${more}` : error.message;
  return new CliError(exitCodeFor(status), message, error.code, fields.length > 0 ? { fields } : undefined);
}
