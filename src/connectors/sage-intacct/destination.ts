import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Key, ObjectSpec, Rec, RecordResult, WriteOperation } from '../contract';
import { deleteConfirmed, idsByKey, keyNormaliser, keyValue, recreateValues, sleep, writableValues } from '../kit';
import type { IntacctApi, Row } from './api';
import { functionFailure, SYSTEM } from './errors';
import { fieldLabels, FUNCTIONS_PER_REQUEST, ID, intacctObject, nameField } from './objects';
import { toRecord, toXmlValues } from './records';
import type { FunctionResult, IntacctFunction } from './xml';

export interface SageIntacctDestinationOptions {
  confirmWait?: (ms: number) => Promise<void>;
}

export function sageIntacctDestination(api: IntacctApi, options: SageIntacctDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys) => readByKey(api, intacctObject(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, intacctObject(object), op, keyField, records),

    /** One request of `delete` functions (one a record, each answered on its own), confirmed by reads. */
    delete(object, keyField, keys) {
      const spec = intacctObject(object);
      return deleteConfirmed({
        systemName: 'Sage Intacct', object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID, (k) => readByKey(api, spec, keyField, k)),
        remove: async (targets) => {
          const results = await api.write(targets.map((t) => ({ controlId: `delete-${t.index}`, call: { delete: { object: spec.name, keys: t.id } } })), FUNCTIONS_PER_REQUEST);
          const refused = new Map<string, FieldError[]>();
          results.forEach((r, i) => { if (r.status !== 'success') refused.set(targets[i].id, recordErrors(spec, r)); });
          return refused;
        },
        stillPresent: async (ids) => {
          const current = await readByKey(api, spec, ID, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Intacct has no undelete: the record is created again from its before-image with its
     * CUSTOMERID/VENDORID (which keeps its identity for the caller) and gets a new RECORDNO. A
     * record already there under that ID (a retried restore) is taken as restored.
     */
    async restore(object, _keyField, before) {
      const spec = intacctObject(object);
      const name = keyValue(before, nameField(spec));
      if (name === '') {
        throw new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: nameField(spec), message: 'the before-image has no ID' }], message: `sage-intacct cannot re-create ${object}: its before-image has no ${nameField(spec)}` });
      }
      const existing = (await readByKey(api, spec, nameField(spec), [name])).get(name);
      if (existing) return { id: String(existing[ID]), recreated: true };
      const [result] = await api.write([{ controlId: 'restore', call: { create: { [spec.name]: toXmlValues(recreateValues(spec, before)) } } }], 1);
      if (result.status !== 'success') throw functionFailure(result, fieldLabels[spec.name] ?? {});
      return { id: createdId(result), recreated: true };
    },
  };
}

/** Live records by RECORDNO or by the ID field; keys with a comma cannot be named in a keys list. */
export async function readByKey(api: IntacctApi, spec: ObjectSpec, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> {
  if (keyField !== ID && keyField !== nameField(spec)) {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: keyField, message: `${spec.name} is looked up by ${ID} or ${nameField(spec)}` }], message: `sage-intacct cannot look ${spec.name} up by ${keyField}` });
  }
  if (keys.some((k) => k.includes(','))) {
    throw new ConnectorError({ kind: 'validation', system: SYSTEM, fields: [{ field: keyField, message: 'a key cannot contain "," (the keys list separator)' }], message: `sage-intacct cannot look ${spec.name} up by a ${keyField} containing ","` });
  }
  const normalise = keyNormaliser(spec, keyField);
  const wanted = [...new Set(keys.map(normalise).filter((k) => k !== ''))];
  const rows = wanted.length > 0 ? await api.readByKeys(spec, keyField, wanted, spec.fields.map((f) => f.name)) : [];
  const found = new Map<string, Row>();
  for (const row of rows) {
    const value = row[keyField];
    if (typeof value === 'string' && wanted.includes(normalise(value))) found.set(normalise(value), row);
  }
  return new Map(keys.map((key) => {
    const row = found.get(normalise(key));
    return [key, row ? toRecord(spec, row) : null];
  }));
}

interface Pending {
  index: number;
  key: string;
  record: Rec;
  /** The RECORDNO to update (absent: create). */
  id?: string;
}

/**
 * create -> `create` functions; update -> `update` by RECORDNO after a read by key; upsert -> both.
 * All go in requests of FUNCTIONS_PER_REQUEST functions; each function's failure fails its record
 * (naming the fields its errors name), the others stand.
 */
async function writeRecords(api: IntacctApi, spec: ObjectSpec, op: Exclude<WriteOperation, 'delete'>, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const all: Pending[] = records.map((record, index) => ({ index, key: keyValue(record, keyField), record }));
  const valid = all.filter((p) => {
    if (op !== 'create' && p.key === '') {
      results.push({ index: p.index, key: p.key, outcome: 'failed', errors: [{ field: keyField, message: `${keyField} is required to ${op} ${spec.name}` }] });
      return false;
    }
    return true;
  });
  const current = op === 'create' ? new Map<Key, Rec | null>() : await readByKey(api, spec, keyField, valid.map((p) => p.key));
  const writes: Array<{ p: Pending; fn: IntacctFunction; outcome: 'created' | 'updated' }> = [];
  for (const p of valid) {
    const existing = current.get(p.key) ?? null;
    if (existing) {
      const pending = { ...p, id: String(existing[ID]) };
      writes.push({ p: pending, fn: updateOf(spec, pending), outcome: 'updated' });
    } else if (op === 'update') {
      results.push({ index: p.index, key: p.key, outcome: 'failed', errors: [{ field: keyField, message: `no ${spec.name} with ${keyField} ${p.key}` }] });
    } else {
      writes.push({ p, fn: { controlId: `create-${p.index}`, call: { create: { [spec.name]: toXmlValues(writableValues(spec, withoutBlanks(p.record))) } } }, outcome: 'created' });
    }
  }
  const answers = await api.write(writes.map((w) => w.fn), FUNCTIONS_PER_REQUEST);
  writes.forEach(({ p, outcome }, i) => {
    const answer = answers[i];
    if (answer.status !== 'success') {
      results.push({ index: p.index, key: p.key, ...(p.id ? { id: p.id } : {}), outcome: 'failed', errors: recordErrors(spec, answer) });
      return;
    }
    const id = p.id ?? createdId(answer);
    results.push({ index: p.index, key: p.key || id, id, outcome });
  });
  return results.sort((a, b) => a.index - b.index);
}

/** An update names the record by RECORDNO; the ID field is never sent (it cannot change). */
function updateOf(spec: ObjectSpec, p: Pending): IntacctFunction {
  const values = writableValues(spec, p.record);
  delete values[nameField(spec)];
  return { controlId: `update-${p.index}`, call: { update: { [spec.name]: { [ID]: p.id, ...toXmlValues(values) } } } };
}

/** A create has nothing to clear: blank values are left out rather than sent as empty elements. */
function withoutBlanks(record: Rec): Rec {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

function recordErrors(spec: ObjectSpec, result: FunctionResult): FieldError[] {
  return functionFailure(result, fieldLabels[spec.name] ?? {}).fields ?? [];
}

/** The RECORDNO a `create` answered (<data listtype="objects"><customer><RECORDNO>). */
function createdId(result: FunctionResult): string {
  const id = result.data?.records[0]?.[ID];
  if (typeof id !== 'string' || id === '') throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `sage-intacct answered ${result.function} without a RECORDNO` });
  return id;
}
