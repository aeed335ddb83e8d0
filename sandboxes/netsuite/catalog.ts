import { readOnlyField, type CatalogDifferences, type CatalogField, type CatalogObject } from '../kit';
import { ASYNC_JOBS, DELETED_RECORD, recordTypes, type RecordType } from './records';

/** What NetSuite sets on each record type: the internal id, its numbering, the stamps (and a sales order's total). */
const SET_BY_NETSUITE: Record<RecordType['type'], string[]> = {
  customer: ['id', 'dateCreated', 'lastModifiedDate'],
  salesOrder: ['id', 'tranId', 'total', 'createdDate', 'lastModifiedDate'],
};

/** The record types as the record service names their fields: what a request may set (records.ts), and what NetSuite sets. */
export const netsuiteCatalog: CatalogObject[] = [
  ...recordTypes.map((type): CatalogObject => ({
    name: type.object,
    fields: [
      ...type.fields.map((f): CatalogField => ({ name: f.name })),
      ...SET_BY_NETSUITE[type.type].map(readOnlyField),
    ],
  })),
  { name: DELETED_RECORD, fields: ['id', 'recordId', 'type', 'name', 'deletedDate'].map(readOnlyField) },
  { name: ASYNC_JOBS, fields: ['id', 'request', 'idempotencyKey', 'submittedAtMs', 'result', 'startTime', 'endTime'].map(readOnlyField) },
];

export const netsuiteCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: {
    [DELETED_RECORD]: "NetSuite's deletion log (the deletedrecord SuiteQL table): the connector reads it for capture's delete events, it is no object of its own",
    [ASYNC_JOBS]: 'the async job queue of Prefer: respond-async writes: how a write is carried out, not data',
  },
};
