import type { FieldError } from './records';

/**
 * Many systems (HubSpot, Dynamics batches, ...) refuse a WHOLE batch when one input is invalid. This
 * writes a batch and, when the system refuses it for record-level reasons, isolates the offending
 * records so every valid record is still written:
 * - when the error names the offending inputs, those fail and the rest is written again;
 * - when it cannot be attributed, the batch is split in two halves, each written (and isolated) on
 *   its own, down to single records, which then fail with the error's field errors.
 * With k bad records in n, that costs about 2·k·log2(n) extra calls (3 bad in 100: ~40).
 * Errors that are not about records (auth, rate limits, outages) are thrown unchanged: the caller's
 * retry policy deals with them, never a per-record failure.
 */

/** What a refused batch means, as the connector's classifier reads the system's error. */
export type BatchRefusal =
  /** Not about the records (401/403/429/5xx...): rethrow as is. */
  | { kind: 'fatal' }
  /** The error names the refused inputs, by position in the batch that was sent. */
  | { kind: 'records'; rejected: Array<{ position: number; errors: FieldError[] }> }
  /** Some input is bad but the error does not say which: split; a single record fails with `errors`. */
  | { kind: 'unattributed'; errors: FieldError[] };

export interface BatchIsolationOptions<T, R> {
  /** Writes a batch; answers one result per input, in input order. Throws when the system refuses the batch. */
  write(batch: T[]): Promise<R[]>;
  /** Reads a refusal thrown by `write`. */
  classify(error: unknown, batch: T[]): BatchRefusal;
  /** The result to report for an input the system refused. */
  failed(item: T, errors: FieldError[]): R;
}

interface Entry<T> {
  item: T;
  index: number;
}

/** Writes `items` (already sized for one call), isolating refused records; results align with `items`. */
export async function writeIsolatingFailures<T, R>(items: T[], options: BatchIsolationOptions<T, R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  await writeEntries(items.map((item, index) => ({ item, index })), options, results);
  return results;
}

async function writeEntries<T, R>(entries: Entry<T>[], options: BatchIsolationOptions<T, R>, results: R[]): Promise<void> {
  if (entries.length === 0) return;
  const batch = entries.map((e) => e.item);
  let written: R[];
  try {
    written = await options.write(batch);
  } catch (err) {
    await isolate(entries, err, options.classify(err, batch), options, results);
    return;
  }
  if (written.length !== entries.length) {
    throw new Error(`batch writer answered ${written.length} results for ${entries.length} inputs`);
  }
  entries.forEach((entry, position) => { results[entry.index] = written[position]; });
}

async function isolate<T, R>(entries: Entry<T>[], err: unknown, refusal: BatchRefusal, options: BatchIsolationOptions<T, R>,
  results: R[]): Promise<void> {
  if (refusal.kind === 'fatal') throw err;
  if (refusal.kind === 'records') {
    const rejected = new Map(refusal.rejected.filter((r) => entries[r.position] !== undefined).map((r) => [r.position, r.errors]));
    if (rejected.size > 0) {
      for (const [position, errors] of rejected) results[entries[position].index] = options.failed(entries[position].item, errors);
      await writeEntries(entries.filter((_, position) => !rejected.has(position)), options, results);
      return;
    }
    // A verdict that names no input of this batch cannot make progress: treat it as unattributed.
    refusal = { kind: 'unattributed', errors: refusal.rejected.flatMap((r) => r.errors) };
  }
  if (entries.length === 1) {
    results[entries[0].index] = options.failed(entries[0].item, refusal.errors);
    return;
  }
  const middle = Math.ceil(entries.length / 2);
  // One half after the other: halves sent at once would double the burst on a rate-limited system.
  await writeEntries(entries.slice(0, middle), options, results);
  await writeEntries(entries.slice(middle), options, results);
}

/** Splits `items` into runs of at most `size` (a system's batch limit). */
export function chunk<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
