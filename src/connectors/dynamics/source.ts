import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { captureOptions, parseCursor, type CaptureOptions } from '../kit';
import type { DataverseApi, Row } from './api';
import { SYSTEM } from './errors';
import { dataverseObject, selectColumns, type DataverseObject } from './objects';
import { rowToRecord } from './reader';

/**
 * The capture cursor: the link to follow next — the @odata.nextLink of a page not yet finished, or
 * the @odata.deltaLink of the last read. null: the first, full read of the table.
 */
export interface DynamicsCursor {
  link: string | null;
}

const cursorSchema = z.object({ link: z.string().min(1).nullable() });

/**
 * Capture by change tracking (Use change tracking to synchronize data with external systems): the
 * first poll reads the table with `Prefer: odata.track-changes` (every row, paged by
 * odata.maxpagesize = the poll's budget) and ends with a delta link; each later poll follows the
 * stored link and gets the rows created or changed since (their current values: an upsert each,
 * versioned by their rowversion) and the rows deleted since ($deletedEntity: a delete each). Change
 * tracking must be enabled on the table. Dataverse says nothing of when a row was deleted: a
 * delete's occurredAt is when the poll saw it, and its version names the delta token it came after
 * (stable when a poll is retried). No settle margin: the delta token is Dataverse's own high-water mark.
 */
export function dynamicsSource(api: DataverseApi, options: CaptureOptions = {}): SourceContract {
  const { budget, now } = captureOptions(options);
  return {
    capture: async (object, raw): Promise<CapturePage> => {
      const cursor = parseCursor(SYSTEM, cursorSchema, raw, () => ({ link: null }));
      const target = dataverseObject(object);
      const page = await api.changes(target.entitySet, selectColumns(target), cursor.link, budget);
      const next = page.nextLink ?? page.deltaLink;
      if (!next) throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: `dynamics answered a change-tracking read of ${target.entitySet} with neither @odata.nextLink nor @odata.deltaLink` });
      const after = deltaTokenOf(cursor.link) ?? 'initial';
      const seenAt = new Date(now()).toISOString();
      return {
        changes: page.rows.map((row) => toChange(target, row, after, seenAt)),
        cursor: { link: next } satisfies DynamicsCursor,
        hasMore: page.nextLink !== undefined,
      };
    },
  };
}

function deltaTokenOf(link: string | null): string | undefined {
  if (!link) return undefined;
  return new URL(link, 'http://dataverse.invalid').searchParams.get('$deltatoken') ?? undefined;
}

const isDeleted = (row: Row) => typeof row['@odata.context'] === 'string' && row['@odata.context'].endsWith('/$deletedEntity');

function toChange(target: DataverseObject, row: Row, after: string, seenAt: string): ChangeEvent {
  if (isDeleted(row)) {
    return { object: target.spec.name, recordId: String(row.id), op: 'delete', occurredAt: seenAt, version: `deleted-after-${after}`, data: null };
  }
  const rowVersion = String(row.versionnumber ?? /"(\d+)"/.exec(String(row['@odata.etag'] ?? ''))?.[1] ?? '0');
  return {
    object: target.spec.name,
    recordId: String(row[target.primaryKey]),
    op: 'upsert',
    occurredAt: typeof row.modifiedon === 'string' ? new Date(row.modifiedon).toISOString() : seenAt,
    // Rowversions are numbers: padded, they order as text.
    version: rowVersion.padStart(20, '0'),
    data: rowToRecord(row),
  };
}
