import { objectCatalog } from '../kit';
import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';
import { SYSTEM } from './auth';

/**
 * Stripe objects as data. Records use Stripe's parameter names; metadata keys are flat, dotted
 * fields (`metadata.external_id`), the form Stripe's errors name them in (`metadata[external_id]`).
 * `id` is Stripe's own id; `metadata.external_id` is the caller's id kept in metadata (found with
 * the Search API); customers can also be found by `email` (the list filter, exact match).
 */
export const ID_FIELD = 'id';
export const EXTERNAL_ID_FIELD = 'metadata.external_id';
/**
 * Records per write call. Stripe takes one object per request: the connector sends one request per
 * record, at most WRITE_CONCURRENCY at once, well under the test-mode limit of 25 requests/s.
 */
export const CHUNK_SIZE = 25;
export const WRITE_CONCURRENCY = 5;

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const bool = (name: string): FieldSpec => ({ name, type: 'boolean' });
const json = (name: string): FieldSpec => ({ name, type: 'json' });
const readOnly = (name: string, type: FieldSpec['type']): FieldSpec => ({ name, type, readOnly: true });
const systemFields: FieldSpec[] = [readOnly(ID_FIELD, 'string'), readOnly('object', 'string'), readOnly('created', 'datetime'), readOnly('livemode', 'boolean'), text(EXTERNAL_ID_FIELD)];
const all: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];

export interface StripeObject {
  spec: ObjectSpec;
  /** Stripe's `object` value and event type prefix: 'customer' (events customer.created...). */
  stripeType: string;
  /** Fields Stripe will not change after creation (sent on create only). */
  createOnly: string[];
}

export const stripeObjectList: StripeObject[] = [
  {
    stripeType: 'customer',
    createOnly: [],
    spec: {
      name: 'customers',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD, 'email'],
      fields: [...systemFields, text('email'), text('name'), text('description'), text('phone'), number('balance'), json('address'),
        readOnly('delinquent', 'boolean'), readOnly('currency', 'string')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'A deleted customer answers { deleted: true } and reads as absent; Stripe cannot undelete, so a rollback re-creates it with a new id. '
        + 'Lookups by metadata.external_id use the Search API, which Stripe indexes with a delay (under a minute); email uses the list filter (exact, case-sensitive).',
    },
  },
  {
    stripeType: 'product',
    createOnly: [],
    spec: {
      name: 'products',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: [...systemFields, text('name'), text('description'), bool('active'), text('url'), text('unit_label'), text('statement_descriptor'),
        readOnly('updated', 'datetime')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'A product can be deleted only while no price uses it (Stripe answers 400 otherwise: deactivate it with active=false instead).',
    },
  },
  {
    stripeType: 'price',
    createOnly: ['currency', 'unit_amount', 'product', 'recurring'],
    spec: {
      name: 'prices',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: [...systemFields, text('currency'), number('unit_amount'), text('product'), json('recurring'), text('nickname'), bool('active'),
        text('lookup_key'), text('tax_behavior'), readOnly('type', 'string'), readOnly('billing_scheme', 'string'), readOnly('unit_amount_decimal', 'string')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'Prices are immutable apart from active, metadata, nickname, lookup_key and tax_behavior. An update of unit_amount, currency, product or '
        + 'recurring (by metadata.external_id only) creates a new price with a new id and deactivates the old one; reads by external id see the active price. '
        + 'Its rollback reactivates the old price and deactivates the new one. Prices cannot be deleted: delete deactivates (an inactive price reads as absent), '
        + 'and restore reactivates.',
    },
  },
  {
    stripeType: 'invoice',
    createOnly: ['customer', 'currency'],
    spec: {
      name: 'invoices',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: [...systemFields, text('customer'), text('description'), text('footer'), bool('auto_advance'), text('collection_method'),
        number('days_until_due'), text('currency'), readOnly('status', 'string'), readOnly('total', 'number'), readOnly('amount_due', 'number')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'Draft invoices only: Stripe lets a draft be updated and deleted, nothing else; a finalized invoice fails the record.',
    },
  },
];

export const stripeObjects: ObjectSpec[] = stripeObjectList.map((o) => o.spec);

const catalog = objectCatalog(SYSTEM, stripeObjects);

export function stripeObject(object: string): StripeObject {
  const spec = catalog.spec(object);
  return stripeObjectList.find((o) => o.spec === spec)!;
}
