import type { Rec, RecordResult, WriteOperation } from '../contract';
import { recordLevelErrors, writeEach } from '../kit';
import type { WorkdayApi } from './api';
import { findByKey } from './lookup';
import { WRITE_CONCURRENCY, type WorkdayResource } from './objects';
import { toPayload } from './records';

/** One request per record (kit/write-each.ts): POST to create, PATCH with the record's writable fields to update. */
export function writeRecords(api: WorkdayApi, target: WorkdayResource, op: Exclude<WriteOperation, 'delete'>, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  return writeEach({
    systemName: 'Workday', spec: target.spec, op, keyField, records, concurrency: WRITE_CONCURRENCY,
    findExisting: (keys) => findByKey(api, target, keyField, keys),
    create: async (record) => String((await api.create(target, toPayload(target, record))).id),
    update: async (existing, record) => String((await api.patch(target, String(existing.id), toPayload(target, record))).id),
    recordErrors: recordLevelErrors,
  });
}
