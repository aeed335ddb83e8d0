import { isConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Key, Rec, RecordResult, WriteOperation } from '../contract';
import { deleteConfirmed, keyValue, recordLevelErrors, sleep } from '../kit';
import type { SnowflakeConfig } from './config';
import { deleteByKeys, ident, insertRows, mergeRows, selectByKeys, updateRows } from './sql';
import type { Row, SqlApi, Statement } from './sql-api';
import { requireKeyColumn, tableConfig } from './tables';

type WriteOp = Exclude<WriteOperation, 'delete'>;

export function snowflakeDestination(api: SqlApi, config: SnowflakeConfig, options: { confirmWait?: (ms: number) => Promise<void> } = {}): DestinationContract {
  const keyed = (table: string, keyField: string) => {
    const t = tableConfig(config, table);
    requireKeyColumn(table, t, keyField);
    return t;
  };

  /** Rows by key value (as text), read in one SELECT ... WHERE key IN (?, ...). */
  const rowsByKey = async (table: string, keyField: string, keys: Key[]): Promise<Map<string, Row>> => {
    const found = new Map<string, Row>();
    if (keys.length === 0) return found;
    for (const row of await api.run(selectByKeys(table, keyField, [...new Set(keys)]))) {
      const value = row[keyField];
      if (value !== null && value !== undefined && !found.has(String(value))) found.set(String(value), row);
    }
    return found;
  };

  return {
    async read(object, keyField, keys) {
      keyed(object, keyField);
      const rows = await rowsByKey(object, keyField, keys);
      return new Map(keys.map((k) => [k, rows.get(k) ?? null]));
    },

    async write(object, op, keyField, records) {
      keyed(object, keyField);
      const results: RecordResult[] = new Array(records.length);
      const keys = records.map((r) => keyValue(r, keyField));
      const before = await rowsByKey(object, keyField, keys);
      const toWrite: number[] = [];
      records.forEach((record, index) => {
        const key = keys[index];
        const exists = before.has(key);
        const badColumn = Object.keys(record).find((c) => !/^[A-Z_][A-Z0-9_$]*$/.test(c));
        if (badColumn) results[index] = failed(index, key, [{ field: badColumn, message: `${badColumn} is not a column name as Snowflake shows it (an unquoted identifier in upper case)` }]);
        else if (op === 'create' && exists) results[index] = failed(index, key, [{ field: keyField, message: `${object} already has a row with ${keyField} ${key}` }]);
        else if (op === 'update' && !exists) results[index] = failed(index, key, [{ field: keyField, message: `${object} has no row with ${keyField} ${key}` }]);
        else toWrite.push(index);
      });
      const refused = await writeGroups(api, object, op, keyField, toWrite.map((i) => ({ index: i, record: records[i] })));
      const after = await rowsByKey(object, keyField, toWrite.map((i) => keys[i]));
      for (const index of toWrite) {
        const key = keys[index];
        const errors = refused.get(index);
        const row = after.get(key);
        if (errors) results[index] = failed(index, key, errors);
        else if (!row) results[index] = failed(index, key, [{ field: keyField, message: `${object} answered success but no row with ${keyField} ${key} reads back` }]);
        // A table has no id of its own: the row is known by the load's key (activities use it as the id field).
        else results[index] = { index, key, id: key, outcome: before.has(key) ? 'updated' : 'created' };
      }
      return results;
    },

    delete(object, keyField, keys) {
      keyed(object, keyField);
      return deleteConfirmed({
        systemName: 'Snowflake', object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: async (wanted) => {
          const rows = await rowsByKey(object, keyField, wanted);
          return new Map(wanted.map((k) => [k, rows.has(k) ? k : null]));
        },
        remove: async (targets) => {
          await api.run(deleteByKeys(object, keyField, targets.map((t) => t.id)));
          return new Map<string, FieldError[]>();
        },
        stillPresent: async (ids) => new Set((await rowsByKey(object, keyField, ids)).keys()),
      });
    },

    /** Snowflake has no per-row undelete: the row is inserted again with every column it had (its AUTOINCREMENT id included). */
    async restore(object, keyField, before) {
      keyed(object, keyField);
      const key = keyValue(before, keyField);
      const present = await rowsByKey(object, keyField, [key]);
      if (!present.has(key)) {
        const columns = Object.keys(before).filter((c) => before[c] !== null && before[c] !== undefined);
        columns.forEach(ident);
        await api.run(insertRows(object, columns, [before]));
      }
      return { id: key, recreated: true };
    },
  };
}

function failed(index: number, key: Key, errors: FieldError[]): RecordResult {
  return { index, key, outcome: 'failed', errors };
}

interface Pending {
  index: number;
  record: Rec;
}

/**
 * Records grouped by the columns they carry (a column left out keeps its value or DEFAULT), one
 * statement per group. A statement Snowflake refuses for a record's value (a bad column, a value
 * it cannot convert) fails as a whole: its records are then sent one statement each, so only the
 * records at fault fail, each with Snowflake's error.
 */
async function writeGroups(api: SqlApi, table: string, op: WriteOp, keyField: string, pending: Pending[]): Promise<Map<number, FieldError[]>> {
  const refused = new Map<number, FieldError[]>();
  const groups = new Map<string, Pending[]>();
  for (const p of pending) {
    const columns = Object.keys(p.record).filter((c) => c !== keyField).sort().join(',');
    groups.set(columns, [...(groups.get(columns) ?? []), p]);
  }
  for (const [columnList, group] of groups) {
    const columns = columnList === '' ? [] : columnList.split(',');
    if (op === 'update' && columns.length === 0) continue;
    const statementFor = (records: Rec[]) => statement(table, op, keyField, columns, records);
    const outcome = await attempt(api, statementFor(group.map((g) => g.record)));
    if (outcome === true) continue;
    if (group.length === 1) { refused.set(group[0].index, outcome); continue; }
    for (const one of group) {
      const single = await attempt(api, statementFor([one.record]));
      if (single !== true) refused.set(one.index, single);
    }
  }
  return refused;
}

function statement(table: string, op: WriteOp, keyField: string, columns: string[], records: Rec[]): Statement {
  if (op === 'create') return insertRows(table, [keyField, ...columns], records);
  if (op === 'update') return updateRows(table, keyField, columns, records);
  return mergeRows(table, keyField, columns, records);
}

/** True when the statement ran; the record-level errors when Snowflake refused it for its values. */
async function attempt(api: SqlApi, s: Statement): Promise<true | FieldError[]> {
  try {
    await api.run(s);
    return true;
  } catch (err) {
    const errors = recordLevelErrors(err);
    if (!errors || !isConnectorError(err)) throw err;
    return errors;
  }
}
