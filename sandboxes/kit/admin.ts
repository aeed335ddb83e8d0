import { z } from 'zod';
import type { AuthScheme } from './auth/auth-scheme';
import type { SandboxClock } from './clock';
import { defaultSeedRecord, type SandboxDefinition } from './definition';
import { postFaultsSchema, type FaultRegistry } from './faults';
import { json } from './http-io';
import type { SlidingWindowLimiter } from './rate-limit';
import type { RecordStore } from './record-store';
import type { RequestLog } from './request-log';
import { ReplyError, type Reply } from './types';

/** What the admin API works on: the sandbox's parts. */
export interface SandboxParts {
  definition: SandboxDefinition;
  store: RecordStore;
  clock: SandboxClock;
  faults: FaultRegistry;
  requests: RequestLog;
  auth: AuthScheme;
  limiter?: SlidingWindowLimiter;
  baseUrl(): string;
}

export const adminPrefix = '/__sandbox';

const seedSchema = z.object({ objects: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))) }).strict();
const clockSchema = z
  .object({
    at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'at must be an ISO 8601 date-time').optional(),
    frozen: z.boolean().optional(),
    advanceMs: z.number().int().optional(),
  })
  .strict();

/**
 * The admin API, the same for every sandbox (DESIGN.md "Sandboxes"), never subject to auth, faults
 * or rate limits, and not written to the request log:
 *   GET    /__sandbox/state        -> { objects: { <object>: [record, ...] } }
 *   POST   /__sandbox/seed         { objects: { <object>: [record, ...] } } -> the records as stored
 *   POST   /__sandbox/reset        empty state, faults, request log and rate-limit window; clock back to wall time
 *   GET    /__sandbox/credentials  -> { credentials, config }
 *   POST   /__sandbox/faults       { faults: [...] } (see faults.ts) -> { faults: [active faults] }
 *   GET    /__sandbox/faults       -> { faults: [active faults with `remaining`] }
 *   DELETE /__sandbox/faults       clears the faults only
 *   GET    /__sandbox/requests     -> { requests: [{ method, path, status, query, at, receivedAt }], newest last,
 *                                      inFlight: [{ method, path, query, receivedAt }] received and not yet answered }
 *   DELETE /__sandbox/requests     clears the log only
 *   GET    /__sandbox/clock        -> { now, frozen }
 *   POST   /__sandbox/clock        { at?: ISO, frozen?: boolean, advanceMs?: number } -> { now, frozen }
 *          `at` sets the time (frozen there when frozen is true, running from there otherwise);
 *          `frozen` alone freezes/unfreezes at the current time; `advanceMs` moves it on.
 */
export async function handleAdmin(parts: SandboxParts, method: string, path: string, body: unknown): Promise<Reply> {
  const external = parts.definition.externalStore;
  const route = `${method.toUpperCase()} ${path.slice(adminPrefix.length) || '/'}`;
  switch (route) {
    case 'GET /state':
      return json(200, { objects: external ? await external.state() : presentAll(parts) });
    case 'POST /seed':
      return external ? json(200, { objects: await external.seed(parse(seedSchema, body).objects) }) : seed(parts, body);
    case 'POST /reset':
      await external?.reset();
      parts.store.clear();
      parts.faults.clear();
      parts.requests.clear();
      parts.limiter?.reset();
      parts.clock.reset();
      return json(200, { reset: true });
    case 'GET /credentials':
      return json(200, {
        credentials: parts.auth.credentials(),
        config: parts.definition.config ? parts.definition.config(parts.baseUrl()) : { baseUrl: parts.baseUrl() },
      });
    case 'POST /faults': {
      const input = parse(postFaultsSchema, body);
      const { expireTokensNow } = parts.faults.add(input.faults);
      if (expireTokensNow) parts.auth.expireAccessTokens();
      return json(200, { faults: parts.faults.list(), ...(expireTokensNow ? { accessTokensExpired: true } : {}) });
    }
    case 'GET /faults':
      return json(200, { faults: parts.faults.list() });
    case 'DELETE /faults':
      parts.faults.clear();
      return json(200, { faults: [] });
    case 'GET /requests':
      return json(200, { requests: parts.requests.list(), inFlight: parts.requests.inFlight() });
    case 'DELETE /requests':
      parts.requests.clear();
      return json(200, { requests: [] });
    case 'GET /clock':
      return json(200, parts.clock.state());
    case 'POST /clock': {
      const input = parse(clockSchema, body ?? {});
      if (input.at !== undefined) parts.clock.set(Date.parse(input.at), input.frozen ?? parts.clock.isFrozen());
      else if (input.frozen === true) parts.clock.freeze();
      else if (input.frozen === false) parts.clock.unfreeze();
      if (input.advanceMs !== undefined) parts.clock.advance(input.advanceMs);
      return json(200, parts.clock.state());
    }
    default:
      return json(404, { error: { message: `no admin route ${route}` } });
  }
}

function seed(parts: SandboxParts, body: unknown): Reply {
  const input = parse(seedSchema, body);
  const unknownObjects = Object.keys(input.objects).filter((o) => !parts.store.hasObject(o));
  if (unknownObjects.length > 0) {
    return json(400, { error: { message: `unknown objects: ${unknownObjects.join(', ')}; this sandbox has ${parts.store.objects().join(', ')}` } });
  }
  const toRecord = parts.definition.seedRecord ?? defaultSeedRecord;
  const prepared = Object.entries(input.objects).map(([object, records]) => [object, records.map((r) => toRecord(object, r))] as const);
  const created: Record<string, unknown[]> = {};
  for (const [object, records] of prepared) {
    created[object] = records.map((r) => present(parts, object, parts.store.insert(object, r, { seeded: true })));
  }
  return json(200, { objects: created });
}

function presentAll(parts: SandboxParts): Record<string, unknown[]> {
  return Object.fromEntries(parts.store.objects().map((object) => [object, parts.store.all(object).map((r) => present(parts, object, r))]));
}

function present(parts: SandboxParts, object: string, record: ReturnType<RecordStore['get']> & object): unknown {
  return parts.definition.presentRecord ? parts.definition.presentRecord(object, record) : record;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ReplyError(json(400, { error: { message: 'invalid admin request', issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } }));
  }
  return result.data;
}
