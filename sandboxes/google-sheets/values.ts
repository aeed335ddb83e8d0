import { json, type HandlerContext, type Route, type SandboxRequest } from '../kit';
import { formatA1, parseA1, type A1Range } from './a1';
import { invalidArgument, notFound } from './errors';
import { cellInput, ORDER_FIELD, trimGrid, type Workbook } from './workbook';

/**
 * spreadsheets.values: get, batchUpdate and append (Sheets API v4 reference,
 * developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values).
 */
export function valuesRoutes(book: Workbook): Route[] {
  return [
    { method: 'GET', path: '/v4/spreadsheets/:spreadsheetId/values/:range', handle: (req, ctx) => getValues(book, req, ctx) },
    { method: 'POST', path: '/v4/spreadsheets/:spreadsheetId/values/:rangeAction', handle: (req, ctx) => appendValues(book, req, ctx) },
    { method: 'POST', path: '/v4/spreadsheets/:spreadsheetId/:valuesAction', handle: (req, ctx) => batchUpdateValues(book, req, ctx) },
  ];
}

export function requireSpreadsheet(book: Workbook, id: string | undefined): void {
  if (id !== book.spreadsheetId) throw notFound();
}

function getValues(book: Workbook, req: SandboxRequest, ctx: HandlerContext) {
  requireSpreadsheet(book, req.params.spreadsheetId);
  const text = req.params.range ?? '';
  const range = parseA1(text);
  book.sheet(range.sheet, text);
  const grid = book.grid(ctx.records, range.sheet, 'read');
  const firstRow = range.startRow ?? 1;
  const firstColumn = range.startColumn ?? 0;
  const rows = grid.slice(firstRow - 1, range.endRow ?? grid.length)
    .map((row) => row.slice(firstColumn, range.endColumn === undefined ? undefined : range.endColumn + 1));
  const values = trimGrid(rows);
  const width = Math.max(0, ...grid.map((r) => r.length));
  const lastRow = range.endRow ?? Math.max(1000, grid.length);
  const lastColumn = range.endColumn ?? Math.max(25, width - 1);
  return json(200, {
    range: formatA1(range.sheet, firstRow, lastRow, firstColumn, lastColumn),
    majorDimension: 'ROWS',
    ...(values.length > 0 ? { values } : {}),
  });
}

interface CellWrite {
  range: A1Range;
  rangeText: string;
  values: string[][];
}

/** Checks every range and value first: Sheets applies a batch atomically or not at all. */
function parseWrites(book: Workbook, data: unknown, cellPath = (i: number, r: number, c: number) => `data[${i}].values[${r}][${c}]`): CellWrite[] {
  if (!Array.isArray(data)) throw invalidArgument("Invalid JSON payload received. Unknown name \"data\": expected a list of ValueRange.");
  return data.map((entry: unknown, i) => {
    const valueRange = (entry ?? {}) as { range?: unknown; values?: unknown; majorDimension?: unknown };
    const rangeText = typeof valueRange.range === 'string' ? valueRange.range : '';
    const range = parseA1(rangeText);
    const sheet = book.sheet(range.sheet, rangeText);
    if (valueRange.majorDimension !== undefined && valueRange.majorDimension !== 'ROWS') {
      throw invalidArgument(`Invalid data[${i}]: the sandbox writes majorDimension ROWS only`);
    }
    const rows = Array.isArray(valueRange.values) ? valueRange.values : [];
    const width = book.headerRow(sheet.title).length;
    const values = rows.map((row: unknown, r) => (Array.isArray(row) ? row : []).map((v: unknown, c) => {
      const column = (range.startColumn ?? 0) + c;
      if ((range.startRow ?? 1) + r > 1 && column >= width) {
        throw invalidArgument(`Range (${rangeText}) exceeds grid limits. Max columns: ${width}`);
      }
      return cellInput(v, cellPath(i, r, c));
    }));
    return { range, rangeText, values };
  });
}

