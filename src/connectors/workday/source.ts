import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { captureOptions, contentDigest, parseCursor, settledUntil, type CaptureOptions } from '../kit';
import type { WorkdayApi } from './api';
import { SYSTEM } from './auth';
import { workdayResource, type WorkdayResource } from './objects';
import { toRecord } from './records';

/**
 * Captures with the time-window filters of the collection GETs (updatedFrom, updatedTo, both
 * inclusive): each window runs from just after the last one to the settled time, and is read page
 * by page (limit 100, offset) — across polls when it holds more than a poll's budget. Resources carry
 * no modification stamp, so an event's time is its window's end and its version that end plus a
 * digest of the content. Workday's REST collections report no deletes: capture sees none.
 */
export const CAPTURE_SETTLE_MS = 1_000;

const cursorSchema = z.object({
  /** Epoch ms the next window starts at (0: from the beginning, no updatedFrom). */
  from: z.number().int().nonnegative(),
  /** A window being read: its end and the offset of its next page. */
  window: z.object({ until: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }).optional(),
});
type WindowCursor = z.infer<typeof cursorSchema>;

export function workdaySource(api: WorkdayApi, options: CaptureOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, CAPTURE_SETTLE_MS);
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const target = workdayResource(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, rawCursor, (): WindowCursor => ({ from: 0 }));
      const until = cursor.window?.until ?? settledUntil(now(), settleMs);
      if (until < cursor.from) return { changes: [], cursor, hasMore: false };
      const filters = { ...(cursor.from > 0 ? { updatedFrom: iso(cursor.from) } : {}), updatedTo: iso(until) };
      const changes: ChangeEvent[] = [];
      let offset = cursor.window?.offset ?? 0;
      for (;;) {
        const page = await api.page(target, filters, offset);
        changes.push(...page.data.map((resource) => changeOf(target, resource, until)));
        offset += page.data.length;
        const done = page.data.length === 0 || offset >= page.total;
        if (done) return { changes, cursor: { from: until + 1 }, hasMore: false };
        if (changes.length >= budget) return { changes, cursor: { from: cursor.from, window: { until, offset } }, hasMore: true };
      }
    },
  };
}

function changeOf(target: WorkdayResource, resource: Record<string, unknown>, until: number): ChangeEvent {
  const data = toRecord(resource);
  const occurredAt = iso(until);
  return { object: target.spec.name, recordId: String(resource.id), op: 'upsert', occurredAt, version: `${occurredAt}/${contentDigest(data)}`, data };
}

const iso = (ms: number): string => new Date(ms).toISOString();
