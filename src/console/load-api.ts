import { api } from './api';
import type { Draft } from './drafts';
import type { LoadRecord } from './types';

/** Starts a load from a draft: a file is streamed as CSV or NDJSON with the target in the query string. */
export async function startLoad(draft: Draft, dryRun: boolean): Promise<string> {
  const { target, input } = draft;
  if (input.kind === 'file') {
    const q = new URLSearchParams({
      connectionId: target.connectionId, object: target.object, operation: target.operation, naturalKey: target.naturalKey,
      dryRun: String(dryRun), verify: String(target.verify), onError: target.onError,
    });
    const r = await api<{ id: string }>('POST', `/v1/loads?${q}`, {
      body: input.file, contentType: input.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    });
    return r.id;
  }
  const r = await api<{ id: string }>('POST', '/v1/loads', {
    json: {
      connectionId: target.connectionId, object: target.object, operation: target.operation, naturalKey: target.naturalKey,
      records: input.records, options: { dryRun, verify: target.verify, onError: target.onError },
    },
  });
  return r.id;
}

export async function recordsPage(loadId: string, opts: { status?: string; after?: string; limit?: number }) {
  const q = new URLSearchParams({ limit: String(opts.limit ?? 100) });
  if (opts.status) q.set('status', opts.status);
  if (opts.after) q.set('after', opts.after);
  return api<{ records: LoadRecord[]; next?: string }>('GET', `/v1/loads/${encodeURIComponent(loadId)}/records?${q}`);
}

export async function allRecords(loadId: string, status?: string): Promise<LoadRecord[]> {
  const out: LoadRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await recordsPage(loadId, { status, after, limit: 1000 });
    out.push(...page.records);
    if (!page.next) return out;
    after = page.next;
  }
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The records as CSV: index, key, status, system id, errors (field: message), planned change. */
export function recordsCsv(records: LoadRecord[]): string {
  const rows = [['index', 'key', 'status', 'id', 'error_fields', 'errors', 'plan_action', 'changes']];
  for (const r of records) {
    rows.push([
      String(r.index), r.key, r.status, r.id ?? '',
      (r.errors ?? []).map((e) => e.field).join(';'),
      (r.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; '),
      r.plan?.action ?? '',
      r.plan?.diff ? JSON.stringify(r.plan.diff) : '',
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
