import { z } from 'zod';
import type { ConsistencyFaults } from './record-view';

/**
 * Injected faults (POST /__sandbox/faults). A fault applies to the API requests it matches:
 * - `method`: any when absent (case-insensitive).
 * - `path`: any when absent; otherwise an exact path ("/crm/v3/objects/contacts/batch/read"),
 *   a prefix ending in `*` ("/crm/v3/objects/*"), or a regular expression starting with `^`
 *   ("^/crm/v3/objects/[^/]+/batch/"). The query string is never part of the match.
 * - `bodyMatches`: a regular expression the raw request body must match (GraphQL's one endpoint:
 *   "productSet" picks the creates out of every POST /graphql.json).
 * - `times`: how many requests it applies to, then it is spent; unlimited (until reset) when absent,
 *   except `expire-token` with a method or path, which defaults to once.
 * - `after`: the first `after` matching requests pass untouched; the fault applies from the next one
 *   on (a 401 in the middle of a load, deterministically).
 * Effects:
 * - `latencyMs`: the answer is delayed (summed over matching faults);
 * - `status` (+ `body`, default the system's own error body for that status, + `retryAfter`, seconds
 *   or an HTTP-date, sent as `Retry-After`): the request is answered with it, before auth (a system
 *   whose errors carry a status of their own, `errors.statusFromForStatus` — Slack's HTTP 200
 *   ok:false — answers the error the status picks on its own status);
 * - `kind: 'delete-lies'`: a delete/archive answers its usual 2xx and keeps the record; counts one
 *   use per request that deletes;
 * - `kind: 'stale-read'`: reads answer the previous version of a record written less than
 *   `windowMs` (default 2000, sandbox clock) ago, or nothing for a record created that recently;
 *   counts one use per request that reads;
 * - `kind: 'expire-token'`: every access token issued so far expires. Without method/path this
 *   happens when the fault is posted; with them, when a matching request arrives (before its auth
 *   check, so that request gets the 401).
 */
export const faultKinds = ['delete-lies', 'stale-read', 'expire-token'] as const;
export type FaultKind = (typeof faultKinds)[number];

export const faultSpecSchema = z
  .object({
    method: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    /** A regular expression the raw request body must match: one endpoint for every call (GraphQL, RPC) told apart by what it carries. */
    bodyMatches: z.string().min(1).optional(),
    status: z.number().int().min(100).max(599).optional(),
    body: z.unknown().optional(),
    retryAfter: z.union([z.number().nonnegative(), z.string().min(1)]).optional(),
    latencyMs: z.number().int().nonnegative().optional(),
    times: z.number().int().positive().optional(),
    after: z.number().int().positive().optional(),
    kind: z.enum(faultKinds).optional(),
    windowMs: z.number().int().positive().optional(),
  })
  .strict()
  .refine((f) => !(f.kind && f.kind !== 'expire-token' && (f.status !== undefined || f.latencyMs !== undefined)), {
    message: 'delete-lies and stale-read faults cannot also carry a status or latencyMs: post them as separate faults',
  })
  .refine((f) => f.path === undefined || !f.path.startsWith('^') || isValidRegex(f.path), { message: 'path is not a valid regular expression' })
  .refine((f) => f.bodyMatches === undefined || isValidRegex(f.bodyMatches), { message: 'bodyMatches is not a valid regular expression', path: ['bodyMatches'] });

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export const postFaultsSchema = z.object({ faults: z.array(faultSpecSchema) }).strict();

export interface ActiveFault extends FaultSpec {
  id: number;
  /** Requests it still applies to; null = unlimited. */
  remaining: number | null;
  /** Matching requests still to let through untouched (from `after`). */
  passing: number;
}

/** What the faults decided for one request, before it reaches auth and its route. */
export interface RequestFaults extends ConsistencyFaults {
  latencyMs: number;
  /** Set when a fault answers the request instead of the route. */
  reply?: { status: number; body?: unknown; retryAfter?: number | string };
  /** True when an expire-token fault fired on this request. */
  expireTokens: boolean;
}

const defaultStaleWindowMs = 2000;

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  /** Adds faults; expire-token faults without method/path are not kept: the caller applies them now. */
  add(specs: FaultSpec[]): { added: ActiveFault[]; expireTokensNow: boolean } {
    const added: ActiveFault[] = [];
    let expireTokensNow = false;
    for (const spec of specs) {
      if (spec.kind === 'expire-token' && spec.method === undefined && spec.path === undefined) {
        expireTokensNow = true;
        continue;
      }
      const remaining = spec.times ?? (spec.kind === 'expire-token' ? 1 : null);
      const fault: ActiveFault = { ...spec, id: this.nextId++, remaining, passing: spec.after ?? 0 };
      this.faults.push(fault);
      added.push({ ...fault });
    }
    return { added, expireTokensNow };
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** Applies the immediate faults (latency, status, expire-token) and prepares the lazy ones. */
  forRequest(method: string, path: string, rawBody = ''): RequestFaults {
    const matching = this.faults.filter((f) => matches(f, method, path, rawBody)).filter((f) => {
      if (f.passing <= 0) return true;
      f.passing -= 1;
      return false;
    });
    let latencyMs = 0;
    let reply: RequestFaults['reply'];
    let expireTokens = false;
    for (const fault of matching) {
      if (fault.kind === 'delete-lies' || fault.kind === 'stale-read') continue;
      if (fault.kind === 'expire-token') expireTokens = true;
      latencyMs += fault.latencyMs ?? 0;
      if (fault.status !== undefined && !reply) reply = { status: fault.status, body: fault.body, retryAfter: fault.retryAfter };
      this.use(fault);
    }
    const lazy = (kind: FaultKind): (() => ActiveFault | null) => {
      let taken: ActiveFault | null | undefined;
      return () => {
        if (taken !== undefined) return taken;
        const fault = matching.find((f) => f.kind === kind && (f.remaining === null || f.remaining > 0)) ?? null;
        if (fault) this.use(fault);
        taken = fault;
        return taken;
      };
    };
    const staleRead = lazy('stale-read');
    const deleteLies = lazy('delete-lies');
    return {
      latencyMs,
      reply,
      expireTokens,
      staleReadWindowMs: () => {
        const fault = staleRead();
        return fault ? fault.windowMs ?? defaultStaleWindowMs : null;
      },
      deleteLies: () => deleteLies() !== null,
    };
  }

  private use(fault: ActiveFault): void {
    if (fault.remaining === null) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
  }
}

function matches(fault: ActiveFault, method: string, path: string, rawBody: string): boolean {
  if (fault.remaining !== null && fault.remaining <= 0) return false;
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.bodyMatches !== undefined && !new RegExp(fault.bodyMatches).test(rawBody)) return false;
  return fault.path === undefined || pathMatches(fault.path, path);
}

export function pathMatches(pattern: string, path: string): boolean {
  if (pattern.startsWith('^')) return new RegExp(pattern).test(path);
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
