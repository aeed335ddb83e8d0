import type { WriteOperation } from './records';

/** How a source finds what changed since last time. */
export type CursorKind = 'timestamp' | 'event-id' | 'delta-link' | 'sequence';

/**
 * A field's kind. `object` and `map` hold nested values: records may carry them nested
 * (`address: { city }`) or as dotted fields (`address.city`), and errors name the dotted path.
 * - `object`: a fixed set of sub-fields (`fields`), Stripe's address, Salesforce compound fields;
 * - `map`: keys chosen by the user, each a value of its own (Stripe metadata, property groups).
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'datetime' | 'json' | 'object' | 'map';

/**
 * How a write of part of an `object` or `map` lands in the system:
 * - 'whole': the value sent replaces the stored one, sub-fields left out are cleared (Stripe's
 *   address). Verify compares the whole value (left-out sub-fields as their `default`, else blank)
 *   and a rollback restores the whole before-value;
 * - 'per-key': only the keys sent change, a blank key is removed (Stripe's metadata). Verify
 *   compares, and a rollback restores, key by key: the keys that were there are set back, the keys
 *   the load added are unset.
 * Default: 'whole' for objects, 'per-key' for maps.
 */
export type NestedWrites = 'whole' | 'per-key';

/**
 * How a system matches values of a natural key: see FieldSpec.keyMatch. `{ exactFirst: n }`: by
 * the first n characters, exactly (Salesforce ids: an 18-character id is the 15-character id
 * followed by a checksum of its letters' case).
 */
export type KeyMatch = 'exact' | 'case-insensitive' | { exactFirst: number };

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Set by the system (ids, timestamps): never written, never compared in verify. */
  readOnly?: boolean;
  /**
   * Set on create and never changed afterwards (a price's tax_behavior, a message's thread): a load
   * that would change it on an existing record is refused at plan time, since no rollback could put
   * it back.
   */
  createOnly?: boolean;
  /**
   * False when the system refuses a blank value for the field (Stripe: `tax_behavior=`, an empty
   * integer): a load that sets it where it was blank is refused at plan time (a rollback could not
   * blank it again), and so is a load that blanks it. Default true.
   */
  clearable?: boolean;
  /**
   * Accepted by writes but absent from what the system returns (Stripe's invoice `days_until_due`):
   * a load could neither verify nor roll it back, so the plan refuses it. `hint` says what to write
   * instead.
   */
  writeOnly?: boolean;
  /** Shown with a refusal of this field: what to do instead. */
  hint?: string;
  required?: boolean;
  /**
   * How the system matches values of this field when it is a natural key: 'exact' (ids),
   * 'case-insensitive' (emails, domains, external ids in most systems), or `{ exactFirst: n }` (an
   * id whose longer form only adds a suffix). Default 'exact'.
   */
  keyMatch?: KeyMatch;
  /**
   * How the system finds records by this field when it is a natural key: 'consistent' (a read, a
   * filter), or 'search-index', through a search index that trails writes (Stripe's metadata
   * search, up to a minute): verify then reads what a load wrote by the id its write answered.
   * Default 'consistent'.
   */
  keyLookup?: 'consistent' | 'search-index';
  /** Sub-fields of an `object` field (their names without the parent's: 'city' for address.city). */
  fields?: FieldSpec[];
  /** How a partial write of an `object` or `map` lands: see NestedWrites. */
  writes?: NestedWrites;
  /** What the system stores for a sub-field a whole write leaves out (Stripe: recurring.interval_count 1). */
  default?: string | number | boolean;
}

export interface ObjectSpec {
  name: string;
  /** Fields that can identify a record; the first is the system's own id. */
  naturalKeys: string[];
  fields: FieldSpec[];
  operations: WriteOperation[];
  /** Records per write call, from the system's documentation. */
  batchSize: number;
  cursor: CursorKind;
  /**
   * Fields the system adds to what it returns that are neither written nor compared (audit stamps,
   * `attributes`): read-only like FieldSpec.readOnly, for names that are not in `fields`.
   */
  systemFields?: string[];
  /**
   * The field carrying the record's version token, when updates must name the version they change
   * (QuickBooks SyncToken, Dataverse @odata.etag): see kit/version-token.ts.
   */
  versionField?: string;
  /** Free-form facts a user must know (e.g. Stripe prices are immutable, the pinned API version). */
  notes?: string;
  /** True when the object has no fixed field list (custom objects described at run time). */
  dynamicFields?: boolean;
}

/** How the system matches values of `keyField` (FieldSpec.keyMatch; 'exact' when the spec does not say). */
export function keyMatchOf(spec: ObjectSpec, keyField: string): KeyMatch {
  return spec.fields.find((f) => f.name === keyField)?.keyMatch ?? 'exact';
}

const readOnlyNamesOf = new WeakMap<ObjectSpec, ReadonlySet<string>>();

/**
 * Names never sent in a write and never compared: read-only fields (nested ones by dotted path) and
 * the system's own. Worked out once per spec: a load asks for every record, several times.
 */
export function readOnlyFieldNames(spec: ObjectSpec): ReadonlySet<string> {
  let names = readOnlyNamesOf.get(spec);
  if (!names) {
    names = collectReadOnlyNames(spec);
    readOnlyNamesOf.set(spec, names);
  }
  return names;
}

function collectReadOnlyNames(spec: ObjectSpec): Set<string> {
  const names = new Set(spec.systemFields ?? []);
  const visit = (fields: FieldSpec[], prefix: string) => {
    for (const f of fields) {
      if (f.readOnly) names.add(prefix + f.name);
      if (f.fields) visit(f.fields, `${prefix}${f.name}.`);
    }
  };
  visit(spec.fields, '');
  return names;
}

export function isNested(field: FieldSpec): boolean {
  return field.type === 'object' || field.type === 'map';
}

/** How a partial write of a nested field lands (NestedWrites), with the defaults applied. */
export function nestedWrites(field: FieldSpec): NestedWrites {
  return field.writes ?? (field.type === 'map' ? 'per-key' : 'whole');
}

/** Where a (possibly dotted) path lies in an object's fields: see fieldAt. */
export interface FieldLocation {
  /** The declared field the path names, or the innermost `object`/`map` it lies in (then `key` is set). */
  field: FieldSpec;
  /** The path's part inside a `map` or an undeclared sub-field of an `object`: 'tier' for metadata.tier. */
  key?: string;
  /** The nested fields the path lies in, outermost first, with their full paths. */
  containers: Array<{ field: FieldSpec; path: string }>;
}

/**
 * Where a path lies: the declared field of that exact name, else a declared sub-field of an
 * `object`, else the innermost `object`/`map` the path lies in. Undefined for a name the spec does
 * not know.
 */
export function fieldAt(spec: Pick<ObjectSpec, 'fields'>, path: string): FieldLocation | undefined {
  return locate(spec.fields, path, '', []);
}

function locate(fields: FieldSpec[], rest: string, prefix: string, containers: FieldLocation['containers']): FieldLocation | undefined {
  const exact = fields.find((f) => f.name === rest);
  if (exact) return { field: exact, containers };
  const container = fields
    .filter((f) => isNested(f) && rest.startsWith(`${f.name}.`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!container) return undefined;
  const inner = rest.slice(container.name.length + 1);
  const within = [...containers, { field: container, path: prefix + container.name }];
  return (container.fields ? locate(container.fields, inner, `${prefix}${container.name}.`, within) : undefined)
    ?? { field: container, key: inner, containers };
}
