import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { SYSTEM } from './auth';
import { captureOptions, type CaptureOptions } from '../kit';
import { stripeObject, type StripeObject } from './objects';
import { toRecord } from './records';
import type { StripeApi, StripeEvent } from './stripe-api';

/** Stripe keeps events 30 days (docs.stripe.com/api/events/list). */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Where a capture stands: every event of `created` (unix seconds) or earlier has been emitted,
 * except events at exactly `created` whose ids are not in `seen` (events sharing a second).
 * Stripe's event ids do not sort in time, so the second and the ids seen in it are the position.
 */
export interface StripeCursor {
  created: number;
  seen: string[];
}

const cursorSchema = z.object({ created: z.number().int().nonnegative(), seen: z.array(z.string()) });

export type StripeSourceOptions = CaptureOptions;

/**
 * Captures through the Events API: GET /v1/events?type=<object>.*&created[gte]=<cursor> pages
 * newest first (has_more + starting_after), so a poll pages back to the cursor and emits the
 * events oldest first (the reverse of Stripe's order: by created, then as Stripe ordered them).
 * `<object>.deleted` becomes a delete; every other event an upsert of the object it carries. The
 * version is the event id. A cursor older than Stripe's 30 days of events cannot be resumed without
 * losing changes: the poll fails as permanent, saying so.
 */
export function stripeSource(api: StripeApi, options: StripeSourceOptions = {}): SourceContract {
  const { budget, now } = captureOptions(options);

  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const target = stripeObject(object);
      const cursor = parseCursor(rawCursor);
      if (cursor) checkRetention(cursor, Math.floor(now() / 1000));
      const newestFirst = await eventsSince(api, target, cursor);
      const oldestFirst = newestFirst.reverse().filter((e) => !(cursor && e.created === cursor.created && cursor.seen.includes(e.id)));
      const emitted = oldestFirst.slice(0, budget);
      return {
        changes: emitted.map((e) => toChange(target, e)),
        cursor: advance(cursor, emitted),
        hasMore: emitted.length < oldestFirst.length,
      };
    },
  };
}

function parseCursor(cursor: unknown): StripeCursor | null {
  if (cursor === null || cursor === undefined) return null;
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `stripe capture cursor is not one this connector wrote: ${JSON.stringify(cursor)}` });
  return parsed.data;
}

function checkRetention(cursor: StripeCursor, nowSeconds: number): void {
  const ageSeconds = nowSeconds - cursor.created;
  if (ageSeconds > EVENT_RETENTION_SECONDS) {
    throw new ConnectorError({
      kind: 'permanent', system: SYSTEM,
      message: `stripe capture cursor is ${Math.floor(ageSeconds / 86400)} days old (${new Date(cursor.created * 1000).toISOString()}), `
        + 'but Stripe keeps events for 30 days only: changes in between may be lost. Start a new capture (a full re-read) instead of resuming this one.',
    });
  }
}

/** Every event of the object's type since the cursor's second, as Stripe lists them (newest first). */
async function eventsSince(api: StripeApi, target: StripeObject, cursor: StripeCursor | null): Promise<StripeEvent[]> {
  const events: StripeEvent[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await api.events({ type: `${target.stripeType}.*`, createdGte: cursor?.created, startingAfter });
    // `customer.*` also matches customer.subscription.*, customer.discount.*...: keep the object's own events.
    events.push(...page.data.filter((e) => e.data?.object?.object === target.stripeType));
    const last = page.data[page.data.length - 1];
    if (!page.has_more || !last) return events;
    if (last.id === startingAfter) throw new Error(`stripe events paging did not advance past ${last.id}`);
    startingAfter = last.id;
  }
}

function toChange(target: StripeObject, event: StripeEvent): ChangeEvent {
  const entity = event.data.object;
  const deleted = event.type === `${target.stripeType}.deleted`;
  return {
    object: target.spec.name,
    recordId: entity.id,
    op: deleted ? 'delete' : 'upsert',
    occurredAt: new Date(event.created * 1000).toISOString(),
    version: event.id,
    data: deleted ? null : toRecord(entity),
  };
}

function advance(cursor: StripeCursor | null, emitted: StripeEvent[]): StripeCursor | null {
  const last = emitted[emitted.length - 1];
  if (!last) return cursor;
  const sameSecond = emitted.filter((e) => e.created === last.created).map((e) => e.id);
  const carried = cursor && cursor.created === last.created ? cursor.seen : [];
  return { created: last.created, seen: [...carried, ...sameSecond] };
}
