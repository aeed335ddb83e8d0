import { describedObjects, readOnlyField } from '../kit';
import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';
import { SYSTEM } from './auth';

/**
 * Stripe objects as data, in the shapes of API version STRIPE_API_VERSION (every request sends it as
 * `Stripe-Version`). Records use Stripe's parameter names. Nested values are FieldSpec `object`s
 * and `map`s: metadata is a map written key by key (`metadata.external_id`, the form Stripe's
 * errors name them in: `metadata[external_id]`; a blank key unsets it), an address is written whole
 * (Stripe replaces a customer's address with what is sent). `id` is Stripe's own id;
 * `metadata.external_id` is the caller's id kept in metadata (found with the Search API: see
 * lookup.ts); customers can also be found by `email` (the list filter, exact match).
 */
export const ID_FIELD = 'id';
export const EXTERNAL_ID_FIELD = 'metadata.external_id';
/** The API version every request pins (docs.stripe.com/api/versioning): the one stripe-mock 0.197.0 describes. */
export const STRIPE_API_VERSION = '2025-09-30.clover';
/**
 * Records per write call. Stripe takes one object per request: the connector sends one request per
 * record, at most WRITE_CONCURRENCY at once, well under the test-mode limit of 25 requests/s.
 */
export const CHUNK_SIZE = 25;
export const WRITE_CONCURRENCY = 5;

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const bool = (name: string): FieldSpec => ({ name, type: 'boolean' });
/** Fields Stripe's update refuses a blank for (integers, booleans, enums): see FieldSpec.clearable. */
const unclearable = (field: FieldSpec): FieldSpec => ({ ...field, clearable: false });
const metadata: FieldSpec = { name: 'metadata', type: 'map', writes: 'per-key' };
const systemFields: FieldSpec[] = [readOnlyField(ID_FIELD, 'string'), readOnlyField('object', 'string'), readOnlyField('created', 'datetime'), readOnlyField('livemode', 'boolean'),
  metadata, { ...text(EXTERNAL_ID_FIELD), keyLookup: 'search-index' }];
const all: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];
const address: FieldSpec = { name: 'address', type: 'object', writes: 'whole', fields: ['city', 'country', 'line1', 'line2', 'postal_code', 'state'].map(text) };
const recurring: FieldSpec = {
  name: 'recurring', type: 'object', writes: 'whole',
  fields: [text('interval'), { ...number('interval_count'), default: 1 }, text('meter'), { ...text('usage_type'), default: 'licensed' }],
};

const VERSION_NOTE = `Requests pin Stripe-Version ${STRIPE_API_VERSION}: records are read and written in that version's shapes `
  + '(captured events carry the account default version\'s shapes, as Stripe renders them).';
const METADATA_NOTE = 'metadata is written key by key: a rollback sets back the keys that were there and unsets the ones the load added. '
  + 'Lookups by metadata.external_id go through the Search API, whose index trails writes (under a minute, docs.stripe.com/search): '
  + 'the connector adds what changed in the last two minutes from the Events API and re-reads those objects by id, and verify reads by id.';

export interface StripeObject {
  spec: ObjectSpec;
  /** Stripe's `object` value and event type prefix: 'customer' (events customer.created...). */
  stripeType: string;
  /** Parameters Stripe will not change after creation (sent on create only; for prices, a change makes a new price). */
  createOnly: string[];
}

export const stripeObjectList: StripeObject[] = [
  {
    stripeType: 'customer',
    createOnly: [],
    spec: {
      name: 'customers',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD, 'email'],
      fields: [...systemFields, text('email'), text('name'), text('description'), text('phone'), unclearable(number('balance')), address,
        readOnlyField('delinquent', 'boolean'), readOnlyField('currency', 'string')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'A deleted customer answers { deleted: true } and reads as absent; Stripe cannot undelete, so a rollback re-creates it with a new id. '
        + 'address is written whole (sub-fields left out are cleared) and restored whole. email uses the list filter (exact, case-sensitive). '
        + `${METADATA_NOTE} ${VERSION_NOTE}`,
    },
  },
  {
    stripeType: 'product',
    createOnly: [],
    spec: {
      name: 'products',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: [...systemFields, unclearable(text('name')), text('description'), unclearable(bool('active')), text('url'), text('unit_label'),
        text('statement_descriptor'), readOnlyField('updated', 'datetime')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'A product can be deleted only while no price uses it (Stripe answers 400 otherwise: deactivate it with active=false instead). '
        + `${METADATA_NOTE} ${VERSION_NOTE}`,
    },
  },
  {
    stripeType: 'price',
    createOnly: ['currency', 'unit_amount', 'product', 'recurring'],
    spec: {
      name: 'prices',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: [...systemFields, text('currency'), number('unit_amount'), text('product'), recurring, text('nickname'), unclearable(bool('active')),
        text('lookup_key'),
        { ...text('tax_behavior'), createOnly: true, clearable: false, hint: 'Stripe never lets it go back once inclusive or exclusive: create a new price instead' },
        readOnlyField('type', 'string'), readOnlyField('billing_scheme', 'string'), readOnlyField('unit_amount_decimal', 'string')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'Prices are immutable apart from active, metadata, nickname, lookup_key and tax_behavior (which a load only sets on create: a change '
        + 'could never be rolled back). An update of unit_amount, currency, product or recurring (by metadata.external_id only) creates a new price '
        + 'with a new id and deactivates the old one; reads by external id see the active price. Its rollback reactivates the old price and '
        + 'deactivates the new one. Prices cannot be deleted: delete deactivates (an inactive price reads as absent), and restore reactivates. '
        + `${METADATA_NOTE} ${VERSION_NOTE}`,
    },
  },
  {
    stripeType: 'invoice',
    createOnly: ['customer', 'currency'],
    spec: {
      name: 'invoices',
      naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
      fields: [...systemFields, { ...text('customer'), createOnly: true }, text('description'), text('footer'), unclearable(bool('auto_advance')),
        unclearable(text('collection_method')), unclearable(number('due_date')),
        { ...number('days_until_due'), writeOnly: true, hint: 'write due_date (unix seconds) instead' },
        { ...text('currency'), createOnly: true }, readOnlyField('status', 'string'), readOnlyField('total', 'number'), readOnlyField('amount_due', 'number'),
        readOnlyField('lines', 'json')],
      operations: all,
      batchSize: CHUNK_SIZE,
      cursor: 'event-id',
      notes: 'Draft invoices only: Stripe lets a draft be updated and deleted, nothing else; a finalized invoice fails the record. '
        + 'due_date (unix seconds, send_invoice only) is what an invoice shows; days_until_due is a parameter Stripe never returns, so loads refuse it. '
        + 'lines (read-only) are the draft\'s line items: a rollback that re-creates a deleted draft adds them back as invoice items '
        + '(by price and quantity, else amount and currency; discounts and tax rates are not carried over). '
        + `${METADATA_NOTE} ${VERSION_NOTE}`,
    },
  },
];

export const stripeObjects: ObjectSpec[] = stripeObjectList.map((o) => o.spec);

export const stripeObject: (name: string) => StripeObject = describedObjects(SYSTEM, stripeObjectList);
