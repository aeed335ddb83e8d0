import type { HttpClient } from '../../platform/http';
import type { GoogleClients } from './auth';
import { noSuchSheet, unknownSheetError } from './errors';
import { sheetTable, type SheetTable } from './table';

/** A sheet name in A1 notation: quoted, with quotes doubled (developers.google.com/sheets/api/guides/concepts#cell). */
export function a1Sheet(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A cell as updateCells takes it (ExtendedValue); objects go as they are, for Sheets to refuse. */
function enteredValue(value: unknown): { userEnteredValue: Record<string, unknown> } {
  if (typeof value === 'number') return { userEnteredValue: { numberValue: value } };
  if (typeof value === 'boolean') return { userEnteredValue: { boolValue: value } };
  return { userEnteredValue: { stringValue: value ?? '' } };
}

export interface CellWrite {
  rowNumber: number;
  /** 0-based column index. */
  column: number;
  value: unknown;
}

/**
 * The calls the connector makes: Sheets API v4 (values.get, values.batchUpdate, values.append,
 * spreadsheets.get, spreadsheets.batchUpdate) and Drive API v3 files.get.
 */
export class SheetsApi {
  private sheetIds?: Promise<Map<string, number>>;

  constructor(private readonly clients: GoogleClients, readonly spreadsheetId: string, private readonly keyColumn?: string) {}

  private get sheets(): HttpClient {
    return this.clients.sheets;
  }

  private path(suffix: string): string {
    return `/v4/spreadsheets/${encodeURIComponent(this.spreadsheetId)}${suffix}`;
  }

  /** The whole sheet (row 1 and every row), as text the way a user sees it. */
  async readSheet(title: string): Promise<SheetTable> {
    try {
      const res = await this.sheets.request<{ values?: string[][] }>({
        method: 'GET',
        path: this.path(`/values/${encodeURIComponent(a1Sheet(title))}`),
        query: { majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' },
      });
      return sheetTable(title, res.body.values ?? [], this.keyColumn);
    } catch (err) {
      throw unknownSheetError(err, title, this.spreadsheetId);
    }
  }

  /**
   * Writes single cells, one ValueRange each, in one atomic call: only the cells a record carries
   * change, so formulas and values in its other columns stay as they are.
   */
  async writeCells(title: string, cells: CellWrite[]): Promise<void> {
    await this.sheets.request({
      method: 'POST',
      path: this.path('/values:batchUpdate'),
      json: {
        valueInputOption: 'RAW',
        data: cells.map((c) => ({ range: `${a1Sheet(title)}!${columnLetters(c.column)}${c.rowNumber}`, majorDimension: 'ROWS', values: [[c.value]] })),
      },
    });
  }

  /** Adds rows after the sheet's table (insertDataOption INSERT_ROWS). */
  async appendRows(table: SheetTable, rows: unknown[][]): Promise<void> {
    await this.sheets.request({
      method: 'POST',
      path: this.path(`/values/${encodeURIComponent(`${a1Sheet(table.title)}!A1`)}:append`),
      query: { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
      json: { majorDimension: 'ROWS', values: rows },
    });
  }

  /**
   * Deletes rows by number in one atomic call, bottom-up: each deleteDimension shifts the rows
   * below it, so the lowest row goes first and the numbers of the rest still hold.
   */
  async deleteRows(title: string, rowNumbers: number[]): Promise<void> {
    const sheetId = await this.sheetId(title);
    const bottomUp = [...new Set(rowNumbers)].sort((a, b) => b - a);
    await this.batchUpdate(bottomUp.map((n) => ({ deleteDimension: { range: { sheetId, dimension: 'ROWS', startIndex: n - 1, endIndex: n } } })));
  }

  /**
   * Inserts a row so that it becomes row `rowNumber`, with its values, in one atomic call
   * (insertDimension, then updateCells on the new row): never a blank row left half-restored.
   */
  async insertRow(title: string, rowNumber: number, cells: unknown[]): Promise<void> {
    const sheetId = await this.sheetId(title);
    await this.batchUpdate([
      { insertDimension: { range: { sheetId, dimension: 'ROWS', startIndex: rowNumber - 1, endIndex: rowNumber }, inheritFromBefore: rowNumber > 2 } },
      { updateCells: { start: { sheetId, rowIndex: rowNumber - 1, columnIndex: 0 }, rows: [{ values: cells.map(enteredValue) }], fields: 'userEnteredValue' } },
    ]);
  }

  /** Drive's modifiedTime of the spreadsheet file: it moves on every change. */
  async modifiedTime(): Promise<string> {
    const res = await this.clients.drive.request<{ modifiedTime?: string }>({
      method: 'GET',
      path: `/drive/v3/files/${encodeURIComponent(this.spreadsheetId)}`,
      query: { fields: 'modifiedTime', supportsAllDrives: true },
    });
    return res.body.modifiedTime ?? '';
  }

  /** spreadsheets.get, as a connection check and for sheet ids. */
  async sheetTitles(): Promise<Map<string, number>> {
    const res = await this.sheets.request<{ sheets?: Array<{ properties?: { sheetId?: number; title?: string } }> }>({
      method: 'GET',
      path: this.path(''),
      query: { fields: 'sheets.properties(sheetId,title)' },
    });
    return new Map((res.body.sheets ?? []).flatMap((s) => (s.properties?.title !== undefined && s.properties.sheetId !== undefined
      ? [[s.properties.title, s.properties.sheetId] as [string, number]] : [])));
  }

  private async sheetId(title: string): Promise<number> {
    this.sheetIds ??= this.sheetTitles().catch((err: unknown) => { this.sheetIds = undefined; throw err; });
    const id = (await this.sheetIds).get(title);
    if (id === undefined) throw noSuchSheet(title, this.spreadsheetId);
    return id;
  }

  private async batchUpdate(requests: unknown[]): Promise<void> {
    await this.sheets.request({ method: 'POST', path: this.path(':batchUpdate'), json: { requests } });
  }
}
