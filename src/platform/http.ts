import { request as undiciRequest, type Dispatcher } from 'undici';
import type { FieldError } from './records';
import { classifyHttp, classifyNetworkError, ConnectorError } from './errors';
import { assertEgressUrl, egressDispatcher, egressRefusalOf, egressUrlProblem } from './network';

/**
 * The connectors' HTTP client (DESIGN.md: Airbyte low-code CDK style). A connector composes a base
 * URL, an auth plug-in, its system's error readers and pagination adapters; the client turns every
 * failure into a ConnectorError. It does not retry, except once after a 401 when the auth plug-in
 * refreshed its credentials: all other retries belong to Temporal activities.
 */

export type QueryValue = string | number | boolean | undefined | (string | number)[];

export interface HttpRequest {
  method: string;
  /** Relative to the client's base URL, or an absolute URL on the same origin. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  json?: unknown;
  /** Form-urlencoded with Stripe-style nested keys: a[b][c]=..., arrays a[0]=... */
  form?: Record<string, unknown>;
  body?: string;
  timeoutMs?: number;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for reads). */
  expect?: number[];
  /**
   * What the request is expected to cost where the system charges by cost (Shopify's calculated
   * query cost): what it draws from the connection's bucket of points (CostLimit). Default 1.
   */
  cost?: number;
}

export interface HttpResponse<T> {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed when the content type is JSON (null when empty), else the text. */
  body: T;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
}

/** A request as it is about to leave, for auth plug-ins to sign. Header names are lower-case. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface AuthPlugin {
  /** Adds credentials to the request: headers, query parameters, a signature. */
  apply(req: OutgoingRequest): Promise<void>;
  /**
   * Called when the system rejected `rejected` as unauthorized: forget what was used and get fresh
   * credentials. True means the request is worth sending once more.
   */
  onUnauthorized?(rejected: OutgoingRequest): Promise<boolean>;
}

export interface HttpClientOptions {
  system: string;
  /** A function for base URLs known only later (Salesforce's instance_url from the token response). */
  baseUrl: string | (() => Promise<string>);
  auth: AuthPlugin;
  timeoutMs?: number;
  extractFields?: (body: unknown) => FieldError[];
  /** Reads the system's error code out of an error body (kept on ConnectorError.code). */
  extractCode?: (body: unknown) => string | undefined;
  maxRetryAfterMs?: number;
  /**
   * The system's own verdict on an answer, checked before the status (Slack answers 200 with
   * ok:false). Return an error with status 401 for "session expired" answers to get the same one
   * refresh and retry as a real 401.
   */
  classify?: (res: HttpResponse<unknown>, req: HttpRequest) => ConnectorError | null;
  /**
   * An undici dispatcher; by default the egress dispatcher (network.ts), which refuses loopback,
   * private and link-local addresses at connect time unless the allowlist names them.
   */
  dispatcher?: Dispatcher;
  /** The largest response body read (default 16 MiB); a larger one fails the request. */
  maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  return new ConnectorHttpClient(options);
}

class ConnectorHttpClient implements HttpClient {
  /** The base URL last found acceptable, and its origin: a load sends thousands of requests to one. */
  private acceptedBase: { base: string; origin: string | undefined } | undefined;

