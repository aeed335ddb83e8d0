import type { HandlerContext, StoredRecord } from '../kit';
import { commonSortKeys, connection, type ConnectionArgs } from './connection';
import type { UserError } from './products';
import { matchesSearch, numericId, type Filters } from './search';

export const CUSTOMERS = 'customers';

/**
 * Customers (shopify.dev/docs/api/admin-graphql/2026-07/objects/Customer; mutations customerCreate,
 * customerUpdate, customerDelete). The email lives in `defaultEmailAddress.emailAddress` (Customer.email
 * is deprecated in 2026-07); the sandbox keeps it as `email`.
 */
export interface CustomerFields {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  locale: string;
  taxExempt: boolean;
}

export interface CustomerInput {
  id?: string; firstName?: string | null; lastName?: string | null; email?: string | null; phone?: string | null;
  note?: string | null; tags?: string[] | null; locale?: string | null; taxExempt?: boolean | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const customerFilters: Filters = {
  default: { kind: 'text', value: (r) => [fieldsOf(r).firstName ?? '', fieldsOf(r).lastName ?? '', fieldsOf(r).email ?? ''] },
  email: { kind: 'text', value: (r) => fieldsOf(r).email ?? undefined },
  first_name: { kind: 'text', value: (r) => fieldsOf(r).firstName ?? undefined },
  last_name: { kind: 'text', value: (r) => fieldsOf(r).lastName ?? undefined },
  id: { kind: 'id', value: (r) => r.id },
  customer_date: { kind: 'time', value: (r) => r.createdAt },
  created_at: { kind: 'time', value: (r) => r.createdAt },
  updated_at: { kind: 'time', value: (r) => r.updatedAt },
  tag: { kind: 'tag', value: (r) => fieldsOf(r).tags },
};

export function fieldsOf(record: StoredRecord): CustomerFields {
  return record.fields as unknown as CustomerFields;
}

export function customerNode(record: StoredRecord) {
  const f = fieldsOf(record);
  const name = [f.firstName, f.lastName].filter(Boolean).join(' ');
  return {
    __typename: 'Customer',
    id: record.id,
    legacyResourceId: String(numericId(record.id)),
    firstName: f.firstName,
    lastName: f.lastName,
    displayName: name || f.email || f.phone || '',
    note: f.note,
    tags: f.tags,
    locale: f.locale,
    taxExempt: f.taxExempt,
    state: 'DISABLED',
    verifiedEmail: true,
    canDelete: true,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    defaultEmailAddress: f.email ? { emailAddress: f.email, marketingState: 'NOT_SUBSCRIBED', validFormat: true } : null,
    defaultPhoneNumber: f.phone ? { phoneNumber: f.phone, marketingState: 'NOT_SUBSCRIBED' } : null,
  };
}

export function customerQueries(ctx: HandlerContext) {
  const live = () => ctx.records.list(CUSTOMERS).filter((r) => !r.archived);
  const byId = (id: string) => { const r = ctx.records.read(CUSTOMERS, id); return r && !r.archived ? customerNode(r) : null; };
  return {
    customer: ({ id }: { id: string }) => byId(id),
    customerByIdentifier: ({ identifier }: { identifier: { id?: string; emailAddress?: string } }) => {
      if (identifier.id) return byId(identifier.id);
      const wanted = identifier.emailAddress?.toLowerCase();
      const found = live().find((r) => fieldsOf(r).email?.toLowerCase() === wanted);
      return found ? customerNode(found) : null;
    },
    customers: (args: ConnectionArgs & { query?: string | null }) =>
      connection(live().filter((r) => matchesSearch(args.query, r, customerFilters)), args,
        { ...commonSortKeys, NAME: (r) => `${fieldsOf(r).firstName ?? ''} ${fieldsOf(r).lastName ?? ''}`.toLowerCase() }, customerNode),
    customerNode: byId,
  };
}

export function customerMutations(ctx: HandlerContext) {
  const live = (id: string | undefined) => {
    const r = id ? ctx.records.latest(CUSTOMERS, id) : undefined;
    return r && !r.archived ? r : undefined;
  };
  const payload = (record: StoredRecord | undefined, userErrors: UserError[]) =>
    ({ customer: record && userErrors.length === 0 ? customerNode(record) : null, userErrors });
  return {
    customerCreate({ input }: { input: CustomerInput }) {
      const fields = applyInput(input, { firstName: null, lastName: null, email: null, phone: null, note: null, tags: [], locale: 'en', taxExempt: false });
      const errors = validate(ctx, fields, undefined);
      return errors.length > 0 ? payload(undefined, errors) : payload(ctx.records.insert(CUSTOMERS, { fields: { ...fields } }), []);
    },
    customerUpdate({ input }: { input: CustomerInput }) {
      const current = live(input.id);
      if (!current) return payload(undefined, [{ field: ['id'], message: 'Customer does not exist' }]);
      const fields = applyInput(input, fieldsOf(current));
      const errors = validate(ctx, fields, current.id);
      return errors.length > 0 ? payload(undefined, errors) : payload(ctx.records.update(CUSTOMERS, current.id, { ...fields }), []);
    },
    customerDelete({ input }: { input: { id: string } }) {
      const current = live(input.id);
      if (!current) return { deletedCustomerId: null, userErrors: [{ field: ['id'], message: "Customer can't be found" }] };
      ctx.records.remove(CUSTOMERS, current.id);
      return { deletedCustomerId: current.id, userErrors: [] };
    },
  };
}

function applyInput(input: CustomerInput, base: CustomerFields): CustomerFields {
  const next = { ...base };
  for (const name of ['firstName', 'lastName', 'email', 'phone', 'note', 'locale'] as const) {
    if (input[name] !== undefined) (next as Record<string, unknown>)[name] = input[name] === '' ? null : input[name];
  }
  if (input.taxExempt !== undefined && input.taxExempt !== null) next.taxExempt = input.taxExempt;
  if (input.tags) next.tags = [...new Set(input.tags.map((t) => t.trim()).filter((t) => t !== ''))].sort();
  if (next.email) next.email = next.email.trim().toLowerCase();
  return next;
}

/** Shopify's customer rules, each a userError naming the field: https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerCreate */
function validate(ctx: HandlerContext, fields: CustomerFields, selfId: string | undefined): UserError[] {
  const errors: UserError[] = [];
  if (!fields.email && !fields.phone && !fields.firstName && !fields.lastName) {
    errors.push({ field: null, message: 'A name, phone number, or email address must be present' });
  }
  if (fields.email && !EMAIL.test(fields.email)) errors.push({ field: ['email'], message: 'Email is invalid' });
  else if (fields.email) {
    const taken = ctx.records.findLatest(CUSTOMERS, (r) => !r.archived && r.id !== selfId && fieldsOf(r).email === fields.email);
    if (taken) errors.push({ field: ['email'], message: 'Email has already been taken' });
  }
  return errors;
}
