/**
 * The sObjects this sandbox holds and their fields: a documented subset of Account, Contact and
 * Opportunity, one custom field `External_Id__c` (External ID, unique) on each, and one custom
 * object `Invoice__c`. The rules a write is checked against are in README.md.
 */
export type FieldType = 'id' | 'string' | 'email' | 'phone' | 'url' | 'picklist' | 'double' | 'currency' | 'int' | 'boolean' | 'date' | 'datetime' | 'reference' | 'textarea';

export interface FieldSpec {
  name: string;
  type: FieldType;
  label: string;
  /** Set by Salesforce: never createable or updateable. */
  system?: boolean;
  /** Required on create (nillable false, no default). */
  required?: boolean;
  /** An External ID field: usable for upsert and lookups; unique in this sandbox. */
  externalId?: boolean;
  /** Values of a picklist (restricted). */
  values?: string[];
  /** For references: the objects they point to. */
  referenceTo?: string[];
}

export interface SObjectSpec {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldSpec[];
}

const systemFields: FieldSpec[] = [
  { name: 'Id', type: 'id', label: 'Record ID', system: true },
  { name: 'IsDeleted', type: 'boolean', label: 'Deleted', system: true },
  { name: 'CreatedDate', type: 'datetime', label: 'Created Date', system: true },
  { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', system: true },
  { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', system: true },
  { name: 'CreatedById', type: 'reference', label: 'Created By ID', system: true, referenceTo: ['User'] },
  { name: 'LastModifiedById', type: 'reference', label: 'Last Modified By ID', system: true, referenceTo: ['User'] },
];

/** The sandbox's one user, the integration user every record was created and last modified by. */
export const SANDBOX_USER_ID = '0055g00000SbxUsrAAA';

const externalId: FieldSpec = { name: 'External_Id__c', type: 'string', label: 'External Id', externalId: true };

export const opportunityStages = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];

export const sobjects: SObjectSpec[] = [
  {
    name: 'Account',
    label: 'Account',
    keyPrefix: '001',
    custom: false,
    fields: [
      ...systemFields,
      { name: 'Name', type: 'string', label: 'Account Name', required: true },
      { name: 'Phone', type: 'phone', label: 'Account Phone' },
      { name: 'Website', type: 'url', label: 'Website' },
      { name: 'Industry', type: 'picklist', label: 'Industry', values: ['Agriculture', 'Banking', 'Consulting', 'Education', 'Energy', 'Manufacturing', 'Retail', 'Technology', 'Other'] },
      { name: 'NumberOfEmployees', type: 'int', label: 'Employees' },
      { name: 'AnnualRevenue', type: 'currency', label: 'Annual Revenue' },
      { name: 'BillingCity', type: 'string', label: 'Billing City' },
      { name: 'BillingCountry', type: 'string', label: 'Billing Country' },
      externalId,
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    keyPrefix: '003',
    custom: false,
    fields: [
      ...systemFields,
      { name: 'FirstName', type: 'string', label: 'First Name' },
      { name: 'LastName', type: 'string', label: 'Last Name', required: true },
      { name: 'Email', type: 'email', label: 'Email' },
      { name: 'Phone', type: 'phone', label: 'Business Phone' },
      { name: 'Title', type: 'string', label: 'Title' },
      { name: 'AccountId', type: 'reference', label: 'Account ID', referenceTo: ['Account'] },
      externalId,
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    keyPrefix: '006',
    custom: false,
    fields: [
      ...systemFields,
      { name: 'Name', type: 'string', label: 'Name', required: true },
      { name: 'StageName', type: 'picklist', label: 'Stage', required: true, values: opportunityStages },
      { name: 'CloseDate', type: 'date', label: 'Close Date', required: true },
      { name: 'Amount', type: 'currency', label: 'Amount' },
      { name: 'Probability', type: 'double', label: 'Probability (%)' },
      { name: 'AccountId', type: 'reference', label: 'Account ID', referenceTo: ['Account'] },
      externalId,
    ],
  },
  {
    name: 'Invoice__c',
    label: 'Invoice',
    keyPrefix: 'a01',
    custom: true,
    fields: [
      ...systemFields,
      { name: 'Name', type: 'string', label: 'Invoice Name', required: true },
      { name: 'Amount__c', type: 'currency', label: 'Amount' },
      { name: 'Status__c', type: 'picklist', label: 'Status', values: ['Draft', 'Sent', 'Paid', 'Void'] },
      { name: 'Due_Date__c', type: 'date', label: 'Due Date' },
      { name: 'Invoice_Number__c', type: 'string', label: 'Invoice Number', externalId: true },
    ],
  },
];

export function findSObject(name: string | undefined): SObjectSpec | undefined {
  if (!name) return undefined;
  const wanted = name.toLowerCase();
  return sobjects.find((s) => s.name.toLowerCase() === wanted);
}

export function sobjectOfId(id: string): SObjectSpec | undefined {
  return sobjects.find((s) => id.startsWith(s.keyPrefix));
}

export function fieldOf(spec: SObjectSpec, name: string): FieldSpec | undefined {
  const wanted = name.toLowerCase();
  return spec.fields.find((f) => f.name.toLowerCase() === wanted);
}