function batchUpdateValues(book: Workbook, req: SandboxRequest, ctx: HandlerContext) {
  requireSpreadsheet(book, req.params.spreadsheetId);
  if (req.params.valuesAction !== 'values:batchUpdate') throw notFound();
  const body = (req.body ?? {}) as { valueInputOption?: unknown; data?: unknown };
  requireInputOption(body.valueInputOption);
  const writes = parseWrites(book, body.data);
  const responses = writes.map((w) => applyWrite(book, ctx, w));
  book.touch(ctx.clock.nowMs());
  return json(200, {
    spreadsheetId: book.spreadsheetId,
    totalUpdatedRows: sum(responses, 'updatedRows'),
    totalUpdatedColumns: Math.max(0, ...responses.map((r) => r.updatedColumns)),
    totalUpdatedCells: sum(responses, 'updatedCells'),
    totalUpdatedSheets: new Set(writes.map((w) => w.range.sheet)).size,
    responses,
  });
}

function requireInputOption(option: unknown): void {
  if (option !== 'RAW' && option !== 'USER_ENTERED') {
    throw invalidArgument("'valueInputOption' is required but not specified", [{ field: 'valueInputOption', description: 'required' }]);
  }
}

function sum<T extends Record<K, number>, K extends string>(items: T[], key: K): number {
  return items.reduce((n, item) => n + item[key], 0);
}

/** Writes one ValueRange: row 1 is the header row; a row past the last one makes the rows up to it. */
function applyWrite(book: Workbook, ctx: HandlerContext, w: CellWrite) {
  const title = w.range.sheet;
  const firstRow = w.range.startRow ?? 1;
  const firstColumn = w.range.startColumn ?? 0;
  w.values.forEach((row, r) => {
    const sheetRow = firstRow + r;
    if (sheetRow === 1) {
      const header = [...book.headerRow(title)];
      row.forEach((v, c) => { header[firstColumn + c] = v; });
      book.setHeaderRow(title, header);
      return;
    }
    const header = book.headerRow(title);
    const rows = book.rows(ctx.records, title, 'latest');
    while (rows.length < sheetRow - 1) rows.push(ctx.records.insert(title, { fields: { [ORDER_FIELD]: book.takeOrder() } }));
    const target = rows[sheetRow - 2];
    const patch: Record<string, unknown> = {};
    row.forEach((v, c) => { patch[header[firstColumn + c]] = v === '' ? undefined : v; });
    ctx.records.update(title, target.id, patch);
  });
  const columns = Math.max(0, ...w.values.map((r) => r.length));
  return {
    spreadsheetId: book.spreadsheetId,
    updatedRange: formatA1(title, firstRow, firstRow + Math.max(0, w.values.length - 1), firstColumn, firstColumn + Math.max(0, columns - 1)),
    updatedRows: w.values.length,
    updatedColumns: columns,
    updatedCells: w.values.reduce((n, r) => n + r.length, 0),
  };
}

/** values.append with insertDataOption INSERT_ROWS (or OVERWRITE, the same on a table that ends the sheet). */
function appendValues(book: Workbook, req: SandboxRequest, ctx: HandlerContext) {
  requireSpreadsheet(book, req.params.spreadsheetId);
  const action = req.params.rangeAction ?? '';
  if (!action.endsWith(':append')) throw notFound();
  const rangeText = action.slice(0, -':append'.length);
  requireInputOption(req.query.get('valueInputOption') ?? undefined);
  const body = (req.body ?? {}) as { values?: unknown; majorDimension?: unknown };
  const [write] = parseWrites(book, [{ range: rangeText, values: body.values, majorDimension: body.majorDimension }],
    (_i, r, c) => `values[${r}][${c}]`);
  const title = write.range.sheet;
  const before = book.rows(ctx.records, title, 'latest').length;
  const header = book.headerRow(title);
  for (const row of write.values) {
    const fields: Record<string, unknown> = { [ORDER_FIELD]: book.takeOrder() };
    row.forEach((v, c) => { if (v !== '') fields[header[(write.range.startColumn ?? 0) + c]] = v; });
    ctx.records.insert(title, { fields });
  }
  book.touch(ctx.clock.nowMs());
  const columns = Math.max(0, ...write.values.map((r) => r.length));
  const firstColumn = write.range.startColumn ?? 0;
  return json(200, {
    spreadsheetId: book.spreadsheetId,
    tableRange: formatA1(title, 1, before + 1, 0, Math.max(0, header.length - 1)),
    updates: {
      spreadsheetId: book.spreadsheetId,
      updatedRange: formatA1(title, before + 2, before + 1 + write.values.length, firstColumn, firstColumn + Math.max(0, columns - 1)),
      updatedRows: write.values.length,
      updatedColumns: columns,
      updatedCells: write.values.reduce((n, r) => n + r.length, 0),
    },
  });
}
