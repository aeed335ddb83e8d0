import { ApplicationFailure } from '@temporalio/common';
import type { FieldError } from './records';
import { redact, redactValue } from './credentials/redact';
import { DEFAULT_MAX_RETRY_AFTER_MS, isErrorKind, isRetryableKind, type ErrorKind } from './error-kinds';

/**
 * The error taxonomy (DESIGN.md "Error taxonomy"): every failure a connector meets becomes one
 * ConnectorError whose kind tells the platform what to do, and activities hand it to Temporal as an
 * ApplicationFailure whose type is that kind.
 */

export { DEFAULT_MAX_RETRY_AFTER_MS, ERROR_KINDS, NON_RETRYABLE_ERROR_TYPES, isErrorKind, isRetryableKind } from './error-kinds';
export type { ErrorKind } from './error-kinds';

export interface ConnectorErrorInit {
  kind: ErrorKind;
  system: string;
  message: string;
  status?: number;
  retryAfterMs?: number;
  fields?: FieldError[];
  /** The system's own error code (HubSpot category, Stripe code, Slack error, Salesforce statusCode). */
  code?: string;
  /** The body the system answered, parsed where it was JSON; kept scrubbed of secrets. */
  body?: unknown;
  cause?: unknown;
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly kind: ErrorKind;
  readonly system: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly fields?: FieldError[];
  readonly code?: string;
  readonly body?: unknown;

  constructor(init: ConnectorErrorInit) {
    super(redact(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.system = init.system;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.fields !== undefined) {
      this.fields = init.fields.map((f) => ({ field: redact(f.field), message: redact(f.message) }));
    }
    if (init.code !== undefined) this.code = redact(init.code);
    if (init.body !== undefined) this.body = scrubBody(init.body);
  }

  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }
}

/** Also true for a ConnectorError from another copy of this module (jest registries, bundles). */
export function isConnectorError(e: unknown): e is ConnectorError {
  if (e instanceof ConnectorError) return true;
  if (!isErrorLike(e) || e.name !== 'ConnectorError') return false;
  const candidate = e as Partial<ConnectorError>;
  return isErrorKind(candidate.kind) && typeof candidate.system === 'string';
}

// ---------------------------------------------------------------------------------------------
// HTTP statuses

/**
 * Status → kind. Choices beyond the design's table:
 * - 500 is transient: Salesforce, HubSpot and Graph all answer 500 for passing trouble, and the
 *   activity's retry policy bounds the attempts if it is really a bug on their side.
 * - 408 Request Timeout and 425 Too Early are transient; 423 Locked (a record being edited) too.
 * - 501 Not Implemented and 505 HTTP Version Not Supported are permanent; every other 5xx transient.
 * - 410 Gone is not_found; 412 Precondition Failed (an ETag/version token that moved) is conflict.
 * - Every other status (other 4xx, unexpected 1xx/3xx) is permanent: repeating the same request
 *   cannot change the answer, and retrying 4xx risks lockouts.
 */
export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'validation';
    case 404:
    case 410:
      return 'not_found';
    case 409:
    case 412:
      return 'conflict';
    case 408:
    case 423:
    case 425:
    case 429:
      return 'transient';
    case 501:
    case 505:
      return 'permanent';
    default:
      return status >= 500 && status <= 599 ? 'transient' : 'permanent';
  }
}

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface ClassifyHttpOptions {
  /** The connector's reader of its system's validation error body. */
  extractFields?: (body: unknown) => FieldError[];
  /** The connector's reader of its system's error code in a body. */
  extractCode?: (body: unknown) => string | undefined;
  now?: Date;
  maxRetryAfterMs?: number;
}

const BODY_SNIPPET_LENGTH = 500;

