import type { ObjectSpec } from '../contract';
import { describedObjects, readOnlyField } from '../kit';
import { SYSTEM } from './auth';

/**
 * The two objects, chosen from Workday's REST API reference
 * (community.workday.com/sites/default/files/file-hosting/restapi):
 * - payrollInputs (Payroll v2): the reference documents GET, POST /payrollInputs and GET, PATCH,
 *   DELETE /payrollInputs/{ID}: a load writes them and a rollback deletes, patches back, or
 *   re-creates them (a deleted one cannot be brought back: the re-created one has a new Workday ID).
 * - workers (Common v1): GET /workers and /workers/{ID} only. Hires and job changes are business
 *   processes (Staffing's jobChanges, then submit), not writes a rollback could undo: read-only.
 *
 * Every resource is named by its Workday ID (`id`, 32 hex digits); the `{ID}` of a path also takes
 * a reference ID as `<type>=<value>` (refIdTypes below), which is how the second natural key reads.
 */
export const ID_FIELD = 'id';
/** One request per record (no batch endpoint): a chunk is written this many at a time. */
export const WRITE_CONCURRENCY = 4;
export const CHUNK_SIZE = 25;
/** Workday's largest page: `limit` is at most 100 (default 20). */
export const PAGE_LIMIT = 100;

export interface WorkdayResource {
  spec: ObjectSpec;
  /** /ccx/api/<service>/<version>/<tenant>/<path> */
  service: string;
  version: string;
  path: string;
  /** Natural key (other than id) -> the reference ID type a path's {ID} takes for it. */
  refIdTypes: Record<string, string | ((config: { workerIdType: string }) => string)>;
}


export const payrollInputs: WorkdayResource = {
  service: 'payroll',
  version: 'v2',
  path: 'payrollInputs',
  refIdTypes: { payrollInputID: 'Payroll_Input_ID' },
  spec: {
    name: 'payrollInputs',
    naturalKeys: [ID_FIELD, 'payrollInputID'],
    fields: [
      readOnlyField(ID_FIELD),
      readOnlyField('descriptor'),
      { name: 'payrollInputID', type: 'string', createOnly: true },
      { name: 'worker.id', type: 'string', required: true, createOnly: true },
      readOnlyField('worker.descriptor'),
      { name: 'payComponent.id', type: 'string', required: true, createOnly: true },
      readOnlyField('payComponent.descriptor'),
      { name: 'startDate', type: 'string', required: true },
      { name: 'endDate', type: 'string' },
      { name: 'adjustment', type: 'boolean' },
      { name: 'comment', type: 'string' },
      { name: 'currency.id', type: 'string' },
    ],
    operations: ['create', 'update', 'upsert', 'delete'],
    batchSize: CHUNK_SIZE,
    cursor: 'timestamp',
    notes: 'Payroll v2 payroll inputs: one request per record (POST, PATCH, DELETE /payrollInputs/{ID}). '
      + 'payrollInputID is the Payroll_Input_ID reference ID a load keys by; the Workday ID (id) is assigned by Workday. '
      + 'A delete is final: a rollback re-creates the input from its before-image with a new Workday ID (the load records the mapping). '
      + 'Dates are YYYY-MM-DD. Capture asks for inputs updated in a time window (updatedFrom/updatedTo); deletes are not reported.',
  },
};

export const workers: WorkdayResource = {
  service: 'common',
  version: 'v1',
  path: 'workers',
  refIdTypes: { workerId: (config) => config.workerIdType },
  spec: {
    name: 'workers',
    naturalKeys: [ID_FIELD, 'workerId'],
    fields: [
      readOnlyField(ID_FIELD), readOnlyField('descriptor'), readOnlyField('workerId'), readOnlyField('businessTitle'), readOnlyField('primaryWorkEmail'),
      readOnlyField('primaryWorkPhone'), readOnlyField('isManager', 'boolean'), readOnlyField('primarySupervisoryOrganization.id'),
      readOnlyField('primarySupervisoryOrganization.descriptor'),
    ],
    operations: [],
    batchSize: PAGE_LIMIT,
    cursor: 'timestamp',
    notes: 'Read-only: Workday changes workers through business processes (hire, job change), not REST writes; loads are refused before any request. '
      + 'workerId is the worker\'s Employee_ID (config.workerIdType: Contingent_Worker_ID for contingent workers).',
  },
};

export const workdayResources: WorkdayResource[] = [payrollInputs, workers];
export const workdayObjects: ObjectSpec[] = workdayResources.map((r) => r.spec);

export const workdayResource: (name: string) => WorkdayResource = describedObjects(SYSTEM, workdayResources);
