import { writeIsolatingFailures, type BatchRefusal } from '../../platform/batch-isolation';
import { isConnectorError } from '../../platform/errors';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { readOnlyFieldNames } from '../contract';
import { cellErrorsAsFields } from './errors';
import { ID_FIELD, sheetObject } from './objects';
import type { CellWrite, SheetsApi } from './sheets-api';
import { columnOf, mergedCells, rowsByKey, type SheetRow, type SheetTable } from './table';

interface Planned {
  index: number;
  key: string;
  record: Rec;
  /** The row it overwrites; absent for a new row. */
  row?: SheetRow;
}

/**
 * Creates, updates and upserts rows: the cells records carry in existing rows are written through
 * one values.batchUpdate, new rows added through one values.append. Sheets applies each call atomically, so a refused cell
 * refuses the call: the refusal names the ValueRange (batchUpdate) or row (append) and that record
 * fails, the others are written again.
 */
export async function writeRows(api: SheetsApi, object: string, op: Exclude<WriteOperation, 'delete'>, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const table = await api.readSheet(object);
  const found = rowsByKey(table, keyField === ID_FIELD ? table.idColumn : keyField);
  const systemNames = readOnlyFieldNames(sheetObject(object)!);
  const results: RecordResult[] = [];
  const planned: Planned[] = [];
  records.forEach((record, index) => {
    const key = String(record[keyField] ?? '');
    const row = found.get(key);
    const problems = [...unknownColumns(table, record, systemNames), ...operationProblem(op, keyField, row)];
    if (problems.length > 0) results.push({ index, key, outcome: 'failed', errors: problems });
    else planned.push({ index, key, record: withoutNames(record, systemNames), ...(row ? { row } : {}) });
  });
  const idIndex = columnOf(table, table.idColumn);
  const done = (p: Planned, cells: unknown[]): RecordResult => ({ index: p.index, key: p.key, id: String(cells[idIndex] ?? ''), outcome: p.row ? 'updated' : 'created' });
  const failed = (p: Planned, errors: FieldError[]): RecordResult => ({ index: p.index, key: p.key, outcome: 'failed', errors });

  const updates = planned.filter((p) => p.row);
  results.push(...await writeIsolatingFailures(updates, {
    write: async (batch) => {
      await api.writeCells(table.title, cellWrites(table, batch).map((c) => c.write));
      return batch.map((p) => done(p, mergedCells(table, p.row!.cells, p.record)));
    },
    classify: (err, batch) => {
      const cells = cellWrites(table, batch);
      return refusal(err, table, (field) => {
        const at = /^data\[(\d+)\]/.exec(field)?.[1];
        const cell = at === undefined ? undefined : cells[Number(at)];
        return cell && { position: cell.position, column: cell.write.column };
      });
    },
    failed,
  }));
  const appends = planned.filter((p) => !p.row);
  results.push(...await writeIsolatingFailures(appends, {
    write: async (batch) => {
      const rows = batch.map((p) => mergedCells(table, [], p.record));
      await api.appendRows(table, rows);
      return batch.map((p, i) => done(p, rows[i]));
    },
    classify: (err) => refusal(err, table, (field) => {
      const at = /^values\[(\d+)\]\[(\d+)\]/.exec(field);
      return at ? { position: Number(at[1]), column: Number(at[2]) } : undefined;
    }),
    failed,
  }));
  return results.sort((a, b) => a.index - b.index);
}

function unknownColumns(table: SheetTable, record: Rec, systemNames: ReadonlySet<string>): FieldError[] {
  return Object.keys(record).filter((name) => !systemNames.has(name) && (name === '' || !table.header.includes(name)))
    .map((field) => ({ field, message: `no column ${JSON.stringify(field)} in row 1 of sheet ${JSON.stringify(table.title)}` }));
}

function operationProblem(op: Exclude<WriteOperation, 'delete'>, keyField: string, row: SheetRow | undefined): FieldError[] {
  if (op === 'create' && row) return [{ field: keyField, message: `row ${row.rowNumber} already has this ${keyField}` }];
  if (op === 'update' && !row) return [{ field: keyField, message: `no row has this ${keyField}` }];
  return [];
}

function withoutNames(record: Rec, names: ReadonlySet<string>): Rec {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !names.has(k)));
}

/** One ValueRange per cell a record carries, in the order they are sent, with the record's place in the batch. */
function cellWrites(table: SheetTable, batch: Planned[]): Array<{ position: number; write: CellWrite }> {
  return batch.flatMap((p, position) => Object.keys(p.record).map((name) => ({
    position,
    write: { rowNumber: p.row!.rowNumber, column: table.header.indexOf(name), value: p.record[name] ?? '' },
  })));
}

/**
 * A refused cell is about the record whose cell it is (`locate` reads Google's fieldViolations
 * path); a refusal that names no cell is about some record of the call; anything else is not
 * about records.
 */
function refusal(err: unknown, table: SheetTable, locate: (field: string) => { position: number; column: number } | undefined): BatchRefusal {
  if (!isConnectorError(err) || err.kind !== 'validation') return { kind: 'fatal' };
  const rejected = (err.fields ?? []).flatMap((f) => {
    const cell = locate(f.field);
    return cell ? [{ position: cell.position, errors: [{ field: table.header[cell.column] ?? f.field, message: f.message }] }] : [];
  });
  return rejected.length > 0 ? { kind: 'records', rejected } : { kind: 'unattributed', errors: cellErrorsAsFields(err, table.header) ?? [] };
}