export function classifyHttp(system: string, status: number, headers: HeaderBag, body: unknown,
  opts: ClassifyHttpOptions = {}): ConnectorError {
  const kind = kindForStatus(status);
  const fields = kind === 'validation' ? safeExtractFields(opts.extractFields, body) : undefined;
  const retryAfterMs = kind === 'transient'
    ? parseRetryAfter(headerValue(headers, 'retry-after'), opts.now ?? new Date(), opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS)
    : undefined;
  const code = safeExtractCode(opts.extractCode, body);
  const onFields = fields && fields.length > 0 ? ` (fields: ${fields.map((f) => f.field).join(', ')})` : '';
  return new ConnectorError({
    kind,
    system,
    status,
    retryAfterMs,
    fields,
    code,
    body,
    message: `${system} answered HTTP ${status}${code ? ` ${code}` : ''}${onFields}: ${bodySnippet(body)}`,
  });
}

function safeExtractCode(extract: ClassifyHttpOptions['extractCode'], body: unknown): string | undefined {
  if (!extract) return undefined;
  try {
    const code = extract(body);
    return typeof code === 'string' && code !== '' ? code : undefined;
  } catch {
    return undefined;
  }
}

const BODY_MAX_DEPTH = 8;
const BODY_MAX_ENTRIES = 200;
const BODY_MAX_STRING = 2000;

/**
 * A vendor body as kept on an error: every string scrubbed, bounded in depth, entries and length,
 * walked as a structure (never re-parsed from text), and never throwing.
 */
export function scrubBody(body: unknown, depth = 0): unknown {
  try {
    if (typeof body === 'string') return redact(body.length > BODY_MAX_STRING ? `${body.slice(0, BODY_MAX_STRING)}…` : body);
    if (body === null || typeof body !== 'object') return typeof body === 'function' ? undefined : body;
    if (depth >= BODY_MAX_DEPTH) return '[nested too deep]';
    if (Array.isArray(body)) return body.slice(0, BODY_MAX_ENTRIES).map((v) => scrubBody(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body).slice(0, BODY_MAX_ENTRIES)) out[redact(k)] = scrubBody(v, depth + 1);
    return out;
  } catch {
    return '[unreadable body]';
  }
}

function safeExtractFields(extract: ClassifyHttpOptions['extractFields'], body: unknown): FieldError[] {
  if (!extract) return [];
  try {
    return extract(body);
  } catch {
    return []; // an unexpected body shape must not hide the validation error itself
  }
}

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function bodySnippet(body: unknown): string {
  if (body === undefined || body === null || body === '') return '(empty body)';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const redacted = redact(text);
  return redacted.length > BODY_SNIPPET_LENGTH ? `${redacted.slice(0, BODY_SNIPPET_LENGTH)}…` : redacted;
}

// ---------------------------------------------------------------------------------------------
// Retry-After

const DELTA_SECONDS = /^\d+(?:\.\d+)?$/;
// RFC 9110 §5.6.7: IMF-fixdate, plus the obsolete RFC 850 and asctime forms recipients must accept.
const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850_DATE = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** Milliseconds to wait from a Retry-After header (delta-seconds or HTTP-date), capped; undefined for garbage. */
export function parseRetryAfter(value: string | null | undefined, now: Date,
  capMs: number = DEFAULT_MAX_RETRY_AFTER_MS): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  let waitMs: number;
  if (DELTA_SECONDS.test(text)) {
    waitMs = Math.ceil(Number(text) * 1000);
  } else {
    const at = parseHttpDate(text);
    if (at === undefined) return undefined;
    waitMs = Math.max(0, at - now.getTime());
  }
  return Math.min(waitMs, capMs);
}

function parseHttpDate(text: string): number | undefined {
  let parsed: number;
  if (IMF_FIXDATE.test(text) || RFC_850_DATE.test(text)) parsed = Date.parse(text);
  else if (ASCTIME_DATE.test(text)) parsed = Date.parse(`${text} GMT`);
  else return undefined;
  return Number.isNaN(parsed) ? undefined : parsed;
}

// ---------------------------------------------------------------------------------------------
// Network failures

const CONNECTION_LOST_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'ConnectTimeoutError', 'HeadersTimeoutError', 'BodyTimeoutError']);
/** Our own mistakes or configuration (an invalid argument, a host that does not exist): retrying cannot help. */
const PERMANENT_NETWORK_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL', 'ENOTFOUND']);

