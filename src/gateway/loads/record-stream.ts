import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import type { ObjectSpec } from '../../platform/object-spec';
import type { Rec } from '../../platform/records';

/** A bad line of a streamed body: where, and what is wrong (no value is echoed back). */
export class RecordStreamError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export type StreamFormat = 'ndjson' | 'csv';

/** Which streamed format a Content-Type names, or undefined for others (JSON bodies). */
export function streamFormatOf(contentType: string | undefined): StreamFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl') return 'ndjson';
  if (type === 'text/csv') return 'csv';
  return undefined;
}

/** Records of a streamed body, one at a time, never holding the body: each with its line number. */
export function readRecords(body: Readable, format: StreamFormat, spec: ObjectSpec): AsyncIterable<{ line: number; record: Rec }> {
  return format === 'ndjson' ? ndjsonRecords(body) : csvRecords(body, spec);
}

async function* ndjsonRecords(body: Readable): AsyncIterable<{ line: number; record: Rec }> {
  let line = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new RecordStreamError(`line ${line}`, `line ${line} is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RecordStreamError(`line ${line}`, `line ${line} must be a JSON object (one record per line)`);
    }
    yield { line, record: value as Rec };
  }
}

/**
 * CSV with a header row of field names; cells are typed by the object's FieldSpec (number,
 * boolean, json), other columns stay strings, and an empty cell is null (it clears the field).
 */
async function* csvRecords(body: Readable, spec: ObjectSpec): AsyncIterable<{ line: number; record: Rec }> {
  const types = new Map(spec.fields.map((f) => [f.name, f.type]));
  const parser = body.pipe(parseCsv({ columns: (header: string[]) => checkHeader(header, spec), bom: true, info: true, relax_column_count: false }));
  try {
    for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const line = row.info.lines;
      const record: Rec = {};
      for (const [column, cell] of Object.entries(row.record)) record[column] = typedCell(cell, types.get(column), line, column);
      yield { line, record };
    }
  } catch (err) {
    if (err instanceof RecordStreamError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    throw new RecordStreamError(`line ${e.lines ?? '?'}`, `the CSV body is malformed at line ${e.lines ?? '?'} (${e.code ?? 'parse error'})`);
  }
}

function checkHeader(header: string[], spec: ObjectSpec): string[] {
  const names = header.map((h) => h.trim());
  const empty = names.findIndex((n) => n === '');
  if (empty >= 0) throw new RecordStreamError('line 1', `column ${empty + 1} of the header row has no name`);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new RecordStreamError(`line 1, column ${duplicate}`, `the header row names ${duplicate} twice`);
  if (!spec.dynamicFields) {
    const known = new Set(spec.fields.map((f) => f.name));
    const unknown = names.find((n) => !known.has(n) && !n.includes('.'));
    if (unknown) throw new RecordStreamError(`line 1, column ${unknown}`, `${spec.name} has no field ${unknown} (fields: ${[...known].join(', ')})`);
  }
  return names;
}

function typedCell(cell: string, type: string | undefined, line: number, column: string): unknown {
  if (cell === '') return null;
  const where = `line ${line}, column ${column}`;
  switch (type) {
    case 'number': {
      const n = Number(cell.trim());
      if (!Number.isFinite(n)) throw new RecordStreamError(where, `${where}: ${column} must be a number`);
      return n;
    }
    case 'boolean': {
      const v = cell.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(v)) return true;
      if (['false', '0', 'no'].includes(v)) return false;
      throw new RecordStreamError(where, `${where}: ${column} must be true or false`);
    }
    case 'json':
      try {
        return JSON.parse(cell);
      } catch {
        throw new RecordStreamError(where, `${where}: ${column} must be JSON`);
      }
    default:
      return cell;
  }
}
