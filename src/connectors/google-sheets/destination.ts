import type { DestinationContract, Key, Rec } from '../contract';
import { deleteConfirmed } from '../kit';
import { ABOVE_FIELD, BELOW_FIELD, ID_FIELD, ROW_FIELD, sheetObject } from './objects';
import type { SheetsApi } from './sheets-api';
import { columnOf, mergedCells, rowRecord, rowsByKey, type SheetTable } from './table';
import { writeRows } from './writer';
import { readOnlyFieldNames } from '../contract';

/**
 * Rows as records. Deletes are confirmed by a fresh read of the sheet; rows are found by key at
 * every step (never by a row number kept from an earlier read: numbers shift).
 */
export function googleSheetsDestination(api: SheetsApi): DestinationContract {
  const column = (table: SheetTable, keyField: string) => (keyField === ID_FIELD ? table.idColumn : keyField);

  return {
    async read(object, keyField, keys) {
      const table = await api.readSheet(object);
      const found = rowsByKey(table, column(table, keyField));
      return new Map(keys.map((key): [Key, Rec | null] => {
        const row = found.get(key);
        return [key, row ? rowRecord(table, row) : null];
      }));
    },

    write: (object, op, keyField, records) => writeRows(api, object, op, keyField, records),

    delete(object, keyField, keys) {
      // Ids are the id column's values: stable across the re-reads, unlike row numbers.
      const idsOf = async (wanted: Key[]) => {
        const table = await api.readSheet(object);
        const found = rowsByKey(table, column(table, keyField));
        const idIndex = columnOf(table, table.idColumn);
        return new Map(wanted.map((key): [Key, string | null] => [key, found.get(key)?.cells[idIndex] ?? null]));
      };
      return deleteConfirmed({
        systemName: 'Google Sheets',
        object,
        keyField,
        keys,
        idsOf,
        remove: async (targets) => {
          const table = await api.readSheet(object);
          const rows = rowsByKey(table, table.idColumn);
          const numbers = targets.flatMap((t) => { const row = rows.get(t.id); return row ? [row.rowNumber] : []; });
          if (numbers.length > 0) await api.deleteRows(object, numbers);
          return new Map();
        },
        stillPresent: async (ids) => {
          const table = await api.readSheet(object);
          const rows = rowsByKey(table, table.idColumn);
          return new Set(ids.filter((id) => rows.has(id)));
        },
      });
    },

    async restore(object, keyField, before) {
      const table = await api.readSheet(object);
      const key = String(before[keyField === ID_FIELD ? table.idColumn : keyField] ?? before[ID_FIELD] ?? '');
      const existing = rowsByKey(table, column(table, keyField)).get(key);
      if (existing) return { id: String(rowRecord(table, existing)[ID_FIELD]), recreated: true };
      const rowNumber = placeFor(table, before);
      const cells = mergedCells(table, [], withoutSystemFields(object, before));
      if (rowNumber <= table.rows.length + 1) await api.insertRow(object, rowNumber, cells);
      else await api.writeCells(object, cells.map((value, column) => ({ rowNumber, column, value })).filter((c) => table.header[c.column] !== ''));
      return { id: String(cells[columnOf(table, table.idColumn)] ?? ''), recreated: true };
    },
  };
}

/**
 * Where a deleted row goes back: under the row that was above it, else over the row that was below
 * it, else at its old row number. Rolled back in any order, a run of deleted rows comes back in
 * its old order, as long as one of its neighbours is there.
 */
export function placeFor(table: SheetTable, before: Rec): number {
  const rows = rowsByKey(table, table.idColumn);
  const above = rows.get(String(before[ABOVE_FIELD] ?? ''));
  if (above) return above.rowNumber + 1;
  const below = rows.get(String(before[BELOW_FIELD] ?? ''));
  if (below) return below.rowNumber;
  const old = Number(before[ROW_FIELD]);
  const end = table.rows.length + 2;
  return Number.isInteger(old) && old >= 2 ? Math.min(old, end) : end;
}

function withoutSystemFields(object: string, record: Rec): Rec {
  const names = readOnlyFieldNames(sheetObject(object)!);
  return Object.fromEntries(Object.entries(record).filter(([k]) => !names.has(k)));
}
