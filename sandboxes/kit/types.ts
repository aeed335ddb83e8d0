import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxClock } from './clock';
import type { ConsistencyFaults, RecordView } from './record-view';

/** What a route, an auth scheme or an error hook answers: a status, a JSON (or text) body, headers. */
export interface Reply {
  status: number;
  /** Serialised as JSON unless it is a string (sent as text/plain) or undefined (no body). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown from a handler to answer with a reply at once (validation errors, 404s...). */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`sandbox reply ${reply.status}`);
  }
}

/** A request as handlers see it: body already parsed (JSON or form-encoded). */
export interface SandboxRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** Path parameters matched by the route pattern (`:objectType` -> params.objectType). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, a form-encoded body as a string record, or undefined when there is none. */
  body: unknown;
  /** The raw body text (for signature checks). */
  rawBody: string;
}

/** Per request: what a handler can use besides the request itself. */
export interface HandlerContext {
  /** The records, seen through this request's faults (stale-read, delete-lies). */
  records: RecordView;
  /** This request's stale-read and delete-lies faults, for handlers that keep records outside `records` (externalStore). */
  consistency: ConsistencyFaults;
  clock: SandboxClock;
  /** A fresh id for this request, for the systems that put one in their bodies. */
  correlationId: string;
  /** The sandbox's own base URL, e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  /** Who the auth scheme says made the request (undefined on public routes). */
  principal?: Principal;
}

export interface Principal {
  /** The scheme that authenticated the call ('oauth2-refresh-token', 'basic', ...). */
  scheme: string;
  subject: string;
}

export type Handler = (req: SandboxRequest, ctx: HandlerContext) => Reply | Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path pattern: literal segments and `:name` parameters, e.g. /crm/v3/objects/:objectType/:id */
  path: string;
  handle: Handler;
  /** Public routes (token endpoints) skip the auth check. Default: false. */
  public?: boolean;
  /** Routes outside the system's documented rate limit (token endpoints). Default: true. */
  rateLimited?: boolean;
  /**
   * For systems with one endpoint for everything (Sage Intacct's XML gateway): the route answers
   * only the requests this accepts; the others go on to the next route with the same path.
   */
  when?(req: RouteProbe): boolean;
}

/** What a route's `when` sees of a request: its headers and body, before the route is chosen. */
export interface RouteProbe {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

/** Why a request was refused by the auth scheme: the system may answer each differently. */
export type AuthFailure = 'missing' | 'invalid' | 'expired';

export interface RateLimitInfo {
  limit: number;
  windowMs: number;
  remaining: number;
  /** Seconds until a request would be accepted again (0 when it would be now). */
  retryAfterSeconds: number;
}

/** The system's own error bodies: the kit decides when, the definition says what. */
export interface ErrorReplies {
  unauthorized(failure: AuthFailure, req: SandboxRequest, ctx: HandlerContext): Reply;
  rateLimited(info: RateLimitInfo, req: SandboxRequest, ctx: HandlerContext): Reply;
  notFound(req: SandboxRequest, ctx: HandlerContext): Reply;
  /** A body that does not parse as its content type says. */
  malformedBody(req: SandboxRequest, ctx: HandlerContext): Reply;
  /** The body of an injected fault with a status and no body of its own, and of unexpected errors (500). */
  forStatus(status: number, req: SandboxRequest, ctx: HandlerContext): Reply;
  /**
   * For systems that answer failures on a status of their own choosing (Slack: HTTP 200
   * `{ ok: false, error }` for everything but rate limits): an injected fault's status picks the
   * error (forStatus) and the reply goes out with forStatus's own status, not the injected one.
   * Default false: the injected status is sent as is. A fault with its own body is always sent as given.
   */
  statusFromForStatus?: boolean;
}

export interface RateLimitPolicy {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Headers the system sends on every rate-limited response (e.g. X-HubSpot-RateLimit-*). */
  headers?(info: RateLimitInfo): Record<string, string>;
}
