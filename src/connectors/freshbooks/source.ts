import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import {
  byPosition, captureOptions, comparePositions, cutToBudget, KEYSET_START, keysetPositionSchema, parseCursor, settledUntil,
  type CaptureOptions, type KeysetPosition, type Positioned,
} from '../kit';
import { SYSTEM } from './auth';
import { easternDay, easternStampMs } from './eastern-time';
import type { FbApi } from './fb-api';
import { freshbooksObject, type FbObject } from './objects';
import { DELETED, isDeleted, toRecord, type Resource } from './records';

/**
 * Captures with search[updated_min], which takes a day (YYYY-MM-DD, Eastern): each poll reads the
 * whole day of its position onwards (deleted resources with a second query, search[vis_state]=1,
 * since lists leave them out), and keeps only what is after the position, a keyset over
 * (updated, id) (kit/keyset-cursor.ts). Re-reading the position's day is the overlap; the keyset
 * is the deduplication. An idle capture's position follows the settled time, so each poll reads
 * about one day.
 */
/** `updated` is whole seconds; changes younger than this are left for the next poll. */
export const CAPTURE_SETTLE_MS = 2_000;
const SECOND = 1000;

export type FreshbooksSourceOptions = CaptureOptions;

export function freshbooksSource(api: FbApi, options: FreshbooksSourceOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, CAPTURE_SETTLE_MS);
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const target = freshbooksObject(object);
      const from = parseCursor(SYSTEM, keysetPositionSchema, rawCursor, () => KEYSET_START);
      const until = settledUntil(now(), settleMs, SECOND);
      const since: Record<string, string> = from.at > 0 ? { updated_min: easternDay(from.at) } : {};
      const [live, deleted] = await Promise.all([api.listAll(target, since), api.listAll(target, { ...since, vis_state: String(DELETED) })]);
      const changes = [...live, ...deleted].map((r) => changeOf(target, r))
        .filter((c) => comparePositions(c.position, from) > 0 && c.position.at <= until).sort(byPosition);
      const read = cutToBudget({ changes, next: changes.at(-1)?.position ?? from, caughtUp: true }, budget);
      const settled: KeysetPosition = { at: until, id: '' };
      const cursor = read.caughtUp && comparePositions(settled, read.next) > 0 ? settled : read.next;
      return { changes: read.changes.map((c) => c.event), cursor, hasMore: !read.caughtUp };
    },
  };
}

function changeOf(target: FbObject, resource: Resource): Positioned<ChangeEvent> {
  const at = easternStampMs(resource.updated) ?? 0;
  const id = String(resource.id);
  const occurredAt = new Date(at).toISOString();
  const deleted = isDeleted(resource);
  return {
    position: { at, id },
    event: { object: target.spec.name, recordId: id, op: deleted ? 'delete' : 'upsert', occurredAt, version: `${occurredAt}/${String(resource.vis_state ?? 0)}`, data: deleted ? null : toRecord(resource) },
  };
}
