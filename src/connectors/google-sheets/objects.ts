import type { ObjectSpec } from '../contract';
import { readOnlyField } from '../kit';

/**
 * A sheet is an object: row 1 names its fields (dynamicFields), any column can key a load. Every
 * record read also carries what the connector knows of its row, never written or compared:
 * - `_id`: its value in the id column (config keyColumn, else column A) — the row's identity;
 * - `_row`: its row number when read (rows shift as rows above are inserted or deleted);
 * - `_above`, `_below`: the ids of the nearest rows above and below, where a rollback puts it back.
 */
export const ID_FIELD = '_id';
export const ROW_FIELD = '_row';
export const ABOVE_FIELD = '_above';
export const BELOW_FIELD = '_below';

/** Rows per values:batchUpdate or append call: Google advises payloads under 2 MB, not a row count. */
export const ROWS_PER_CALL = 500;


/** Any sheet title Sheets allows (not empty, at most 100 characters). */
export function sheetObject(name: string): ObjectSpec | undefined {
  if (name.length === 0 || name.length > 100) return undefined;
  return {
    name,
    naturalKeys: [ID_FIELD],
    fields: [readOnlyField(ID_FIELD), readOnlyField(ROW_FIELD, 'number')],
    systemFields: [ABOVE_FIELD, BELOW_FIELD],
    operations: ['create', 'update', 'upsert', 'delete'],
    batchSize: ROWS_PER_CALL,
    cursor: 'timestamp',
    dynamicFields: true,
    notes: 'A sheet of the configured spreadsheet: row 1 names the fields and every value is written as text (valueInputOption RAW). '
      + 'Deletes remove rows bottom-up; a rollback puts deleted rows back between the rows that were around them. '
      + 'Capture compares the sheet with what it last saw (no change feed), and only when Drive says the file changed. '
      + 'Quotas (Sheets API v4 limits page): 300 requests a minute per project and 60 per user, for reads and for writes each; '
      + 'a 429 comes without Retry-After, so the connection draws on the request budget at 60 a minute (a project granted more declares its own rateLimits on the connection).',
  };
}
