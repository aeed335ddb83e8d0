import { isDeepStrictEqual } from 'node:util';
import { redactValue } from '../../platform/credentials/redact';
import type { LoadRecordListing, LoadSummary } from '../../platform/db/repositories/loads';

export function loadView(load: LoadSummary) {
  return {
    id: load.id,
    status: load.status,
    connectionId: load.connectionId,
    connector: load.connector,
    object: load.object,
    operation: load.operation,
    naturalKey: load.naturalKey,
    dryRun: load.options.dryRun,
    options: load.options,
    counts: load.counts,
    ...(load.options.dryRun ? { plan: load.plan } : {}),
    phase: load.phase,
    rollbackUntil: load.rollbackUntil?.toISOString() ?? null,
    createdAt: load.createdAt.toISOString(),
    startedAt: load.startedAt?.toISOString() ?? null,
    finishedAt: load.finishedAt?.toISOString() ?? null,
    ...(load.error ? { error: redactValue(load.error) } : {}),
  };
}

export function loadRecordView(record: LoadRecordListing) {
  return {
    index: record.index,
    key: record.key,
    status: record.status,
    ...(record.systemId ? { id: record.systemId } : {}),
    ...(record.errors && record.errors.length > 0 ? { errors: record.errors } : {}),
    ...(record.plan ? { plan: record.plan } : {}),
    ...(record.rollbackNote ? { rollbackNote: record.rollbackNote } : {}),
    ...(record.snapshot ? { before: beforeView(record.snapshot) } : {}),
  };
}

/**
 * What the record was before the load, in the fields the load wrote (what a rollback puts back):
 * { existed: false } for one the load created, else { existed: true, changed: { field: { from, to } } }.
 */
function beforeView(snapshot: NonNullable<LoadRecordListing['snapshot']>) {
  if (!snapshot.existed) return { existed: false };
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(snapshot.written)) {
    const from = snapshot.before?.[field] ?? null;
    if (!isDeepStrictEqual(from, to ?? null)) changed[field] = { from, to: to ?? null };
  }
  return { existed: true, changed: redactValue(changed) };
}
