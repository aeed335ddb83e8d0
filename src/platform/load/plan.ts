import { fieldAt, type ObjectSpec } from '../object-spec';
import type { FieldError, Rec, WriteOperation } from '../records';
import { diffFields, isBlank, valueAt, type FieldChange, type WrittenFields } from './compare';

export type PlannedAction = 'create' | 'update' | 'delete' | 'unchanged' | 'fail';

export interface RecordPlan {
  action: PlannedAction;
  diff?: Record<string, FieldChange>;
  reason?: string;
  /** Why the record is refused, per field (a write no rollback could undo names the field). */
  errors?: FieldError[];
}

/**
 * What an operation would do to one record, given its snapshot: the decision both a dry run
 * reports and a real write acts on (an unchanged record is not written at all). Writes the system
 * could not roll back are refused here, before anything is sent, with the fields named (see
 * irreversibleChanges).
 */
export function planRecord(operation: WriteOperation, before: Rec | null, desired: Rec, fields: WrittenFields | string[]): RecordPlan {
  if (operation === 'delete') {
    return before ? { action: 'delete' } : { action: 'unchanged', reason: 'no such record: nothing to delete' };
  }
  const spec = Array.isArray(fields) ? undefined : fields.spec;
  if (!before) {
    if (operation === 'update') return { action: 'fail', reason: 'no such record to update' };
    const diff = diffFields(null, desired, fields);
    return refusal(spec ? unverifiableFields(spec, Object.keys(diff)) : []) ?? { action: 'create', diff };
  }
  if (operation === 'create') return { action: 'fail', reason: 'a record with this key already exists' };
  const diff = diffFields(before, desired, fields);
  if (Object.keys(diff).length === 0) return { action: 'unchanged' };
  return refusal(spec ? irreversibleChanges(spec, before, diff) : []) ?? { action: 'update', diff };
}

function refusal(errors: FieldError[]): RecordPlan | undefined {
  if (errors.length === 0) return undefined;
  return { action: 'fail', reason: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors };
}

/** Fields the system never returns: what is written there could be neither verified nor rolled back. */
function unverifiableFields(spec: ObjectSpec, paths: string[]): FieldError[] {
  return paths.flatMap((path) => {
    const field = fieldAt(spec, path)?.field;
    if (!field?.writeOnly) return [];
    return [{ field: path, message: `${spec.name} never return ${path}, so a load could neither verify nor roll it back${field.hint ? `: ${field.hint}` : ''}` }];
  });
}

/**
 * The changes to an existing record that no rollback could undo: a create-only field changed, a
 * field the system cannot blank set where it was blank (or blanked), a field it never returns.
 */
export function irreversibleChanges(spec: ObjectSpec, before: Rec, diff: Record<string, FieldChange>): FieldError[] {
  const errors = unverifiableFields(spec, Object.keys(diff));
  for (const [path, change] of Object.entries(diff)) {
    const at = fieldAt(spec, path);
    if (!at || at.key !== undefined || at.field.writeOnly) continue;
    const hint = at.field.hint ? `: ${at.field.hint}` : '';
    if (at.field.createOnly) {
      errors.push({ field: path, message: `${path} cannot change once a record exists in ${spec.name}, so a rollback could not put it back${hint}` });
    } else if (at.field.clearable === false && isBlank(valueAt(before, path))) {
      errors.push({ field: path, message: `${path} is blank now and ${spec.name} cannot blank it again, so a rollback could not restore it${hint}` });
    } else if (at.field.clearable === false && isBlank(change.to)) {
      errors.push({ field: path, message: `${spec.name} cannot blank ${path}${hint}` });
    }
  }
  return errors;
}
