import { fieldAt, isNested, nestedWrites, readOnlyFieldNames, type ObjectSpec } from '../object-spec';
import type { FieldError, Rec } from '../records';

/**
 * Comparing records field by field, nested values included. A record may carry a nested value
 * nested (`address: { city }`), as dotted fields (`address.city`), or both; every function here
 * reads a field path from either form (valueAt), so snapshots, loads' records and read-backs compare
 * whatever form each came in.
 */

/**
 * The fields a load writes for a record, as paths, with the object's spec that says how each
 * nested value is written (see NestedWrites). writtenFields builds it; diff, verify and restore take it.
 */
export interface WrittenFields {
  paths: string[];
  spec?: ObjectSpec;
}

type Fields = WrittenFields | string[];

const pathsOf = (fields: Fields): string[] => (Array.isArray(fields) ? fields : fields.paths);
const specOf = (fields: Fields): ObjectSpec | undefined => (Array.isArray(fields) ? undefined : fields.spec);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Null, undefined, '', [] and objects whose every value is blank: what systems store for "nothing". */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.values(value).every(isBlank);
}

/**
 * Value equality as the systems see it: most store what they are sent as strings ("100" for 100),
 * treat null, undefined and '' alike for a cleared field, and answer an object's keys in any order.
 * Objects compare key by key and arrays item by item, with the same rules.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isBlank(a) || isBlank(b)) return isBlank(a) && isBlank(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => sameValue(a[key], b[key]));
  }
  return String(a) === String(b);
}

const has = (record: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(record, key);

/**
 * The value at `path` in a record: its own key, else inside a nested value (`address` → `city`),
 * and dotted children (`address.city`, `address.line1`) gathered into one object; nested and dotted
 * parts of one value are merged. Undefined when the record has nothing there.
 */
export function valueAt(record: Rec, path: string): unknown {
  const parts: unknown[] = [];
  if (has(record, path)) parts.push(record[path]);
  for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
    const head = record[path.slice(0, dot)];
    if (isPlainObject(head)) {
      const inner = valueAt(head, path.slice(dot + 1));
      if (inner !== undefined) parts.push(inner);
    }
  }
  const prefix = `${path}.`;
  const children = Object.keys(record).filter((key) => key.startsWith(prefix));
  if (children.length > 0) parts.push(Object.fromEntries(children.map((key) => [key.slice(prefix.length), record[key]])));
  if (parts.length === 0) return undefined;
  const scalar = parts.find((p) => !isPlainObject(p) && p !== null && p !== undefined);
  if (scalar !== undefined) return scalar;
  const objects = parts.filter(isPlainObject);
  return objects.length === 0 ? parts[0] : Object.assign({}, ...objects);
}

/** True when the path is a read-only field or lies inside one. */
function underReadOnly(path: string, readOnly: ReadonlySet<string>): boolean {
  if (readOnly.has(path)) return true;
  for (let dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) if (readOnly.has(path.slice(0, dot))) return true;
  return false;
}

/**
 * The fields a load writes for a record: everything it carries but the system's read-only fields,
 * as paths. A per-key nested value (a map) is one path per key it names (`metadata.tier`), or the
 * map itself when the record blanks it whole; a whole-written object is one path (`address`),
 * however the record spells it.
 */
export function writtenFields(record: Rec, spec: ObjectSpec): WrittenFields {
  const readOnly = readOnlyFieldNames(spec);
  const paths = new Set<string>();
  for (const [name, value] of Object.entries(record)) {
    if (underReadOnly(name, readOnly)) continue;
    const at = fieldAt(spec, name);
    const within = at ? [...at.containers, ...(at.key !== undefined ? [{ field: at.field, path: name.slice(0, -at.key.length - 1) }] : [])] : [];
    const whole = within.find((c) => nestedWrites(c.field) === 'whole');
    if (whole) paths.add(whole.path);
    else if (at && isNested(at.field) && at.key === undefined && nestedWrites(at.field) === 'per-key' && isPlainObject(value) && !isBlank(value)) {
      for (const key of Object.keys(value)) if (!underReadOnly(`${name}.${key}`, readOnly)) paths.add(`${name}.${key}`);
    } else paths.add(name);
  }
  return { paths: [...paths], spec };
}

/**
 * What a record asks for at `path`. A whole-written object is the whole value it will have: the
 * sub-fields the record leaves out are their declared default, else blank.
 */
function desiredAt(desired: Rec, path: string, spec: ObjectSpec | undefined): unknown {
  const value = valueAt(desired, path);
  const at = spec ? fieldAt(spec, path) : undefined;
  if (!at || at.key !== undefined || at.field.type !== 'object' || nestedWrites(at.field) !== 'whole') return value;
  if (!isPlainObject(value)) return value;
  const filled: Record<string, unknown> = { ...value };
  for (const sub of at.field.fields ?? []) {
    if (!has(filled, sub.name) && !sub.readOnly) filled[sub.name] = sub.default ?? null;
  }
  return filled;
}

export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** Field-level diff of what writing `desired` would change on `current` (null: absent record). */
export function diffFields(current: Rec | null, desired: Rec, fields: Fields): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  for (const path of pathsOf(fields)) {
    const from = current ? valueAt(current, path) ?? null : null;
    const to = desiredAt(desired, path, specOf(fields));
    if (!sameValue(from, to)) diff[path] = { from, to: to ?? null };
  }
  return diff;
}

/** The leaf paths under `path` at which two values differ (the path itself for scalars). */
function differingLeaves(path: string, a: unknown, b: unknown, readOnly: ReadonlySet<string>): string[] {
  if (sameValue(a, b) || readOnly.has(path)) return [];
  if (!isPlainObject(a) && !isPlainObject(b)) return [path];
  const left = isPlainObject(a) ? a : {};
  const right = isPlainObject(b) ? b : {};
  const leaves = [...new Set([...Object.keys(left), ...Object.keys(right)])]
    .flatMap((key) => differingLeaves(`${path}.${key}`, left[key], right[key], readOnly));
  return leaves.length > 0 ? leaves : [path];
}

/** Verify: the fields that read back differently from what was written, as field errors naming the innermost differing path. */
export function mismatches(written: Rec, readBack: Rec | null, fields: Fields): FieldError[] {
  const paths = pathsOf(fields);
  if (!readBack) return [{ field: paths[0] ?? '*', message: 'the record could not be read back after the write' }];
  const spec = specOf(fields);
  const readOnly: ReadonlySet<string> = spec ? readOnlyFieldNames(spec) : new Set<string>();
  return Object.entries(diffFields(readBack, written, fields)).flatMap(([path, change]) =>
    differingLeaves(path, change.to, change.from, readOnly).map((leaf) => ({
      field: leaf,
      message: `wrote ${JSON.stringify(valueOrNull(leaf === path ? change.to : valueAt({ [path]: change.to }, leaf)))} `
        + `but read back ${JSON.stringify(valueOrNull(leaf === path ? change.from : valueAt({ [path]: change.from }, leaf)))}`,
    })));
}

const valueOrNull = (value: unknown) => (value === undefined ? null : value);

/**
 * The before-image restricted to the fields the load wrote, absent ones cleared: a whole-written
 * object comes back whole, a per-key map key by key (keys the load added are blank: unset).
 */
export function restoreImage(before: Rec, fields: Fields): Rec {
  return Object.fromEntries(pathsOf(fields).map((path) => [path, valueAt(before, path) ?? null]));
}

