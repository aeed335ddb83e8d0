import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { usageError } from './exit-codes';

export type FileFormat = 'csv' | 'ndjson';

const contentTypes: Record<FileFormat, string> = { csv: 'text/csv', ndjson: 'application/x-ndjson' };

/** A file of records to load: opened anew for each pass (a dry run, then the write), never read whole. */
export interface RecordFile {
  path: string;
  name: string;
  format: FileFormat;
  bytes: number;
  contentType: string;
  open(): Readable;
}

function formatOf(file: string, given?: string): FileFormat {
  if (given) {
    if (given === 'csv' || given === 'ndjson') return given;
    throw usageError(`--format must be csv or ndjson, not ${given}`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw usageError(`${path.basename(file)}: cannot tell the format from its extension (.csv, .ndjson or .jsonl): pass --format csv|ndjson`);
}

export function recordFile(file: string, format?: string): RecordFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw usageError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw usageError(`${file}: not a file`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw usageError(`${file}: not readable`);
  }
  const detected = formatOf(file, format);
  return {
    path: file, name: path.basename(file), format: detected, bytes: stat.size, contentType: contentTypes[detected],
    open: () => fs.createReadStream(file),
  };
}
