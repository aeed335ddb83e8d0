import type { Rec, WriteOperation } from '../records';
import { diffFields, type FieldChange } from './compare';

export type PlannedAction = 'create' | 'update' | 'delete' | 'unchanged' | 'fail';

export interface RecordPlan {
  action: PlannedAction;
  diff?: Record<string, FieldChange>;
  reason?: string;
}

/**
 * What an operation would do to one record, given its snapshot: the decision both a dry run
 * reports and a real write acts on (an unchanged record is not written at all).
 */
export function planRecord(operation: WriteOperation, before: Rec | null, desired: Rec, fields: string[]): RecordPlan {
  if (operation === 'delete') {
    return before ? { action: 'delete' } : { action: 'unchanged', reason: 'no such record: nothing to delete' };
  }
  if (!before) {
    if (operation === 'update') return { action: 'fail', reason: 'no such record to update' };
    return { action: 'create', diff: diffFields(null, desired, fields) };
  }
  if (operation === 'create') return { action: 'fail', reason: 'a record with this key already exists' };
  const diff = diffFields(before, desired, fields);
  return Object.keys(diff).length === 0 ? { action: 'unchanged' } : { action: 'update', diff };
}
