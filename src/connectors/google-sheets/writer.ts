import { writeIsolatingFailures, type BatchRefusal } from '../../platform/batch-isolation';
import { isConnectorError } from '../../platform/errors';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { readOnlyFieldNames } from '../contract';
import { cellErrorsAsFields } from './errors';
import { ID_FIELD, sheetObject } from './objects';
import type { SheetsApi } from './sheets-api';
import { columnOf, mergedCells, rowsByKey, type SheetRow, type SheetTable } from './table';

interface Planned {
  index: number;
  key: string;
  record: Rec;
  /** The row it overwrites; absent for a new row. */
  row?: SheetRow;
}

/**
 * Creates, updates and upserts rows: existing rows are overwritten through one values.batchUpdate,
 * new ones added through one values.append. Sheets applies each call atomically, so a refused cell
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
      const rows = batch.map((p) => ({ rowNumber: p.row!.rowNumber, cells: mergedCells(table, p.row!.cells, p.record) }));
      await api.updateRows(table, rows);
      return batch.map((p, i) => done(p, rows[i].cells));
    },
    classify: (err) => refusal(err, table, /^data\[(\d+)\]/),
    failed,
  }));
  const appends = planned.filter((p) => !p.row);
  results.push(...await writeIsolatingFailures(appends, {
    write: async (batch) => {
      const rows = batch.map((p) => mergedCells(table, [], p.record));
      await api.appendRows(table, rows);
      return batch.map((p, i) => done(p, rows[i]));
    },
    classify: (err) => refusal(err, table, /^values\[(\d+)\]/),
    failed,
  }));
  return results.sort((a, b) => a.index - b.index);
}

function unknownColumns(table: SheetTable, record: Rec, systemNames: Set<string>): FieldError[] {
  return Object.keys(record).filter((name) => !systemNames.has(name) && (name === '' || !table.header.includes(name)))
    .map((field) => ({ field, message: `no column ${JSON.stringify(field)} in row 1 of sheet ${JSON.stringify(table.title)}` }));
}

function operationProblem(op: Exclude<WriteOperation, 'delete'>, keyField: string, row: SheetRow | undefined): FieldError[] {
  if (op === 'create' && row) return [{ field: keyField, message: `row ${row.rowNumber} already has this ${keyField}` }];
  if (op === 'update' && !row) return [{ field: keyField, message: `no row has this ${keyField}` }];
  return [];
}

function withoutNames(record: Rec, names: Set<string>): Rec {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !names.has(k)));
}

/** A refused cell is about the record its ValueRange (or appended row) carries; anything else is not about records. */
function refusal(err: unknown, table: SheetTable, position: RegExp): BatchRefusal {
  if (!isConnectorError(err) || err.kind !== 'validation') return { kind: 'fatal' };
  const fields = cellErrorsAsFields(err, table.header) ?? [];
  const rejected = (err.fields ?? []).flatMap((f, i) => {
    const at = position.exec(f.field)?.[1];
    return at === undefined ? [] : [{ position: Number(at), errors: [fields[i] ?? { field: '*', message: f.message }] }];
  });
  return rejected.length > 0 ? { kind: 'records', rejected } : { kind: 'unattributed', errors: fields };
}
