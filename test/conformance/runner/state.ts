import type { ExactStateRules, Rec, SandboxState } from '../fixture';

/**
 * The whole sandbox state as "what is there": every object and every record the API would still
 * show, with every field, less what the fixture names (with a reason) as beyond any rollback.
 * Records are ordered by id, so two views compare with toEqual.
 */
export function exactView(rules: ExactStateRules, state: SandboxState): Record<string, Rec[]> {
  const out: Record<string, Rec[]> = {};
  for (const [object, records] of Object.entries(state.objects)) {
    if (rules.ignoreObjects && Object.hasOwn(rules.ignoreObjects, object)) continue;
    out[object] = records
      .filter((r) => !rules.isGone(object, r))
      .map((r) => withoutNulls(withoutIgnoredFields(rules, r)))
      .sort((a, b) => identity(a).localeCompare(identity(b)));
  }
  return out;
}

function identity(record: Rec): string {
  return String(record.id ?? record.Id ?? record.ts ?? JSON.stringify(record));
}

/** A field set to null and a field not there are the same state (APIs omit empty fields, or show them null). */
function withoutNulls(record: Rec): Rec {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null));
}

/** A record less the fields the fixture names as beyond any rollback (stamps moved on every write). */
export function withoutIgnoredFields(rules: ExactStateRules, record: Rec): Rec {
  return withoutFields(record, Object.keys(rules.ignoreFields));
}

function withoutFields(record: Rec, paths: string[]): Rec {
  const copy = structuredClone(record);
  for (const path of paths) {
    const parts = path.split('.');
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) node = node && typeof node === 'object' ? (node as Rec)[part] : undefined;
    if (node && typeof node === 'object') delete (node as Rec)[parts[parts.length - 1]];
  }
  return copy;
}

/** The fields of `expected` as they are in `actual` (for "read back equals what was written"). */
export function pick(actual: Rec | undefined, expected: Rec): Rec | undefined {
  if (!actual) return undefined;
  return Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k]]));
}
