import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { captureOptions, parseCursor, type CaptureOptions } from '../kit';
import { EXPORT_PAGE_LIMIT, type Entity, type ZendeskApi } from './api';
import { SYSTEM } from './auth';
import { zendeskObject } from './objects';
import { toRecord } from './records';

/**
 * Capture through the cursor-based incremental exports (GET /api/v2/incremental/{tickets|users}/
 * cursor.json): the first poll starts at `start_time` (epoch seconds, 0 = everything), every later
 * one continues from the `after_cursor` the previous page answered, one page (at most the poll's
 * budget, at most 1,000) per poll; `end_of_stream` says whether more is waiting. Zendesk leaves out
 * what changed in the last minute, so nothing becomes visible behind the cursor: no settle margin
 * of our own. Deleted tickets come with status "deleted", deleted users with active: false; both
 * become deletes. These endpoints allow 10 requests a minute: a 429 carries Retry-After, which the
 * capture's retry honours.
 */
export interface ZendeskCursor {
  after: string | null;
  startTime: number;
}

const cursorSchema = z.object({ after: z.string().nullable(), startTime: z.number().int().nonnegative() });

export interface ZendeskSourceOptions extends CaptureOptions {
  /** Epoch seconds the first poll exports from. Default 0: everything. */
  startTime?: number;
}

export function zendeskSource(api: ZendeskApi, options: ZendeskSourceOptions = {}): SourceContract {
  const { budget } = captureOptions(options);
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const { spec, resource } = zendeskObject(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, rawCursor, () => ({ after: null, startTime: options.startTime ?? 0 }));
      const page = await api.exportPage(resource, cursor.after ? { cursor: cursor.after } : { startTime: cursor.startTime }, Math.min(budget, EXPORT_PAGE_LIMIT));
      const changes = page.items.map((entity): ChangeEvent => {
        const deleted = resource === 'tickets' ? entity.status === 'deleted' : entity.active === false;
        const occurredAt = timeOf(entity);
        return {
          object: spec.name, recordId: String(entity.id), op: deleted ? 'delete' : 'upsert', occurredAt,
          // '<time>/deleted' sorts after '<time>': a delete stamped with its last update's second stays the newer version.
          version: deleted ? `${occurredAt}/deleted` : occurredAt,
          data: deleted ? null : toRecord(spec, entity),
        };
      });
      return { changes, cursor: { after: page.afterCursor ?? cursor.after, startTime: cursor.startTime }, hasMore: !page.endOfStream };
    },
  };
}

function timeOf(entity: Entity): string {
  const at = Date.parse(String(entity.updated_at ?? ''));
  return Number.isNaN(at) ? new Date(0).toISOString() : new Date(at).toISOString();
}