  constructor(private readonly options: HttpClientOptions) {}

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    let outgoing = await this.prepare(req);
    let response = await this.send(outgoing, req.timeoutMs);
    let failure = this.failureOf(req, response);
    if (failure?.status === 401 && this.options.auth.onUnauthorized && await this.options.auth.onUnauthorized(outgoing)) {
      outgoing = await this.prepare(req);
      response = await this.send(outgoing, req.timeoutMs);
      failure = this.failureOf(req, response);
    }
    if (failure) throw failure;
    return response as HttpResponse<T>;
  }

  private async prepare(req: HttpRequest): Promise<OutgoingRequest> {
    const base = typeof this.options.baseUrl === 'string' ? this.options.baseUrl : await this.options.baseUrl();
    const url = this.resolveUrl(base, req.path);
    if (req.query) appendQuery(url, req.query);
    const headers: Record<string, string> = { 'user-agent': 'forgeworks' };
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    const body = encodeBody(req, headers);
    const outgoing: OutgoingRequest = { method: req.method.toUpperCase(), url, headers, body };
    await this.options.auth.apply(outgoing);
    return outgoing;
  }

  private resolveUrl(base: string, path: string): URL {
    const baseOrigin = this.acceptBase(base);
    let url: URL;
    try {
      url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(joinPath(base, path));
    } catch {
      throw new ConnectorError({ kind: 'permanent', system: this.options.system, message: `${this.options.system}: invalid URL from base ${base} and path ${path}` });
    }
    if (baseOrigin && url.origin !== baseOrigin) {
      // A pagination link or a stray absolute URL must never carry our credentials elsewhere.
      throw new ConnectorError({ kind: 'permanent', system: this.options.system, message: `${this.options.system}: refusing to send credentials to ${url.origin} (base is ${baseOrigin})` });
    }
    // The base's host passed the egress check already; only user info can differ at its origin.
    if (baseOrigin && !url.username && !url.password) return url;
    try {
      assertEgressUrl(url);
    } catch (err) {
      throw new ConnectorError({ kind: 'permanent', system: this.options.system, message: `${this.options.system}: ${(err as Error).message}` });
    }
    return url;
  }

  /** Checks the base URL (once per base) and answers its origin. */
  private acceptBase(base: string): string | undefined {
    if (this.acceptedBase?.base === base) return this.acceptedBase.origin;
    // A base with a query or fragment would swallow the path (`https://host/#` + `/v1/...`).
    const baseProblem = egressUrlProblem(base, { base: true });
    if (baseProblem) {
      throw new ConnectorError({ kind: 'permanent', system: this.options.system, message: `${this.options.system}: refused to use the base URL: it ${baseProblem}` });
    }
    this.acceptedBase = { base, origin: safeOrigin(base) };
    return this.acceptedBase.origin;
  }

  private async send(req: OutgoingRequest, timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS): Promise<HttpResponse<unknown>> {
    try {
      const res = await undiciRequest(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        dispatcher: this.options.dispatcher ?? egressDispatcher(),
      });
      const headers = flattenHeaders(res.headers);
      const text = await readCapped(res.body, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, this.options.system);
      return { status: res.statusCode, headers, body: parseBody(headers['content-type'], text) };
    } catch (err) {
      const refusal = egressRefusalOf(err);
      if (refusal) throw new ConnectorError({ kind: 'permanent', system: this.options.system, message: `${this.options.system}: ${refusal.message}` });
      throw classifyNetworkError(this.options.system, err);
    }
  }

  private failureOf(req: HttpRequest, res: HttpResponse<unknown>): ConnectorError | null {
    if (req.expect?.includes(res.status)) return null;
    const verdict = this.options.classify?.(res, req);
    if (verdict) return verdict;
    if (res.status >= 200 && res.status < 300) return null;
    return classifyHttp(this.options.system, res.status, res.headers, res.body, {
      extractFields: this.options.extractFields,
      extractCode: this.options.extractCode,
      maxRetryAfterMs: this.options.maxRetryAfterMs,
    });
  }
}

/** The body as text, refusing (and discarding) one larger than `maxBytes`. */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }, maxBytes: number, system: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ConnectorError({ kind: 'permanent', system, message: `${system} answered with a body larger than ${maxBytes} bytes; it was not read` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function joinPath(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function safeOrigin(base: string): string | undefined {
  try {
    return new URL(base).origin;
  } catch {
    return undefined;
  }
}

/** RFC 3986 encoding (%20, not '+'), so signatures computed over the query match what is sent. */
export function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Appends one query parameter without re-serialising the ones already there. */
export function addQueryParam(url: URL, name: string, value: string): void {
  const pair = `${encodeComponent(name)}=${encodeComponent(value)}`;
  url.search = url.search.length > 1 ? `${url.search}&${pair}` : `?${pair}`;
}

function appendQuery(url: URL, query: Record<string, QueryValue>): void {
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) addQueryParam(url, name, String(item));
  }
}

function encodeBody(req: HttpRequest, headers: Record<string, string>): string | undefined {
  if (req.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return JSON.stringify(req.json);
  }
  if (req.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return encodeForm(req.form);
  }
  return req.body;
}

/** Stripe-style form encoding: nested objects as a[b][c]=, arrays as a[0]=, null as an empty value. */
export function encodeForm(values: Record<string, unknown>): string {
  return formPairs(values).map(([name, value]) => `${encodeComponent(name)}=${encodeComponent(value)}`).join('&');
}

export function formPairs(values: Record<string, unknown>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const visit = (name: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) pairs.push([name, '']);
    else if (Array.isArray(value)) value.forEach((item, i) => visit(`${name}[${i}]`, item));
    else if (typeof value === 'object') for (const [key, child] of Object.entries(value)) visit(`${name}[${key}]`, child);
    else pairs.push([name, String(value)]);
  };
  for (const [name, value] of Object.entries(values)) visit(name, value);
  return pairs;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseBody(contentType: string | undefined, text: string): unknown {
  if (!contentType || !/[/+]json\b/i.test(contentType)) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // a system that lies about its content type still gets its answer classified
  }
}

