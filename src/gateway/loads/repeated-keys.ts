import type { PoolClient } from 'pg';
import { findRepeatedKeys, type RepeatedKey } from '../../platform/db/repositories/load-key-repeats';
import { keyMatchOf, type KeyMatch, type ObjectSpec } from '../../platform/object-spec';
import { validationFailed, type FieldProblem } from '../errors/api-error';
import type { RecordLines } from './record-lines';

/** Repeated keys named in a refusal, and records named per key; the rest are counted. */
const LISTED_KEYS = 10;
const LISTED_RECORDS_PER_KEY = 5;
const SHOWN_KEY_LENGTH = 80;

/** How a refusal names the records of a load: by index in a JSON body, by line in a streamed one. */
export interface RecordPositions {
  /** Where a record is, as a problem's field ('records.4.email', 'line 5', 'line 5, column email'). */
  field(index: number): string;
  /** How records are named in a message: { noun: 'lines', numbers: [5, 90000] }. */
  name(indexes: number[]): { noun: string; numbers: number[] };
}

/** Records of a JSON body: `records.N.<key>`, N from 0 as every other problem of a JSON body names them. */
export function bodyPositions(naturalKey: string): RecordPositions {
  return {
    field: (index) => `records.${index}.${naturalKey}`,
    name: (indexes) => ({ noun: 'records', numbers: indexes }),
  };
}

/** Records of an NDJSON or CSV body, by line as bad lines are named; by position (from 1) past the lines kept. */
export function linePositions(lines: RecordLines, column?: string): RecordPositions {
  const where = (line: number) => `line ${line}${column ? `, column ${column}` : ''}`;
  return {
    field: (index) => {
      const line = lines.lineOf(index);
      return line === undefined ? `record ${index + 1}` : where(line);
    },
    name: (indexes) => {
      const numbers = indexes.map((i) => lines.lineOf(i));
      return numbers.every((n) => n !== undefined)
        ? { noun: 'lines', numbers: numbers as number[] }
        : { noun: 'records', numbers: indexes.map((i) => i + 1) };
    },
  };
}

/**
 * Refuses a stored load (throws a 400 naming the records) when two of its records carry the same
 * natural key as the system compares it: which of them the system would keep is undefined (they
 * are written in parallel lanes), and the second one's rollback snapshot would be the first one's
 * write. Runs in the transaction that stored the records, so a refusal stores nothing.
 */
export async function refuseRepeatedKeys(client: PoolClient, loadId: string, spec: ObjectSpec, naturalKey: string,
  positions: RecordPositions): Promise<void> {
  const match = keyMatchOf(spec, naturalKey);
  const { repeated, total } = await findRepeatedKeys(client, loadId, match, { keys: LISTED_KEYS, perKey: LISTED_RECORDS_PER_KEY });
  if (repeated.length === 0) return;
  const problems = repeated.map((r) => repeatProblem(r, naturalKey, match, positions));
  if (total > repeated.length) {
    problems.push({ field: 'naturalKey', message: `naturalKey '${naturalKey}': ${total - repeated.length} more values repeat (the first ${repeated.length} are listed)` });
  }
  throw validationFailed(problems);
}

function repeatProblem(r: RepeatedKey, naturalKey: string, match: KeyMatch, positions: RecordPositions): FieldProblem {
  const { noun, numbers } = positions.name(r.records.map((x) => x.index));
  const unlisted = r.count - numbers.length;
  const who = unlisted > 0
    ? `${noun} ${numbers.join(', ')} and ${unlisted} more all have`
    : `${noun} ${listed(numbers.map(String))} ${numbers.length === 2 ? 'both' : 'all'} have`;
  const [first, ...others] = r.records.map((x) => x.key);
  const variants = [...new Set(others.filter((k) => k !== first))];
  const compared = match === 'case-insensitive' ? `${naturalKey} is matched without case`
    : typeof match === 'object' ? `${naturalKey} is matched by its first ${match.exactFirst} characters` : `${naturalKey} is matched trimmed`;
  const asWritten = variants.length > 0 ? ` (also written ${listed(variants.map(quoted))}: ${compared})` : '';
  return { field: positions.field(r.records[1].index), message: `naturalKey '${naturalKey}': ${who} ${quoted(first)}${asWritten}` };
}

function listed(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function quoted(key: string): string {
  return `'${key.length > SHOWN_KEY_LENGTH ? `${key.slice(0, SHOWN_KEY_LENGTH)}…` : key}'`;
}
