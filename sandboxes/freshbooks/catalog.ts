import { type CatalogDifferences, type CatalogObject, nestedField, readOnlyField, unmapped } from '../kit';
import { RESOURCES } from './resources';

/** Money values ({ amount, code }) and invoice lines: objects a connector's dotted fields reach into. */
const NESTED = new Set(['amount', 'outstanding', 'paid', 'unit_cost', 'lines']);
/** What FreshBooks sets on every resource, besides the resource's own id field. */
const SET_BY_FRESHBOOKS = ['id', 'vis_state', 'updated', 'accounting_systemid'];
const OWN: Record<string, string[]> = {
  clients: ['signup_date', 'role', 'level', 'num_logins'],
  invoices: ['created_at', 'due_date', 'status', 'v3_status', 'display_status', 'payment_status', 'accountid', 'amount', 'outstanding', 'paid', 'fname', 'lname', 'organization'],
  items: [],
};

/** The resources as FreshBooks shows them: what a request may set (resources.ts), and what FreshBooks sets. */
export const freshbooksCatalog: CatalogObject[] = RESOURCES.map((r) => ({
  name: r.collection,
  fields: [
    ...[...r.writable].map((name) => (NESTED.has(name) ? nestedField(name) : { name })),
    ...[...SET_BY_FRESHBOOKS, r.idField, ...(OWN[r.collection] ?? [])].filter((n) => !r.writable.has(n))
      .map((name) => (NESTED.has(name) ? nestedField(name, true) : readOnlyField(name))),
  ],
}));

export const freshbooksCatalogDifferences: CatalogDifferences = {
  sandboxOnlyFields: {
    clients: { ...unmapped('pref_email', 'pref_gmail', 'role', 'level', 'num_logins'), accounting_systemid: 'the account, named by the connection' },
    invoices: { ...unmapped('v3_status', 'display_status', 'payment_status', 'fname', 'lname', 'organization'),
      accounting_systemid: 'the account, named by the connection', accountid: 'the account, named by the connection' },
    items: { ...unmapped('tax1', 'tax2'), accounting_systemid: 'the account, named by the connection' },
  },
};
