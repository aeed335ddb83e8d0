import type { ConnectorDefinition, FieldSpec, ObjectSpec, Rec } from '../../src/connectors/contract';
import { PAY_COMPONENTS, workdayId } from '../../sandboxes/workday';

/**
 * The first load `npm run dev -- --sandboxes` offers per system: a couple of records in the
 * system's own field names, and what the sandbox needs seeded first (a channel to post into). A
 * system without an entry here gets one guessed from its connector's ObjectSpec, marked as a guess.
 */
export interface DemoLoad {
  object: string;
  operation: 'create' | 'upsert';
  naturalKey: string;
  records: Rec[];
  /** POST /__sandbox/seed before the load (channels, teams). */
  seed?: { objects: Record<string, Rec[]> };
  /** True when guessed from the ObjectSpec rather than written for the system. */
  guessed?: boolean;
}

const TEAMS_TEAM = '5f0c7f2e-6d1a-4d0e-9b7a-3c9f2a1d4e5b';
const TEAMS_CHANNEL = '19:demo0001@thread.tacv2';
const SLACK_CHANNEL = 'C0DEMO0001';
const WORKDAY_WORKER = workdayId('worker/demo-1');

const written: Record<string, DemoLoad> = {
  freshbooks: {
    object: 'clients', operation: 'upsert', naturalKey: 'email',
    records: [
      { email: 'ada@example.com', fname: 'Ada', lname: 'Lovelace', organization: 'Analytical Engines' },
      { email: 'grace@example.com', fname: 'Grace', lname: 'Hopper', organization: 'Compilers Inc' },
    ],
  },
  'google-sheets': {
    object: 'Contacts', operation: 'upsert', naturalKey: 'email',
    records: [
      { email: 'ada@example.com', name: 'Ada Lovelace', company: 'Analytical Engines' },
      { email: 'grace@example.com', name: 'Grace Hopper', company: 'Compilers Inc' },
    ],
  },
  hubspot: {
    object: 'contacts', operation: 'upsert', naturalKey: 'email',
    records: [
      { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' },
      { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper' },
    ],
  },
  jira: {
    object: 'issues', operation: 'upsert', naturalKey: 'customfield_10050',
    records: [1, 2].map((n) => ({
      customfield_10050: `demo-${n}`, 'project.key': 'FORGE', 'issuetype.name': 'Task', summary: `Demo issue ${n} from Forgeworks`,
      description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Loaded by npm run dev -- --sandboxes' }] }] },
    })),
  },
  marketo: {
    object: 'leads', operation: 'upsert', naturalKey: 'email',
    records: [
      { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines' },
      { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', company: 'Compilers Inc' },
    ],
  },
  quickbooks: {
    object: 'Customer', operation: 'upsert', naturalKey: 'DisplayName',
    records: [
      { DisplayName: 'Ada Lovelace', GivenName: 'Ada', FamilyName: 'Lovelace', 'PrimaryEmailAddr.Address': 'ada@example.com' },
      { DisplayName: 'Grace Hopper', GivenName: 'Grace', FamilyName: 'Hopper', 'PrimaryEmailAddr.Address': 'grace@example.com' },
    ],
  },
  salesforce: {
    object: 'Contact', operation: 'upsert', naturalKey: 'External_Id__c',
    records: [
      { External_Id__c: 'demo-1', FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com' },
      { External_Id__c: 'demo-2', FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@example.com' },
    ],
  },
  stripe: {
    object: 'customers', operation: 'upsert', naturalKey: 'metadata.external_id',
    records: [
      { 'metadata.external_id': 'demo-1', email: 'ada@example.com', name: 'Ada Lovelace' },
      { 'metadata.external_id': 'demo-2', email: 'grace@example.com', name: 'Grace Hopper' },
    ],
  },
  'sage-300': {
    // CustomerName is required to create an AR customer (the guess left it out); keyed by CustomerNumber.
    object: 'ARCustomers', operation: 'upsert', naturalKey: 'CustomerNumber',
    records: [
      { CustomerNumber: 'DEMO01', CustomerName: 'Analytical Engines', ShortName: 'ANALYTIC', GroupCode: 'RTL' },
      { CustomerNumber: 'DEMO02', CustomerName: 'Compilers Inc', ShortName: 'COMPILER', GroupCode: 'RTL' },
    ],
  },
  'sage-intacct': {
    // NAME is required to create a customer; keyed by the caller's CUSTOMERID.
    object: 'CUSTOMER', operation: 'upsert', naturalKey: 'CUSTOMERID',
    records: [
      { CUSTOMERID: 'DEMO-C-1', NAME: 'Analytical Engines', STATUS: 'active', TERMNAME: 'Net 30' },
      { CUSTOMERID: 'DEMO-C-2', NAME: 'Compilers Inc', STATUS: 'active', TERMNAME: 'Net 30' },
    ],
  },
  'sage-x3': {
    // BPCNAM (the customer's name) is required on creation (the guess left it out); keyed by BPCNUM.
    object: 'BPCUSTOMER', operation: 'upsert', naturalKey: 'BPCNUM',
    records: [
      { BPCNUM: 'DEMO01', BPCNAM: 'Analytical Engines', BPCSHO: 'ANALYTIC', BCGCOD: 'DOM', CUR: 'EUR', CRY: 'FR' },
      { BPCNUM: 'DEMO02', BPCNAM: 'Compilers Inc', BPCSHO: 'COMPILER', BCGCOD: 'DOM', CUR: 'EUR', CRY: 'FR' },
    ],
  },
  servicenow: {
    // short_description is mandatory on incidents (a Data Policy); the guess left it out.
    object: 'incident', operation: 'upsert', naturalKey: 'correlation_id',
    records: [
      { correlation_id: 'demo-1', short_description: 'Printer on fire', impact: '2', urgency: '2', category: 'hardware' },
      { correlation_id: 'demo-2', short_description: 'VPN drops every hour', impact: '3', urgency: '3', category: 'network' },
    ],
  },
  shopify: {
    object: 'products', operation: 'upsert', naturalKey: 'handle',
    records: [1, 2].map((n) => ({
      handle: `demo-hat-${n}`, title: `Demo hat ${n}`, vendor: 'Forgeworks', status: 'ACTIVE',
      variants: [{ optionValues: [{ name: 'One size', optionName: 'Size' }], price: '19.00', sku: `DEMO-HAT-${n}` }],
    })),
  },
  slack: {
    object: `messages:${SLACK_CHANNEL}`, operation: 'create', naturalKey: 'forge_origin',
    records: [{ forge_origin: 'demo-1', text: 'Hello from Forgeworks' }],
    seed: { objects: { channels: [{ id: SLACK_CHANNEL, name: 'demo' }] } },
  },
  snowflake: {
    // A table the connection names (config.tables), in Snowflake's upper-case column names; MERGE on EMAIL.
    object: 'CONTACTS', operation: 'upsert', naturalKey: 'EMAIL',
    records: [
      { EMAIL: 'ada@example.com', FIRST_NAME: 'Ada', LAST_NAME: 'Lovelace', AGE: 36 },
      { EMAIL: 'grace@example.com', FIRST_NAME: 'Grace', LAST_NAME: 'Hopper', AGE: 85 },
    ],
  },
  zendesk: {
    object: 'users', operation: 'upsert', naturalKey: 'email',
    records: [
      { email: 'ada@example.com', name: 'Ada Lovelace', role: 'end-user' },
      { email: 'grace@example.com', name: 'Grace Hopper', role: 'end-user' },
    ],
  },
  workday: {
    // A payroll input names a worker of the tenant and one of its pay components (Bonus, Commission).
    object: 'payrollInputs', operation: 'upsert', naturalKey: 'payrollInputID',
    records: [1, 2].map((n) => ({
      payrollInputID: `DEMO-PI-${n}`, 'worker.id': WORKDAY_WORKER, 'payComponent.id': PAY_COMPONENTS[n - 1].id, startDate: '2026-12-01', comment: `Demo input ${n}`,
    })),
    seed: { objects: { workers: [{ id: WORKDAY_WORKER, workerId: '21001', descriptor: 'Logan McNeil', businessTitle: 'Payroll Analyst' }] } },
  },
  teams: {
    object: `messages:${TEAMS_TEAM}/${TEAMS_CHANNEL}`, operation: 'create', naturalKey: 'forge_origin',
    records: [{ forge_origin: 'demo-1', content: 'Hello from Forgeworks' }],
    seed: { objects: { teams: [{ id: TEAMS_TEAM }], channels: [{ id: TEAMS_CHANNEL, teamId: TEAMS_TEAM }] } },
  },
};

function sampleValue(field: FieldSpec, n: number): unknown {
  switch (field.type) {
    case 'number': return n;
    case 'boolean': return true;
    case 'datetime': return '2030-01-01T00:00:00Z';
    case 'json': return {};
    default: return /mail/i.test(field.name) ? `demo-${n}@example.com` : `demo-${n}`;
  }
}

/** A load guessed from the first writable object of the connector: its key and required fields. */
function guessed(def: ConnectorDefinition): DemoLoad | undefined {
  const object = def.objects.find((o: ObjectSpec) => !o.dynamicFields && o.operations.some((op) => op === 'upsert' || op === 'create'));
  if (!object) return undefined;
  const naturalKey = object.naturalKeys[1] ?? object.naturalKeys[0];
  const operation = object.operations.includes('upsert') && object.naturalKeys.length > 1 ? 'upsert' : 'create';
  const fields = object.fields.filter((f) => !f.readOnly && (f.required || f.name === naturalKey));
  if (!fields.some((f) => f.name === naturalKey)) fields.unshift({ name: naturalKey, type: 'string' });
  const records = [1, 2].map((n) => Object.fromEntries(fields.map((f) => [f.name, sampleValue(f, n)])));
  return { object: object.name, operation, naturalKey, records, guessed: true };
}

export function demoLoadFor(def: ConnectorDefinition): DemoLoad | undefined {
  return Object.hasOwn(written, def.id) ? written[def.id] : guessed(def);
}
