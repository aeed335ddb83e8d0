import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import {
  byPosition, captureOptions, comparePositions, cutToBudget, epochMs, KEYSET_START, keysetPositionSchema, parseCursor, settledUntil,
  type CaptureOptions, type KeysetPosition, type KeysetRead, type Positioned,
} from '../kit';
import { SYSTEM } from './auth';
import { quote } from './lookup';
import { quickbooksObject, type QboObject } from './objects';
import { QUERY_PAGE_SIZE, type QboApi } from './qbo-api';
import { isTombstone, toRecord, type Entity } from './records';

/**
 * Capture in two modes, each a keyset over (MetaData.LastUpdatedTime, Id) (kit/keyset-cursor.ts):
 * - 'query' backfills through the query endpoint, ordered by MetaData.LastUpdatedTime (inactive
 *   customers and items included, as deletes). The first poll starts here.
 * - 'cdc' follows the Change Data Capture endpoint, which also reports deleted invoices
 *   (status: "Deleted"). CDC looks back 30 days at most and answers at most 1,000 objects, with no
 *   paging: an answer of 1,000 may be missing changes, so the poll keeps the tombstones it saw and
 *   goes back to 'query' mode from its position until it has caught up. Deleted invoices that fell
 *   outside such an answer cannot be recovered from the API (see README).
 * An idle capture's position follows the settled time, so it never ages out of CDC's 30 days.
 */
export const CDC_LOOKBACK_MS = 30 * 86_400_000;
export const CDC_MAX_OBJECTS = 1000;
/** Stamps are whole seconds; changes younger than this are left for the next poll. */
export const CAPTURE_SETTLE_MS = 5_000;
/** A cursor this close to CDC's 30-day edge is refused before CDC itself refuses it. */
const LOOKBACK_MARGIN_MS = 3_600_000;
const SECOND = 1000;

const cursorSchema = z.object({ mode: z.enum(['query', 'cdc']), position: keysetPositionSchema });
export type QuickbooksCursor = z.infer<typeof cursorSchema>;

export type QuickbooksSourceOptions = CaptureOptions;
type Change = Positioned<ChangeEvent>;

export function quickbooksSource(api: QboApi, options: QuickbooksSourceOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, CAPTURE_SETTLE_MS);
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const target = quickbooksObject(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, rawCursor, (): QuickbooksCursor => ({ mode: 'query', position: KEYSET_START }));
      const until = settledUntil(now(), settleMs, SECOND);
      if (cursor.mode === 'query') return fromQueries(await readQueries(api, target, cursor.position, until, budget), until);
      checkLookback(cursor.position, now());
      const entities = await api.changes(target.entity, new Date(cursor.position.at).toISOString());
      const changes = entities.map((e) => changeOf(target, e)).filter((c) => comparePositions(c.position, cursor.position) > 0 && c.position.at <= until).sort(byPosition);
      if (entities.length >= CDC_MAX_OBJECTS) {
        return { changes: changes.filter((c) => c.event.op === 'delete').map((c) => c.event), cursor: { mode: 'query', position: cursor.position }, hasMore: true };
      }
      const read = cutToBudget({ changes, next: changes.at(-1)?.position ?? cursor.position, caughtUp: true }, budget);
      return page('cdc', read, until);
    },
  };
}

function fromQueries(read: KeysetRead<ChangeEvent>, until: number): CapturePage {
  return read.caughtUp ? page('cdc', read, until) : page('query', read, until);
}

/** The page of a read; a read that caught up moves its position to the settled time. */
function page(mode: QuickbooksCursor['mode'], read: KeysetRead<ChangeEvent>, until: number): CapturePage {
  const settled: KeysetPosition = { at: until, id: '' };
  const position = read.caughtUp && comparePositions(settled, read.next) > 0 ? settled : read.next;
  return { changes: read.changes.map((c) => c.event), cursor: { mode, position }, hasMore: !read.caughtUp };
}

/**
 * Changes after `from` up to `until`, through queries ordered by MetaData.LastUpdatedTime, pages of
 * 1,000. Pages are read until the budget is passed and a later second has begun, so the seconds
 * kept are complete (many entities can share one second).
 */
async function readQueries(api: QboApi, target: QboObject, from: KeysetPosition, until: number, budget: number): Promise<KeysetRead<ChangeEvent>> {
  const conditions = [
    ...(from.at > 0 ? [`MetaData.LastUpdatedTime >= ${quote(new Date(from.at).toISOString())}`] : []),
    `MetaData.LastUpdatedTime <= ${quote(new Date(until).toISOString())}`,
    ...(target.removal === 'deactivate' ? ['Active in (true, false)'] : []),
  ];
  const read: Change[] = [];
  let exhausted = false;
  for (let start = 1; ; start += QUERY_PAGE_SIZE) {
    const response = await api.query(`select * from ${target.entity} where ${conditions.join(' and ')} orderby MetaData.LastUpdatedTime startposition ${start} maxresults ${QUERY_PAGE_SIZE}`);
    const entities = Array.isArray(response[target.entity]) ? response[target.entity] as Entity[] : [];
    read.push(...entities.map((e) => changeOf(target, e)));
    if (entities.length < QUERY_PAGE_SIZE) { exhausted = true; break; }
    const times = read.map((c) => c.position.at).sort((a, b) => a - b);
    if (times.length > budget && times[times.length - 1] > times[budget - 1]) break;
  }
  const lastSecond = Math.max(...read.map((c) => c.position.at));
  const complete = read.filter((c) => exhausted || c.position.at < lastSecond);
  const changes = complete.filter((c) => comparePositions(c.position, from) > 0).sort(byPosition);
  return cutToBudget({ changes, next: changes.at(-1)?.position ?? from, caughtUp: exhausted }, budget);
}

function checkLookback(position: KeysetPosition, nowMs: number): void {
  if (nowMs - position.at <= CDC_LOOKBACK_MS - LOOKBACK_MARGIN_MS) return;
  throw new ConnectorError({
    kind: 'permanent', system: SYSTEM,
    message: `quickbooks capture cursor is at ${new Date(position.at).toISOString()}, but Change Data Capture looks back 30 days at most: `
      + 'changes since then may be lost. Start a new capture (it backfills through queries) instead of resuming this one.',
  });
}

/** An entity of a query or CDC answer as a positioned change: tombstones and inactive entries are deletes. */
function changeOf(target: QboObject, entity: Entity): Change {
  const meta = (entity.MetaData ?? {}) as { LastUpdatedTime?: string };
  const at = epochMs(meta.LastUpdatedTime) ?? 0;
  const occurredAt = new Date(at).toISOString();
  const id = String(entity.Id);
  const removed = isTombstone(entity) || (target.removal === 'deactivate' && entity.Active === false);
  const version = isTombstone(entity) ? `${occurredAt}/deleted` : `${occurredAt}/${String(entity.SyncToken)}${removed ? '/inactive' : ''}`;
  return {
    position: { at, id },
    event: { object: target.entity, recordId: id, op: removed ? 'delete' : 'upsert', occurredAt, version, data: removed ? null : toRecord(entity) },
  };
}
