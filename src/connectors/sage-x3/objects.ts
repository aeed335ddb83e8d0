import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog } from '../kit';

/**
 * Sage X3 classes through the api1 web API on a folder endpoint, each read and written with the
 * representation of the same name: BPCUSTOMER (customers, keyed by BPCNUM) and ITMMASTER
 * (products, keyed by ITMREF). Keys are chosen by the user and never change, so they are the ids.
 */
export const STAMP = 'UPDDATTIM';
/** Records per write call: api1 writes one resource a request; loads send them 4 at once. */
export const WRITE_BATCH = 25;

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const key = (name: string): FieldSpec => ({ name, type: 'string', createOnly: true, required: true });
const stamps: FieldSpec[] = [{ name: 'CREDATTIM', type: 'datetime', readOnly: true }, { name: STAMP, type: 'datetime', readOnly: true }];

function classSpec(name: string, fields: FieldSpec[], notes: string): ObjectSpec {
  return { name, naturalKeys: [fields[0].name], fields: [...fields, ...stamps], operations: ['create', 'update', 'upsert', 'delete'], batchSize: WRITE_BATCH, cursor: 'timestamp', notes };
}

export const sageX3Objects: ObjectSpec[] = [
  classSpec('BPCUSTOMER', [key('BPCNUM'), text('BPCNAM'), text('BPCSHO'), text('BCGCOD'), text('CUR'), text('CRY')],
    'Deletes cannot be undone natively: a rollback re-creates the customer under the same BPCNUM. Capture reads UPDDATTIM; deletes are not captured.'),
  classSpec('ITMMASTER', [key('ITMREF'), text('ITMDES1'), text('TCLCOD'), text('STU'), text('EANCOD')],
    'As BPCUSTOMER: re-created under the same ITMREF on rollback, capture by UPDDATTIM, no deletes captured.'),
];

const catalog = objectCatalog('sage-x3', sageX3Objects);
export const x3Class = (name: string): ObjectSpec => catalog.spec(name);
export const keyOf = (spec: ObjectSpec): string => spec.naturalKeys[0];
