import { keyMatchOf, type KeyMatch, type ObjectSpec } from '../../platform/object-spec';
import type { Key, Rec } from '../../platform/records';

/** A record's key value as a string ('' when absent), trimmed as every system trims keys. */
export function keyValue(record: Rec, keyField: string): Key {
  const value = record[keyField];
  return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * The form in which the system compares values of `keyField`, from its FieldSpec's keyMatch:
 * two keys name the same record when their normalised forms are equal.
 */
export function keyNormaliser(spec: ObjectSpec, keyField: string): (key: Key) => string {
  return normaliserOf(keyMatchOf(spec, keyField));
}

/** The normalised form of a key under `match`: two keys name the same record when theirs are equal. */
export function normaliserOf(match: KeyMatch): (key: Key) => string {
  if (match === 'case-insensitive') return (key) => key.trim().toLowerCase();
  if (typeof match === 'object') return (key) => key.trim().slice(0, match.exactFirst);
  return (key) => key.trim();
}

/** Whether two key values name the same record in the system. */
export function sameKey(spec: ObjectSpec, keyField: string, a: Key, b: Key): boolean {
  const normalise = keyNormaliser(spec, keyField);
  return normalise(a) === normalise(b);
}

/**
 * The system id of each key: the key itself when the key is the id field, else read through
 * `read` (null: no such record). Blank keys are null.
 */
export async function idsByKey(keys: Key[], keyField: string, idField: string,
  read: (keys: Key[]) => Promise<Map<Key, Rec | null>>): Promise<Map<Key, string | null>> {
  if (keyField === idField) return new Map(keys.map((key) => [key, key.trim() === '' ? null : key.trim()]));
  const current = await read(keys.filter((k) => k.trim() !== ''));
  return new Map(keys.map((key) => {
    const id = current.get(key)?.[idField];
    return [key, id === undefined || id === null || id === '' ? null : String(id)];
  }));
}
