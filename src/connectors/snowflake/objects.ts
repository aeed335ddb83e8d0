import type { ObjectSpec } from '../contract';
import { IDENTIFIER } from './config';

/** Rows per statement: binds stay well under what one SQL API request carries. */
export const ROWS_PER_STATEMENT = 500;

/**
 * A table is an object (dynamicFields: its columns are read at run time); the connection's config
 * names the tables and their key columns (config.tables), which is where a load's natural key must be.
 */
export function tableObject(name: string): ObjectSpec | undefined {
  if (!IDENTIFIER.test(name)) return undefined;
  return {
    name,
    naturalKeys: [],
    fields: [],
    operations: ['create', 'update', 'upsert', 'delete'],
    batchSize: ROWS_PER_STATEMENT,
    cursor: 'timestamp',
    dynamicFields: true,
    notes: 'A table named in config.tables, keyed by one of its keyColumns (Snowflake enforces no key). Column names as Snowflake shows them (upper case). '
      + 'Writes are one statement per batch with bind variables: MERGE for upsert, INSERT for create (a key already there is refused), UPDATE ... FROM for update, DELETE confirmed by a read. '
      + 'A rollback re-inserts a deleted row with every column it had (an AUTOINCREMENT id included). '
      + 'Capture: CHANGES(INFORMATION => DEFAULT) on a table with CHANGE_TRACKING = TRUE (deletes included), or an updated-at column (no deletes). Needs a running warehouse (config.warehouse).',
  };
}