// ---------------------------------------------------------------------------------------------
// Pagination

export interface Page<T, C> {
  items: T[];
  /** Absent (or empty) when this was the last page. */
  next?: C;
}

/** Yields every item of every page, asking for the next page only when the previous is consumed. */
export async function* paginate<T, C>(fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>): AsyncGenerator<T> {
  let cursor: C | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (page.next === undefined || page.next === null || page.next === '') return;
    if (page.next === cursor) throw new Error(`pagination did not advance (cursor ${String(cursor)} returned twice)`);
    cursor = page.next;
  }
}

/** Reads one page out of a response body, given the cursor that fetched it. */
export type PageReader<T, C> = (body: unknown, cursor: C | undefined) => Page<T, C>;

/** paginate() over an HTTP endpoint: `toRequest` builds the request for a cursor, `read` reads the page. */
export function paginateRequests<T, C>(http: HttpClient, toRequest: (cursor: C | undefined) => HttpRequest,
  read: PageReader<T, C>): AsyncGenerator<T> {
  return paginate<T, C>(async (cursor) => read((await http.request(toRequest(cursor))).body, cursor));
}

/** A path into a JSON body: 'paging.next.after', or an array for keys with dots ['@odata.nextLink']. */
export type BodyPath = string | string[];

export function valueAt(body: unknown, path: BodyPath): unknown {
  const keys = Array.isArray(path) ? path : path.split('.');
  let current: unknown = body;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function itemsAt<T>(body: unknown, path: BodyPath): T[] {
  const items = valueAt(body, path);
  return Array.isArray(items) ? (items as T[]) : [];
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A cursor the body names: HubSpot ('results', 'paging.next.after'), Slack (…, 'response_metadata.next_cursor'). */
export function cursorInBody<T>(itemsPath: BodyPath, nextPath: BodyPath): PageReader<T, string> {
  return (body) => ({ items: itemsAt<T>(body, itemsPath), next: nonEmptyString(valueAt(body, nextPath)) });
}

/** has_more plus the last item's id as the next starting_after: Stripe ('data', 'has_more', 'id'). */
export function hasMoreAfterLastId<T>(itemsPath: BodyPath = 'data', hasMorePath: BodyPath = 'has_more', idPath: BodyPath = 'id'): PageReader<T, string> {
  return (body) => {
    const items = itemsAt<T>(body, itemsPath);
    const last = items[items.length - 1];
    const next = valueAt(body, hasMorePath) === true && last !== undefined ? nonEmptyString(valueAt(last, idPath)) : undefined;
    return { items, next };
  };
}

/**
 * A link to the next page: Salesforce ('records', 'nextRecordsUrl'), Graph/Dataverse ('value',
 * ['@odata.nextLink']). Pass the link back as the request path (absolute links must share the base's origin).
 */
export function nextUrlInBody<T>(itemsPath: BodyPath, nextPath: BodyPath): PageReader<T, string> {
  return cursorInBody<T>(itemsPath, nextPath);
}

/** Offset/limit: a full page means there may be more; the next offset is the number seen so far. */
export function offsetLimit<T>(itemsPath: BodyPath, limit: number): PageReader<T, number> {
  return (body, offset) => {
    const items = itemsAt<T>(body, itemsPath);
    return { items, next: items.length >= limit ? (offset ?? 0) + items.length : undefined };
  };
}
