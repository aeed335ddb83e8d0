import { json, type HandlerContext, type Route, type SandboxRequest, type StoredRecord } from '../kit';
import { invalidArgument, notFound } from './errors';
import { requireSpreadsheet } from './values';
import { cellInput, orderOf, ORDER_FIELD, type SheetSpec, type Workbook } from './workbook';

/**
 * spreadsheets.get (sheet properties) and spreadsheets.batchUpdate with deleteDimension and
 * insertDimension on ROWS and updateCells (userEnteredValue) (developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request).
 * Requests apply in order, each seeing the rows as the previous one left them, and atomically: one
 * invalid request and none applies.
 */
export function spreadsheetRoutes(book: Workbook): Route[] {
  return [
    { method: 'GET', path: '/v4/spreadsheets/:spreadsheetId', handle: (req, ctx) => getSpreadsheet(book, req, ctx) },
    { method: 'POST', path: '/v4/spreadsheets/:spreadsheetAction', handle: (req, ctx) => batchUpdate(book, req, ctx) },
  ];
}

const MIN_ROWS = 1000;
const MIN_COLUMNS = 26;

function getSpreadsheet(book: Workbook, req: SandboxRequest, ctx: HandlerContext) {
  requireSpreadsheet(book, req.params.spreadsheetId);
  return json(200, {
    spreadsheetId: book.spreadsheetId,
    properties: { title: 'Forgeworks sandbox', locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT' },
    sheets: book.sheets.map((sheet, index) => ({
      properties: {
        sheetId: sheet.sheetId,
        title: sheet.title,
        index,
        sheetType: 'GRID',
        gridProperties: {
          rowCount: Math.max(MIN_ROWS, book.rows(ctx.records, sheet.title, 'read').length + 1),
          columnCount: Math.max(MIN_COLUMNS, book.headerRow(sheet.title).length),
        },
      },
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${book.spreadsheetId}/edit`,
  });
}

interface DimensionChange {
  kind: 'delete' | 'insert';
  sheet: SheetSpec;
  /** 0-based sheet row indexes, end exclusive; row 0 is the header row. */
  startIndex: number;
  endIndex: number;
}

/** updateCells: text from `start` (0-based row and column) on, one row of values per row. */
interface CellsChange {
  kind: 'cells';
  sheet: SheetSpec;
  rowIndex: number;
  columnIndex: number;
  rows: string[][];
}

type Change = DimensionChange | CellsChange;

function batchUpdate(book: Workbook, req: SandboxRequest, ctx: HandlerContext) {
  const action = req.params.spreadsheetAction ?? '';
  if (!action.endsWith(':batchUpdate')) throw notFound();
  requireSpreadsheet(book, action.slice(0, -':batchUpdate'.length));
  const requests = (req.body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalidArgument('Must specify at least one request.');
  const changes = requests.map((r: unknown, i) => parseChange(book, r, i));
  checkAgainstGrid(book, ctx, changes);
  for (const change of changes) apply(book, ctx, change);
  book.touch(ctx.clock.nowMs());
  return json(200, { spreadsheetId: book.spreadsheetId, replies: changes.map(() => ({})) });
}

function parseChange(book: Workbook, request: unknown, i: number): Change {
  const cells = (request as { updateCells?: unknown } | undefined)?.updateCells;
  if (cells) return parseCells(book, cells, i);
  const r = (request ?? {}) as Record<string, { range?: { sheetId?: unknown; dimension?: unknown; startIndex?: unknown; endIndex?: unknown } } | undefined>;
  const kind = r.deleteDimension ? 'delete' : r.insertDimension ? 'insert' : undefined;
  const name = kind === 'delete' ? 'deleteDimension' : 'insertDimension';
  const range = (kind === 'delete' ? r.deleteDimension : r.insertDimension)?.range;
  if (!kind || !range) throw invalidArgument(`Invalid requests[${i}]: the sandbox supports deleteDimension, insertDimension and updateCells`);
  const sheet = book.sheetById(range.sheetId ?? 0, `requests[${i}].${name}`);
  if (range.dimension !== 'ROWS') throw invalidArgument(`Invalid requests[${i}].${name}: the sandbox changes ROWS only`);
  const startIndex = Number(range.startIndex ?? 0);
  const endIndex = Number(range.endIndex);
  if (!Number.isInteger(startIndex) || !Number.isInteger(endIndex) || endIndex <= startIndex) {
    throw invalidArgument(`Invalid requests[${i}].${name}: startIndex must be less than endIndex`,
      [{ field: `requests[${i}].${name}.range`, description: 'startIndex must be less than endIndex' }]);
  }
  if (startIndex === 0) throw invalidArgument(`Invalid requests[${i}].${name}: the sandbox keeps row 1 as the header row`);
  return { kind, sheet, startIndex, endIndex };
}

function parseCells(book: Workbook, raw: unknown, i: number): CellsChange {
  const request = raw as { start?: { sheetId?: unknown; rowIndex?: unknown; columnIndex?: unknown }; rows?: unknown; fields?: unknown };
  const path = `requests[${i}].updateCells`;
  if (request.fields !== 'userEnteredValue') throw invalidArgument(`Invalid ${path}: the sandbox updates fields "userEnteredValue" only`);
  const sheet = book.sheetById(request.start?.sheetId ?? 0, path);
  const rowIndex = Number(request.start?.rowIndex ?? 0);
  const columnIndex = Number(request.start?.columnIndex ?? 0);
  if (rowIndex < 1) throw invalidArgument(`Invalid ${path}: the sandbox keeps row 1 as the header row`);
  const rows = (Array.isArray(request.rows) ? request.rows : []).map((row: { values?: unknown } | null, r) =>
    (Array.isArray(row?.values) ? row.values : []).map((v: { userEnteredValue?: Record<string, unknown> } | null, c) => {
      const entered = v?.userEnteredValue ?? {};
      return cellInput(entered.stringValue ?? entered.numberValue ?? entered.boolValue, `${path}.rows[${r}].values[${c}]`);
    }));
  if (columnIndex + Math.max(0, ...rows.map((r) => r.length)) > book.headerRow(sheet.title).length) {
    throw invalidArgument(`Invalid ${path}: the range exceeds grid limits. Max columns: ${book.headerRow(sheet.title).length}`);
  }
  return { kind: 'cells', sheet, rowIndex, columnIndex, rows };
}

/** Every request against the rows as the ones before it leave them, before anything changes. */
function checkAgainstGrid(book: Workbook, ctx: HandlerContext, changes: Change[]): void {
  const counts = new Map(book.sheets.map((s) => [s.title, book.rows(ctx.records, s.title, 'latest').length + 1]));
  changes.forEach((c, i) => {
    const count = counts.get(c.sheet.title) ?? 1;
    if (c.kind === 'cells') {
      counts.set(c.sheet.title, Math.max(count, c.rowIndex + c.rows.length));
      return;
    }
    const rows = c.endIndex - c.startIndex;
    if (c.kind === 'delete' && c.endIndex > Math.max(count, MIN_ROWS)) {
      throw invalidArgument(`Invalid requests[${i}].deleteDimension: Cannot delete rows beyond the end of the grid (${count} rows).`);
    }
    counts.set(c.sheet.title, c.kind === 'delete' ? Math.max(1, count - Math.max(0, Math.min(c.endIndex, count) - c.startIndex)) : count + rows);
  });
}

function apply(book: Workbook, ctx: HandlerContext, change: Change): void {
  const title = change.sheet.title;
  const rows = book.rows(ctx.records, title, 'latest');
  if (change.kind === 'cells') {
    const header = book.headerRow(title);
    change.rows.forEach((cells, r) => {
      while (rows.length < change.rowIndex + r) rows.push(ctx.records.insert(title, { fields: { [ORDER_FIELD]: book.takeOrder() } }));
      const patch = Object.fromEntries(cells.map((v, c) => [header[change.columnIndex + c], v === '' ? undefined : v]));
      ctx.records.update(title, rows[change.rowIndex + r - 1].id, patch);
    });
    return;
  }
  if (change.kind === 'delete') {
    // Rows past the last data row are blank grid rows: nothing is stored for them.
    for (const row of rows.slice(change.startIndex - 1, change.endIndex - 1)) ctx.records.remove(title, row.id);
    return;
  }
  const above = rows[change.startIndex - 2];
  const below = rows[change.startIndex - 1];
  const count = change.endIndex - change.startIndex;
  for (let k = 0; k < count; k++) {
    ctx.records.insert(title, { fields: { [ORDER_FIELD]: between(above, below, k, count, book) } });
  }
}

/** The k-th of `count` positions strictly between two rows (after the last row when there is none below). */
function between(above: StoredRecord | undefined, below: StoredRecord | undefined, k: number, count: number, book: Workbook): number {
  if (!below) return book.takeOrder();
  const low = above ? orderOf(above) : 0;
  return low + ((orderOf(below) - low) * (k + 1)) / (count + 1);
}
