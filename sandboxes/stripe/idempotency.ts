import { createHash } from 'node:crypto';
import type { Handler, HandlerContext, Reply, SandboxRequest } from '../kit';
import { ReplyError } from '../kit';
import { stripeError } from './errors';

/**
 * Idempotent requests (docs.stripe.com/api/idempotent_requests): a POST with an Idempotency-Key has
 * its status and body saved once the endpoint starts executing; the same key with the same
 * parameters answers the saved response again (with `Idempotent-Replayed: true`), with different
 * parameters (or another endpoint) a 400 idempotency_error. Requests refused before executing
 * (parameter validation) are not saved. Keys are kept 24 hours (sandbox clock).
 */
export const IDEMPOTENCY_KEYS = 'idempotency_keys';
const KEY_LIFETIME_MS = 24 * 3600 * 1000;
const MAX_KEY_LENGTH = 255;

interface SavedRequest {
  fingerprint: string;
  status: number;
  body: unknown;
  savedAtMs: number;
}

function fingerprint(req: SandboxRequest): string {
  return createHash('sha256').update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? {})}`).digest('hex');
}

function headerOf(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function idempotencyKeyOf(req: SandboxRequest): string | undefined {
  return headerOf(req, 'idempotency-key');
}

/** Wraps a POST handler with Stripe's idempotency layer. */
export function idempotent(handle: Handler): Handler {
  return async (req: SandboxRequest, ctx: HandlerContext): Promise<Reply> => {
    const key = idempotencyKeyOf(req);
    if (key === undefined) return handle(req, ctx);
    if (key.length > MAX_KEY_LENGTH) {
      return stripeError(400, { param: 'Idempotency-Key', message: `Idempotency keys can be up to ${MAX_KEY_LENGTH} characters long.` });
    }
    const saved = savedRequest(ctx, key);
    const keyHeaders = { 'idempotency-key': key };
    if (saved) {
      if (saved.fingerprint !== fingerprint(req)) {
        return {
          ...stripeError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          }),
          headers: keyHeaders,
        };
      }
      return { status: saved.status, body: saved.body, headers: { ...keyHeaders, 'idempotent-replayed': 'true' } };
    }
    let reply: Reply;
    try {
      reply = await handle(req, ctx);
    } catch (error) {
      if (error instanceof ReplyError) return { ...error.reply, headers: { ...(error.reply.headers ?? {}), ...keyHeaders } };
      throw error;
    }
    if (reply.status < 400 || reply.status >= 500) save(ctx, key, { fingerprint: fingerprint(req), status: reply.status, body: reply.body, savedAtMs: ctx.clock.nowMs() });
    return { ...reply, headers: { ...(reply.headers ?? {}), ...keyHeaders } };
  };
}

function savedRequest(ctx: HandlerContext, key: string): SavedRequest | undefined {
  const record = ctx.records.latest(IDEMPOTENCY_KEYS, key);
  if (!record) return undefined;
  const saved = record.fields as unknown as SavedRequest;
  return ctx.clock.nowMs() - saved.savedAtMs >= KEY_LIFETIME_MS ? undefined : saved;
}

function save(ctx: HandlerContext, key: string, saved: SavedRequest): void {
  // A key older than 24 h is pruned: its next use is a new request, saved over the old one.
  if (ctx.records.latest(IDEMPOTENCY_KEYS, key)) ctx.records.update(IDEMPOTENCY_KEYS, key, { ...saved });
  else ctx.records.insert(IDEMPOTENCY_KEYS, { id: key, fields: { ...saved } });
}
