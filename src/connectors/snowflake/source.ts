import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { parseCursor } from '../kit';
import type { SnowflakeConfig, TableConfig } from './config';
import { SYSTEM } from './errors';
import { changesBetween, currentTimestamp, updatedSince } from './sql';
import type { Row, SqlApi } from './sql-api';
import { tableConfig } from './tables';

const METADATA = ['METADATA$ACTION', 'METADATA$ISUPDATE', 'METADATA$ROW_ID'];
/** Rows per updated-at page. */
export const UPDATED_AT_PAGE = 1000;

const cursorSchema = z.object({
  /** CHANGES: the instant read up to (TIMESTAMP_LTZ, ISO 8601 with microseconds). Updated-at: the last row's stamp. */
  at: z.string(),
  /** Updated-at: the key of the last row read at `at` (rows sharing a stamp are paged by key). */
  key: z.string().nullable().default(null),
});
type Cursor = z.infer<typeof cursorSchema>;

/**
 * Capture per table: CHANGES(INFORMATION => DEFAULT) between the cursor and now (net changes, an
 * update as a DELETE + INSERT pair flagged METADATA$ISUPDATE, deletes with the row's last values),
 * or, for capture 'updated-at', the rows whose updated-at column passed the cursor (no deletes).
 * A first poll starts from now.
 */
export function snowflakeSource(api: SqlApi, config: SnowflakeConfig): SourceContract {
  const now = async (): Promise<string> => String((await api.run(currentTimestamp))[0]?.NOW);
  return {
    async capture(object, raw): Promise<CapturePage> {
      const table = tableConfig(config, object);
      const cursor: Cursor | null = raw === null ? null : parseCursor(SYSTEM, cursorSchema, raw, () => ({ at: '', key: null }));
      if (!cursor || cursor.at === '') return { changes: [], cursor: { at: await now(), key: null }, hasMore: false };
      return table.capture === 'changes' ? changes(api, object, table, cursor, await now()) : updatedAt(api, object, table, cursor);
    },
  };
}

async function changes(api: SqlApi, object: string, table: TableConfig, cursor: Cursor, end: string): Promise<CapturePage> {
  const rows = await api.run(changesBetween(object, cursor.at, end));
  const id = table.keyColumns[0];
  const events: ChangeEvent[] = [];
  for (const row of rows) {
    const deleted = row['METADATA$ACTION'] === 'DELETE';
    if (deleted && row['METADATA$ISUPDATE'] === true) continue; // the old half of an update pair
    events.push({
      object, recordId: String(row[id]), op: deleted ? 'delete' : 'upsert', occurredAt: end, version: `${end}/${String(row['METADATA$ROW_ID'])}`,
      data: deleted ? null : withoutMetadata(row),
    });
  }
  return { changes: events, cursor: { at: end, key: null }, hasMore: false };
}

async function updatedAt(api: SqlApi, object: string, table: TableConfig, cursor: Cursor): Promise<CapturePage> {
  const stamp = table.updatedAtColumn!;
  const id = table.keyColumns[0];
  const rows = await api.run(updatedSince(object, stamp, id, cursor, UPDATED_AT_PAGE));
  const last = rows.at(-1);
  return {
    changes: rows.map((row) => ({ object, recordId: String(row[id]), op: 'upsert', occurredAt: String(row[stamp]), version: String(row[stamp]), data: row })),
    cursor: last ? { at: String(last[stamp]), key: String(last[id]) } : cursor,
    hasMore: rows.length === UPDATED_AT_PAGE,
  };
}

function withoutMetadata(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !METADATA.includes(k)));
}
