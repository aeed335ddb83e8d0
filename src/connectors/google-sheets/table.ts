import { ConnectorError } from '../../platform/errors';
import type { Key, Rec } from '../contract';
import { ABOVE_FIELD, BELOW_FIELD, ID_FIELD, ROW_FIELD } from './objects';

/** A sheet as values.get returns it: row 1 the header, then the rows (blank ones kept: they hold places). */
export interface SheetTable {
  title: string;
  header: string[];
  rows: SheetRow[];
  /** The column whose value is each row's id. */
  idColumn: string;
}

export interface SheetRow {
  /** 1-based sheet row number (the header is row 1). */
  rowNumber: number;
  cells: string[];
}

export function sheetTable(title: string, values: string[][], keyColumn: string | undefined): SheetTable {
  const header = (values[0] ?? []).map(String);
  const rows = values.slice(1).map((cells, i) => ({ rowNumber: i + 2, cells: cells.map((c) => (c === null || c === undefined ? '' : String(c))) }));
  const idColumn = keyColumn ?? header[0] ?? '';
  return { title, header, rows, idColumn };
}

/** The index of a named column, or a permanent error naming the columns there are. */
export function columnOf(table: SheetTable, name: string): number {
  const index = table.header.indexOf(name);
  if (index >= 0 && name !== '') return index;
  throw new ConnectorError({
    kind: 'permanent',
    system: 'google-sheets',
    fields: [{ field: name, message: `no column ${JSON.stringify(name)} in row 1 of sheet ${JSON.stringify(table.title)}` }],
    message: `sheet ${JSON.stringify(table.title)} has no column ${JSON.stringify(name)} in its header row (columns: ${table.header.filter(Boolean).join(', ')})`,
  });
}

export const isBlank = (row: SheetRow): boolean => row.cells.every((c) => c === '');

/** The rows whose `column` holds each key (the first such row: a sheet does not enforce uniqueness). */
export function rowsByKey(table: SheetTable, column: string): Map<Key, SheetRow> {
  const index = columnOf(table, column);
  const found = new Map<Key, SheetRow>();
  for (const row of table.rows) {
    const value = row.cells[index] ?? '';
    if (value !== '' && !found.has(value)) found.set(value, row);
  }
  return found;
}

/** A row as a record: every column by its header, and where the row stands (see objects.ts). */
export function rowRecord(table: SheetTable, row: SheetRow): Rec {
  const idIndex = table.header.indexOf(table.idColumn);
  const position = table.rows.indexOf(row);
  const neighbour = (step: number): string => {
    for (let i = position + step; i >= 0 && i < table.rows.length; i += step) {
      if (!isBlank(table.rows[i])) return table.rows[i].cells[idIndex] ?? '';
    }
    return '';
  };
  const cells = Object.fromEntries(table.header.map((h, i) => [h, row.cells[i] ?? '']).filter(([h]) => h !== ''));
  return { ...cells, [ID_FIELD]: row.cells[idIndex] ?? '', [ROW_FIELD]: row.rowNumber, [ABOVE_FIELD]: neighbour(-1), [BELOW_FIELD]: neighbour(1) };
}

/**
 * The cells of a row after writing `record` over `current` (columns the record leaves out keep
 * their value). Values go as given: Sheets itself refuses what a cell cannot hold.
 */
export function mergedCells(table: SheetTable, current: string[], record: Rec): unknown[] {
  return table.header.map((h, i) => (h !== '' && Object.hasOwn(record, h) ? record[h] ?? '' : current[i] ?? ''));
}
