import type { RecordView, StoredRecord } from '../kit';
import { invalidArgument } from './errors';

/** Where a row sits among its sheet's rows (a fraction between neighbours, so an insert moves no one). */
export const ORDER_FIELD = '__order';

/** Google's cell limit (support.google.com/drive/answer/37603): 50,000 characters in a single cell. */
export const MAX_CELL_CHARACTERS = 50_000;

export interface SheetSpec {
  title: string;
  sheetId: number;
  /** Row 1, as the sandbox starts. */
  headers: string[];
}

/**
 * One spreadsheet: each sheet a grid whose row 1 is its header row and whose other rows are the
 * store's records (fields by header name) in ORDER_FIELD order. Cells are kept as strings, as
 * valueInputOption RAW stores text and FORMATTED_VALUE reads it back.
 */
export class Workbook {
  private readonly headers = new Map<string, string[]>();
  private nextOrder = 1;
  private modifiedMs = 0;

  constructor(readonly spreadsheetId: string, readonly sheets: SheetSpec[]) {
    for (const sheet of sheets) this.headers.set(sheet.title, [...sheet.headers]);
  }

  sheet(title: string, range: string): SheetSpec {
    const found = this.sheets.find((s) => s.title === title);
    if (!found) throw invalidArgument(`Unable to parse range: ${range}`);
    return found;
  }

  sheetById(sheetId: unknown, path: string): SheetSpec {
    const found = this.sheets.find((s) => s.sheetId === sheetId);
    if (!found) throw invalidArgument(`Invalid ${path}: No grid with id: ${String(sheetId)}`);
    return found;
  }

  headerRow(title: string): string[] {
    return this.headers.get(title) ?? [];
  }

  /** The header row grows when a seed or a write names a column the sheet does not have yet. */
  setHeaderRow(title: string, row: string[]): void {
    this.headers.set(title, row);
  }

  /** A sort position after every row there is. */
  takeOrder(): number {
    return this.nextOrder++;
  }

  /** The data rows (sheet rows 2, 3, ...) in order, as a read sees them (stale-read honoured) or as they are. */
  rows(records: RecordView, title: string, consistency: 'read' | 'latest'): StoredRecord[] {
    const all = consistency === 'read' ? records.list(title) : records.latestAll(title);
    return all.filter((r) => !r.archived).sort((a, b) => orderOf(a) - orderOf(b));
  }

  /** The grid: header row then data rows, each cell a string ('' where blank). */
  grid(records: RecordView, title: string, consistency: 'read' | 'latest'): string[][] {
    const header = this.headerRow(title);
    return [header, ...this.rows(records, title, consistency).map((r) => header.map((h) => cell(r.fields[h])))];
  }

  /** Called on every change: Drive's modifiedTime moves (strictly, even under a frozen sandbox clock). */
  touch(nowMs: number): void {
    this.modifiedMs = Math.max(nowMs, this.modifiedMs + 1);
  }

  /** Drive's files.get modifiedTime: the last change through the API or the last seeded row. */
  modifiedTime(records: RecordView): string {
    let latest = this.modifiedMs;
    for (const sheet of this.sheets) records.eachLatest(sheet.title, (r) => { latest = Math.max(latest, Date.parse(r.updatedAt)); });
    return new Date(latest).toISOString();
  }
}

export function orderOf(record: Readonly<StoredRecord>): number {
  const v = record.fields[ORDER_FIELD];
  return typeof v === 'number' ? v : 0;
}

export function cell(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A value as RAW input stores it: strings, numbers and booleans; anything else Sheets refuses. */
export function cellInput(value: unknown, path: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    throw invalidArgument(`Invalid ${path}: ${Array.isArray(value) ? 'list_value' : 'struct_value'} {\n}`,
      [{ field: path, description: 'Invalid value: a cell holds a string, number or boolean' }]);
  }
  const text = String(value);
  if (text.length > MAX_CELL_CHARACTERS) {
    throw invalidArgument(`Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`,
      [{ field: path, description: `more than ${MAX_CELL_CHARACTERS} characters in a single cell` }]);
  }
  return text;
}

/** Trailing blank cells and rows are left out of what the API returns. */
export function trimGrid(rows: string[][]): string[][] {
  const trimmed = rows.map((row) => {
    let end = row.length;
    while (end > 0 && row[end - 1] === '') end -= 1;
    return row.slice(0, end);
  });
  let last = trimmed.length;
  while (last > 0 && trimmed[last - 1].length === 0) last -= 1;
  return trimmed.slice(0, last);
}
