import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';
import { objectCatalog } from '../kit';
import { SYSTEM } from './errors';

/**
 * NetSuite records as data, in the REST record service's field names (what loads carry): `id` is
 * the internal id NetSuite assigns, `externalId` the caller's id (what upserts address with
 * eid:). References are `{ id }`; the sales order's `item` sublist is `{ items: [{ item: { id },
 * quantity, rate, description? }] }`, written with ?replace=item so a write (and a rollback) sets
 * the lines exactly. Reads go through SuiteQL; `column` says how each field is read there.
 */
export const ID_FIELD = 'id';
export const EXTERNAL_ID_FIELD = 'externalId';
/**
 * Records per load chunk. NetSuite's REST record service takes one record per request (no bulk
 * create); the connector sends them `concurrency` at a time (config), within the account limit.
 */
export const CHUNK_SIZE = 50;

/** How a field is read through SuiteQL and turned back into the record service's shape. */
export type ColumnKind = 'text' | 'number' | 'boolean' | 'ref' | 'date' | 'datetime';

export interface NetSuiteField {
  name: string;
  /** The SuiteQL column; absent for sublists (read through the record service). */
  column?: string;
  kind: ColumnKind | 'sublist';
}

export interface NetSuiteObject {
  spec: ObjectSpec;
  /** The record service's type: /services/rest/record/v1/{recordType}. */
  recordType: string;
  /** The SuiteQL table, and the `type` filter transactions need. */
  table: string;
  tranType?: string;
  /** The `type` value of the deletedrecord table for this record type. */
  deletedType: string;
  fields: NetSuiteField[];
}

const operations: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];

function field(name: string, kind: NetSuiteField['kind'], column: string | undefined = kind === 'sublist' ? undefined : name.toLowerCase()): NetSuiteField {
  return { name, kind, ...(column ? { column } : {}) };
}

const specType: Record<NetSuiteField['kind'], FieldSpec['type']> = {
  text: 'string', number: 'number', boolean: 'boolean', ref: 'json', date: 'string', datetime: 'datetime', sublist: 'json',
};

function describeObject(def: Omit<NetSuiteObject, 'spec'> & { readOnly: string[]; required: string[]; notes: string }): NetSuiteObject {
  const { readOnly, required, notes, ...rest } = def;
  return {
    ...rest,
    spec: {
      name: def.recordType,
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: def.fields.map((f) => ({
        name: f.name, type: specType[f.kind],
        ...(readOnly.includes(f.name) ? { readOnly: true } : {}),
        ...(required.includes(f.name) ? { required: true } : {}),
      })),
      operations,
      batchSize: CHUNK_SIZE,
      cursor: 'timestamp',
      systemFields: ['links'],
      notes,
    },
  };
}

const COMMON_NOTES = 'One request per record (REST has no bulk write); upsert only by externalId (PUT …/eid:{externalId}). '
  + 'A deleted record cannot be undeleted: a rollback re-creates it with a new internal id, keeping its externalId. '
  + 'Capture reads SuiteQL on lastmodifieddate (whole seconds, in the user time zone preference) and deletes from the deletedrecord table '
  + '(the role needs the Deleted Records permission). Concurrency: the account limit is its service tier\'s base (5 on a shared tier, 15 on Tier 1) '
  + 'plus 10 per SuiteCloud Plus license, shared by every integration; over it NetSuite answers 429 without Retry-After (config.concurrency is this '
  + 'connection\'s share). Oracle now recommends OAuth 2.0 over TBA for new REST integrations.';

export const netsuiteObjectList: NetSuiteObject[] = [
  describeObject({
    recordType: 'customer', table: 'customer', deletedType: 'customer',
    fields: [
      field(ID_FIELD, 'number'), field(EXTERNAL_ID_FIELD, 'text'), field('entityId', 'text'), field('companyName', 'text'), field('isPerson', 'boolean'),
      field('firstName', 'text'), field('lastName', 'text'), field('email', 'text'), field('phone', 'text'), field('comments', 'text'),
      field('subsidiary', 'ref'), field('dateCreated', 'datetime'), field('lastModifiedDate', 'datetime'),
    ],
    readOnly: [ID_FIELD, 'dateCreated', 'lastModifiedDate'],
    required: ['companyName'],
    notes: `${COMMON_NOTES} companyName is required for companies, lastName for persons (isPerson true).`,
  }),
  describeObject({
    recordType: 'salesOrder', table: 'transaction', tranType: 'SalesOrd', deletedType: 'salesorder',
    fields: [
      field(ID_FIELD, 'number'), field(EXTERNAL_ID_FIELD, 'text'), field('tranId', 'text'), field('entity', 'ref'), field('tranDate', 'date'),
      field('memo', 'text'), field('otherRefNum', 'text'), field('item', 'sublist'), field('total', 'number', 'foreigntotal'),
      field('createdDate', 'datetime'), field('lastModifiedDate', 'datetime'),
    ],
    readOnly: [ID_FIELD, 'tranId', 'total', 'createdDate', 'lastModifiedDate'],
    required: ['entity', 'item'],
    notes: `${COMMON_NOTES} entity ({ id } of a customer) and at least one item line are required; tranDate is YYYY-MM-DD. `
      + 'item lines are { item: { id }, quantity, rate, description? }; capture carries body fields only (SuiteQL has no sublists).',
  }),
];

const catalog = objectCatalog(SYSTEM, netsuiteObjectList.map((o) => o.spec));
export const netsuiteObjects: ObjectSpec[] = netsuiteObjectList.map((o) => o.spec);

export function netsuiteObject(name: string): NetSuiteObject {
  catalog.spec(name);
  return netsuiteObjectList.find((o) => o.spec.name === name)!;
}
