import { session } from './session';

/** The gateway's error shape: { error: { code, message, fields? } }. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fields: Array<{ field: string; message: string }> = []) {
    super(message);
  }
}

let unauthorizedHandler: (() => void) | null = null;
/** Called when the gateway stops accepting the session's key (401): the app signs out. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

export interface CallOptions {
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  /** Sign-in checks a key before it is kept. */
  key?: string;
  signal?: AbortSignal;
}

/** Calls the REST API on this origin with the session's key; answers parsed JSON or throws ApiError. */
export async function api<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const key = options.key ?? session.key();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.contentType) {
    headers['content-type'] = options.contentType;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', signal: options.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The gateway could not be reached. Check that it is running, then retry.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const e = (parsed as { error?: { code?: string; message?: string; fields?: Array<{ field: string; message: string }> } } | undefined)?.error;
    if (res.status === 401 && options.key === undefined) unauthorizedHandler?.();
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `The gateway answered ${res.status}.`, e?.fields ?? []);
  }
  return parsed as T;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = err.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return fields ? `${err.message} (${fields})` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
