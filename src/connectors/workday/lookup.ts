import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { Key } from '../contract';
import type { WorkdayApi } from './api';
import { SYSTEM } from './auth';
import { ID_FIELD, WRITE_CONCURRENCY, type WorkdayResource } from './objects';
import type { Resource } from './records';

/** A Workday ID: 32 hexadecimal digits. Anything else names no resource (and is not sent). */
const WORKDAY_ID = /^[0-9a-f]{32}$/i;

/**
 * Resources by natural key, one GET each (WRITE_CONCURRENCY at once): by Workday ID, or by
 * reference ID through the same path (`/payrollInputs/Payroll_Input_ID=PI-7`). Reference IDs are
 * matched exactly, as Workday does.
 */
export async function findByKey(api: WorkdayApi, target: WorkdayResource, keyField: string, keys: Key[]): Promise<Map<Key, Resource | null>> {
  if (keyField !== ID_FIELD && !(keyField in target.refIdTypes)) {
    throw new ConnectorError({
      kind: 'permanent', system: SYSTEM, fields: [{ field: keyField, message: `not a natural key of ${target.spec.name}` }],
      message: `workday ${target.spec.name} cannot be looked up by ${keyField}: its keys are ${target.spec.naturalKeys.join(', ')}`,
    });
  }
  const unique = [...new Set(keys.map((k) => k.trim()).filter((k) => k !== ''))];
  const found = await mapWithConcurrency(unique, WRITE_CONCURRENCY, async (key) => {
    if (keyField === ID_FIELD && !WORKDAY_ID.test(key)) return null;
    return api.getByKey(target, keyField, key);
  });
  const byKey = new Map(unique.map((key, i) => [key, found[i]]));
  return new Map(keys.map((key) => [key, byKey.get(key.trim()) ?? null]));
}
