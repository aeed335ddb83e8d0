import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { captureOptions, parseCursor, type CaptureOptions } from '../kit';
import type { Sage300Api } from './api';
import { toRecord } from './destination';
import { SYSTEM } from './errors';
import { keyOf, sage300Resource, STAMP } from './objects';

/**
 * Creates and updates by `$filter=DateLastMaintained ge <day>`. DateLastMaintained is a date
 * without a time, so a record changed twice in one day keeps its stamp: each poll reads the whole
 * current day again and emits the records whose content differs from what the cursor remembers of
 * that day (a fingerprint per key). When the day moves on, the cursor forgets the older days'
 * fingerprints. The Web API exposes no deleted records, so deletes are not captured.
 *
 * Settle margin: a day is kept open for SETTLE_MS after it ends, for writes stamped just before
 * midnight and committed after it.
 */
export const SETTLE_MS = 60_000;
const DAY_MS = 86_400_000;

const cursorSchema = z.object({ day: z.number().int().nonnegative(), seen: z.record(z.string(), z.string()) });
export type Sage300Cursor = z.infer<typeof cursorSchema>;

export function sage300Source(api: Sage300Api, options: CaptureOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SETTLE_MS);
  return {
    async capture(object, raw): Promise<CapturePage> {
      const resource = sage300Resource(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, raw, () => ({ day: 0, seen: {} }));
      const select = resource.spec.fields.map((f) => f.name);
      const rows = await api.list(resource, `${STAMP} ge datetime'${new Date(cursor.day).toISOString().slice(0, 19)}'`, select);
      const openFrom = Math.floor((now() - settleMs) / DAY_MS) * DAY_MS;
      const entries = rows
        .map((row) => ({ key: String(row[keyOf(resource.spec)]), day: dateOf(row[STAMP]), record: toRecord(resource, row)! }))
        .map((e) => ({ ...e, print: fingerprint(e.record) }))
        .filter((e) => cursor.seen[e.key] !== e.print)
        .sort((a, b) => a.day - b.day || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const emitted = entries.slice(0, budget);
      const seen = { ...cursor.seen, ...Object.fromEntries(emitted.map((e) => [e.key, e.print])) };
      const caughtUp = emitted.length === entries.length;
      // Days before the open one are final once caught up: forget their fingerprints.
      const day = caughtUp ? Math.max(cursor.day, openFrom) : cursor.day;
      const dayOf = new Map(rows.map((r) => [String(r[keyOf(resource.spec)]), dateOf(r[STAMP])]));
      const kept = Object.fromEntries(Object.entries(seen).filter(([key]) => (dayOf.get(key) ?? -1) >= day));
      const polledAt = String(now()).padStart(15, '0');
      return {
        changes: emitted.map((e): ChangeEvent => ({
          object: resource.spec.name, recordId: e.key, op: 'upsert', occurredAt: new Date(e.day).toISOString(), version: `${new Date(e.day).toISOString()}/${polledAt}`, data: e.record,
        })),
        cursor: { day, seen: kept } satisfies Sage300Cursor,
        hasMore: !caughtUp,
      };
    },
  };
}

function fingerprint(record: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)))).digest('base64url').slice(0, 22);
}

/** DateLastMaintained as epoch ms: the Web API writes it without a zone ("2010-08-18T00:00:00"), in UTC here. */
function dateOf(value: unknown): number {
  const text = String(value ?? '');
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}
