import type { Rec, RecordResult, WriteOperation } from '../contract';
import { writeEach } from '../kit';
import { recordErrors } from './errors';
import type { FbApi } from './fb-api';
import { findLive } from './lookup';
import { WRITE_CONCURRENCY, type FbObject } from './objects';
import { toPayload } from './records';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/**
 * One request per record (FreshBooks has no batch endpoint; kit/write-each.ts): POST to create, PUT
 * with only the record's writable keys to update (vis_state is never among them). Refused values
 * fail their record with the fields FreshBooks names; anything else is thrown.
 */
export function writeRecords(api: FbApi, target: FbObject, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  return writeEach({
    systemName: 'FreshBooks', spec: target.spec, op, keyField, records, concurrency: WRITE_CONCURRENCY, absentHint: ' (or it is deleted)',
    findExisting: (keys) => findLive(api, target, keyField, keys),
    create: async (record) => String((await api.create(target, toPayload(target, record))).id),
    update: async (existing, record) => String((await api.update(target, String(existing.id), toPayload(target, record))).id),
    recordErrors,
  });
}
