import type { CapturePage, SourceContract } from '../contract';
import { readArchivedChanges } from './archived-changes';
import { byPosition, captureOptions, settledUntil, type CaptureOptions } from '../kit';
import { parseCursor, type HubspotCursor, type PositionedChange, type StreamRead } from './capture-position';
import { readChangeWindows } from './change-windows';
import type { CrmApi } from './crm-api';
import { hubspotObject } from './objects';

/**
 * HubSpot's search index trails its writes by a few seconds: changes modified within this window
 * are left for the next poll, so a record indexed late cannot land behind the cursor.
 */
export const SEARCH_SETTLE_MS = 10_000;

export type HubspotSourceOptions = CaptureOptions;

/**
 * Captures creates and updates (CRM search on the last-modified date) and deletes (archived
 * records), merged in time order. The cursor is { changes, deletes }, each a (time, id) position.
 */
export function hubspotSource(api: CrmApi, options: HubspotSourceOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SEARCH_SETTLE_MS);

  return {
    async capture(object, cursor): Promise<CapturePage> {
      const spec = hubspotObject(object);
      const from = parseCursor(cursor);
      const changes = await readChangeWindows(api, from.changes, {
        object: spec.name, properties: spec.fields.map((f) => f.name), budget, until: settledUntil(now(), settleMs),
      });
      const deletes = await readArchivedChanges(api, spec.name, from.deletes, budget);
      return mergeStreams(from, changes, deletes, budget);
    },
  };
}

type StreamName = keyof HubspotCursor;

/**
 * Merges the two streams in time order. A stream that has not caught up may still hold changes
 * older than the other's latest, so only changes up to the earliest such frontier are emitted;
 * each stream's position moves to its last emitted change (a complete prefix of what it read).
 */
function mergeStreams(from: HubspotCursor, changes: StreamRead, deletes: StreamRead, budget: number): CapturePage {
  const streams: Record<StreamName, StreamRead> = { changes, deletes };
  const frontier = Math.min(...Object.values(streams).filter((s) => !s.caughtUp).map((s) => s.next.at));
  const tagged = (Object.keys(streams) as StreamName[]).flatMap((name) => streams[name].changes.map((c) => ({ name, change: c })));
  tagged.sort((a, b) => byPosition(a.change, b.change) || (a.name === b.name ? 0 : a.name === 'changes' ? -1 : 1));
  const emitted = tagged.filter((t) => t.change.position.at <= frontier).slice(0, budget);

  const cursor: HubspotCursor = { ...from };
  let complete = true;
  for (const name of Object.keys(streams) as StreamName[]) {
    const mine: PositionedChange[] = emitted.filter((t) => t.name === name).map((t) => t.change);
    const all = streams[name];
    if (mine.length === all.changes.length) cursor[name] = all.next;
    else {
      complete = false;
      if (mine.length > 0) cursor[name] = mine[mine.length - 1].position;
    }
  }
  return {
    changes: emitted.map((t) => t.change.event),
    cursor,
    hasMore: !complete || !changes.caughtUp || !deletes.caughtUp,
  };
}
