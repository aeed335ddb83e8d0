import type { FieldSpec, ObjectSpec } from '../contract';
import { describedObjects } from '../kit';

/**
 * Sage 300 Web API resources (OData v4, per company): AR customers (AR/ARCustomers, keyed by
 * CustomerNumber) and IC items (IC/ICItems, keyed by UnformattedItemNumber), in the Web API's
 * property names. Keys are chosen by the user on create and never change, so they are also the
 * records' ids: a re-created record keeps its identity.
 */
export interface Sage300Resource {
  spec: ObjectSpec;
  /** The path under the company: 'AR/ARCustomers'. */
  path: string;
}

/** Records per write call: the Web API writes one entity a request; loads send them 4 at once. */
export const WRITE_BATCH = 25;
export const STAMP = 'DateLastMaintained';

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const stamp: FieldSpec = { name: STAMP, type: 'datetime', readOnly: true };
const key = (name: string): FieldSpec => ({ name, type: 'string', createOnly: true, required: true });

function resource(name: string, path: string, fields: FieldSpec[], notes: string): Sage300Resource {
  return {
    path,
    spec: { name, naturalKeys: [fields[0].name], fields: [...fields, stamp], operations: ['create', 'update', 'upsert', 'delete'], batchSize: WRITE_BATCH, cursor: 'timestamp', notes },
  };
}

export const resources: Sage300Resource[] = [
  resource('ARCustomers', 'AR/ARCustomers', [
    key('CustomerNumber'), text('CustomerName'), text('ShortName'), text('GroupCode'), text('Status'), text('OnHold'),
    text('Email'), text('PhoneNumber'), text('Terms'), { name: 'CreditLimitCustomerCurrency', type: 'number' },
  ], 'A deleted customer cannot be brought back natively: a rollback re-creates it under the same CustomerNumber. '
    + 'DateLastMaintained is a date: capture reads the current day again each poll and emits what changed (see NOTES.md). Deletes are not captured.'),
  resource('ICItems', 'IC/ICItems', [
    key('UnformattedItemNumber'), text('ItemNumber'), text('Description'), text('Category'), text('StockingUnitOfMeasure'), text('Status'),
  ], 'As ARCustomers: re-created under the same UnformattedItemNumber on rollback, capture by day, no deletes captured.'),
];

export const sage300Objects: ObjectSpec[] = resources.map((r) => r.spec);
export const sage300Resource: (name: string) => Sage300Resource = describedObjects('sage-300', resources);

export const keyOf = (spec: ObjectSpec): string => spec.naturalKeys[0];
