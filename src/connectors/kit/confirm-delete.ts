import { mapWithConcurrency } from '../../platform/concurrency';
import type { FieldError, Key, RecordResult } from '../../platform/records';

/**
 * Delete, then read until gone (CONNECTORS.md: a delete is confirmed only by a read that no longer
 * finds the record — HubSpot's archive once answered success while the record stayed readable).
 * Reads may lag the delete, so the confirming read is retried with a short, growing backoff.
 */
export const CONFIRM_ATTEMPTS = 3;
export const CONFIRM_BACKOFF_MS = 200;

/** One record to delete: where it was in the input, its key and the system id it resolved to. */
export interface DeleteTarget {
  index: number;
  key: Key;
  id: string;
}

export interface ConfirmedDeleteOptions {
  /** The system's name for messages: 'HubSpot', 'Salesforce'. */
  systemName: string;
  object: string;
  keyField: string;
  keys: Key[];
  /** The system id of each key (null: no such record, so nothing to delete). */
  idsOf(keys: Key[]): Promise<Map<Key, string | null>>;
  /**
   * Deletes the targets; returns the refusals the system gave for some of them (by id). A target
   * without a refusal counts as accepted and is then confirmed by reads. Failures of the whole call
   * (auth, rate limits) are thrown.
   */
  remove(targets: DeleteTarget[]): Promise<Map<string, FieldError[]>>;
  /** Of these ids, the ones a read still finds. */
  stillPresent(ids: string[]): Promise<Set<string>>;
  wait?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Deletes by key and confirms each delete by reading it back. A key that resolves to no record is
 * reported deleted (already gone: deletes are idempotent); a delete the system accepted but a read
 * still finds is failed, never reported deleted.
 */
export async function deleteConfirmed(options: ConfirmedDeleteOptions): Promise<RecordResult[]> {
  const ids = await options.idsOf(options.keys);
  const targets: DeleteTarget[] = [];
  const seen = new Set<string>();
  options.keys.forEach((key, index) => {
    const id = ids.get(key) ?? null;
    if (id !== null && !seen.has(id)) { seen.add(id); targets.push({ index, key, id }); }
  });
  const refused = targets.length > 0 ? await options.remove(targets) : new Map<string, FieldError[]>();
  const accepted = targets.filter((t) => !refused.has(t.id)).map((t) => t.id);
  const stillThere = await readUntilGone(accepted, options.stillPresent, options.wait ?? sleep);
  return options.keys.map((key, index): RecordResult => {
    const id = ids.get(key) ?? null;
    if (id === null) return { index, key, outcome: 'deleted' };
    const refusal = refused.get(id);
    if (refusal) return { index, key, id, outcome: 'failed', errors: refusal };
    if (!stillThere.has(id)) return { index, key, id, outcome: 'deleted' };
    return {
      index, key, id, outcome: 'failed',
      errors: [{ field: options.keyField, message: `${options.systemName} answered success to the delete of ${options.object} ${id}, but the record is still there (read back ${CONFIRM_ATTEMPTS} times)` }],
    };
  });
}

/** The ids a read still finds after `CONFIRM_ATTEMPTS` reads, spaced by a growing backoff. */
export async function readUntilGone(ids: string[], stillPresent: (ids: string[]) => Promise<Set<string>>,
  wait: (ms: number) => Promise<void> = sleep): Promise<Set<string>> {
  let remaining = ids;
  for (let attempt = 1; remaining.length > 0 && attempt <= CONFIRM_ATTEMPTS; attempt++) {
    if (attempt > 1) await wait(CONFIRM_BACKOFF_MS * (attempt - 1));
    const present = await stillPresent(remaining);
    remaining = remaining.filter((id) => present.has(id));
  }
  return new Set(remaining);
}

/**
 * Deletes targets one request each (systems without a batch delete), `concurrency` at a time:
 * failures about one record (recordErrors gives their field errors) become refusals, the rest are
 * thrown.
 */
export async function removeEach(targets: DeleteTarget[], concurrency: number, removeOne: (target: DeleteTarget) => Promise<void>,
  recordErrors: (err: unknown) => FieldError[] | undefined): Promise<Map<string, FieldError[]>> {
  const refused = new Map<string, FieldError[]>();
  await mapWithConcurrency(targets, concurrency, async (target) => {
    try {
      await removeOne(target);
    } catch (err) {
      const errors = recordErrors(err);
      if (!errors) throw err;
      refused.set(target.id, errors);
    }
  });
  return refused;
}