/**
 * A failure to get an answer at all. Timeouts, resets and refused connections are transient; so is
 * anything unrecognised (flaky I/O is by far the common case, and retries are bounded by policy).
 */
export function classifyNetworkError(system: string, err: unknown): ConnectorError {
  if (isConnectorError(err)) return err;
  const chain = causeChain(err);
  const codes = chain.map((e) => String((e as { code?: unknown }).code ?? ''));
  const names = chain.map((e) => e.name);
  const messages = chain.map((e) => e.message);
  const description = messages.filter(Boolean).join(' ← ') || String(err);

  if (codes.some((c) => PERMANENT_NETWORK_CODES.has(c))) {
    return new ConnectorError({ kind: 'permanent', system, message: `${system} request could not be made: ${description}`, cause: err });
  }
  return new ConnectorError({ kind: 'transient', system, message: `${system} request ${failureReason(codes, names, messages)}: ${description}`, cause: err });
}

function failureReason(codes: string[], names: string[], messages: string[]): string {
  if (names.some((n) => TIMEOUT_NAMES.has(n)) || codes.some((c) => c.includes('TIMEOUT') || c === 'ETIMEDOUT')) return 'timed out';
  if (codes.some((c) => CONNECTION_LOST_CODES.has(c)) || messages.some((m) => /socket hang up|other side closed/i.test(m))) {
    return 'connection failed';
  }
  return 'failed';
}

/**
 * `instanceof Error` is not enough: DOMException (AbortSignal.timeout) and errors from another
 * realm (jest's sandbox, worker threads) fail it while being errors in every way that matters.
 */
function isErrorLike(value: unknown): value is Error {
  return value instanceof Error
    || (typeof value === 'object' && value !== null && typeof (value as Error).name === 'string' && typeof (value as Error).message === 'string');
}

function causeChain(err: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = err;
  while (isErrorLike(current) && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

// ---------------------------------------------------------------------------------------------
// Temporal

export interface FailureDetails {
  system?: string;
  status?: number;
  code?: string;
  fields?: FieldError[];
}

/**
 * What an activity throws to Temporal. A ConnectorError keeps its kind as the failure type; any
 * other error (a bug, an unexpected shape) becomes 'transient' so the retry policy gives it a few
 * bounded attempts rather than failing a load on a fluke. Messages and details are always redacted.
 */
/**
 * Platform errors no retry can cure: a credential row that does not decrypt (wrong master key or
 * altered row), an id that is not safe as a path, an address the egress policy refuses.
 */
const PERMANENT_ERROR_NAMES = new Set(['CredentialDecryptionError', 'InvalidCredentialIdError', 'EgressRefusedError']);

export function toTemporalFailure(err: unknown): ApplicationFailure {
  if (isConnectorError(err)) {
    const details: FailureDetails = { system: err.system, status: err.status, code: err.code, fields: err.fields };
    return ApplicationFailure.create({
      message: redact(err.message),
      type: err.kind,
      nonRetryable: !isRetryableKind(err.kind),
      details: [redactValue(details)],
      nextRetryDelay: err.retryAfterMs,
    });
  }
  if (err instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: redact(err.message),
      type: err.type ?? undefined,
      nonRetryable: err.nonRetryable ?? false,
      details: err.details ? safeRedactDetails(err.details) : undefined,
      nextRetryDelay: err.nextRetryDelay ?? undefined,
    });
  }
  const message = isErrorLike(err) ? `${err.name}: ${err.message}` : String(err);
  if (isErrorLike(err) && PERMANENT_ERROR_NAMES.has(err.name)) {
    return ApplicationFailure.create({ message: redact(message), type: 'permanent', nonRetryable: true });
  }
  return ApplicationFailure.create({ message: redact(message), type: 'transient', nonRetryable: false });
}

function safeRedactDetails(details: unknown[]): unknown[] | undefined {
  try {
    return redactValue(details);
  } catch {
    return undefined; // details that cannot be serialised would not reach Temporal either
  }
}
