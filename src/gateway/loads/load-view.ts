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
  };
}
