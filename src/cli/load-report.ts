import type { ApiClient } from './api-client';
import type { Load, LoadRecord } from './api-types';
import { messageOf, table } from './output';

export interface FieldFailures {
  field: string;
  records: number;
  /** One message as the system gave it, with the record's key. */
  example: string;
}

/** The load's failed records, their errors counted by field (a record failing on two fields counts in both). */
export async function failuresByField(client: ApiClient, loadId: string): Promise<FieldFailures[]> {
  const byField = new Map<string, FieldFailures>();
  let after: string | undefined;
  do {
    const page = await client.get<{ records: LoadRecord[]; next?: string }>(`/v1/loads/${encodeURIComponent(loadId)}/records`,
      { status: 'failed', limit: 1000, after });
    for (const record of page.records) {
      const errors = record.errors?.length ? record.errors : [{ field: '(record)', message: 'failed without a field error' }];
      for (const field of new Set(errors.map((e) => e.field))) {
        const entry = byField.get(field) ?? { field, records: 0, example: `${record.key}: ${errors.find((e) => e.field === field)?.message}` };
        entry.records++;
        byField.set(field, entry);
      }
    }
    after = page.next === undefined ? undefined : String(page.next);
  } while (after !== undefined);
  return [...byField.values()].sort((a, b) => b.records - a.records || a.field.localeCompare(b.field));
}

const n = (v: number | undefined) => (v ?? 0).toLocaleString('en-US');

function seconds(load: Load): string {
  if (!load.startedAt || !load.finishedAt) return '';
  const s = (Date.parse(load.finishedAt) - Date.parse(load.startedAt)) / 1000;
  return ` in ${s.toFixed(1)} s`;
}

/** The human report of a settled load: what it did (or would do), by status, and failures by field. */
export function renderReport(load: Load, failures: FieldFailures[]): string {
  const head = `${load.dryRun ? 'dry run' : 'load'} ${load.id} ${load.status}${seconds(load)}: ${load.connector} ${load.object}, ${load.operation} by ${load.naturalKey}`;
  const c = load.counts;
  const rows: Array<[string, string]> = load.dryRun && load.plan
    ? [['would create', n(load.plan.create)], ['would update', n(load.plan.update)], ['would delete', n(load.plan.delete)],
      ['unchanged', n(load.plan.unchanged)], ['failed', n(c.failed)], ['total', n(c.total)]]
    : [['created', n(c.created)], ['updated', n(c.updated)], ['deleted', n(c.deleted)], ['unchanged', n(c.unchanged)],
      ['failed', n(c.failed)], ['verified', n(c.verified)], ...(c.rolledBack ? [['rolled back', n(c.rolledBack)] as [string, string]] : []),
      ...(c.rollbackFailed ? [['rollback failed', n(c.rollbackFailed)] as [string, string]] : []), ['total', n(c.total)]];
  const parts = [head, '', table(['RECORDS', 'COUNT'], rows)];
  if (failures.length > 0) {
    parts.push('', 'Failures by field:', table(['FIELD', 'RECORDS', 'EXAMPLE'], failures.map((f) => [f.field, n(f.records), f.example])));
  }
  const error = messageOf(load.error);
  if (error) parts.push('', `reason: ${error}`);
  if (!load.dryRun && load.status === 'completed' && load.rollbackUntil) {
    parts.push('', `Roll back until ${load.rollbackUntil}: forge rollback ${load.id}`);
  }
  return parts.join('\n');
}

/** 0 when the load did all it was asked without a failed record, else 1. */
export function succeeded(load: Load): boolean {
  return load.status === 'completed' && load.counts.failed === 0;
}
