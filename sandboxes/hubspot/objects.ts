/**
 * The CRM objects this sandbox holds and their properties (a small, documented subset of HubSpot's
 * default properties, plus one sandbox custom property `external_id` with unique values on each
 * object). Property rules are listed in README.md.
 */
export type PropertyType = 'string' | 'email' | 'number' | 'datetime' | 'enumeration' | 'bool';

export interface PropertySpec {
  name: string;
  type: PropertyType;
  /** hasUniqueValue: usable as `idProperty` (reads, updates, upserts). */
  unique?: boolean;
  /** Set by HubSpot: writing it is a READ_ONLY_VALUE error. */
  readOnly?: boolean;
  /** Allowed values of an enumeration. */
  options?: string[];
}

export interface ObjectSpec {
  /** The plural name used in paths: contacts, companies, deals. */
  name: string;
  /** Other spellings HubSpot accepts in paths: singular name and object type id. */
  aliases: string[];
  /** The upper-case name HubSpot uses in messages (CONTACT). */
  label: string;
  /** The "last modified" properties this object has (contacts have both). */
  lastModifiedProperties: string[];
  /** Properties returned when a request names none. */
  defaultProperties: string[];
  properties: PropertySpec[];
}

const systemProperties = (lastModified: string[]): PropertySpec[] => [
  { name: 'hs_object_id', type: 'number', readOnly: true },
  { name: 'createdate', type: 'datetime', readOnly: true },
  ...lastModified.map((name): PropertySpec => ({ name, type: 'datetime', readOnly: true })),
  { name: 'external_id', type: 'string', unique: true },
];

export const lifecycleStages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
export const dealStages = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];

export const hubspotObjects: ObjectSpec[] = [
  {
    name: 'contacts',
    aliases: ['contact', '0-1'],
    label: 'CONTACT',
    lastModifiedProperties: ['lastmodifieddate', 'hs_lastmodifieddate'],
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    properties: [
      ...systemProperties(['lastmodifieddate', 'hs_lastmodifieddate']),
      { name: 'email', type: 'email', unique: true },
      { name: 'firstname', type: 'string' },
      { name: 'lastname', type: 'string' },
      { name: 'phone', type: 'string' },
      { name: 'company', type: 'string' },
      { name: 'website', type: 'string' },
      { name: 'jobtitle', type: 'string' },
      { name: 'lifecyclestage', type: 'enumeration', options: lifecycleStages },
    ],
  },
  {
    name: 'companies',
    aliases: ['company', '0-2'],
    label: 'COMPANY',
    lastModifiedProperties: ['hs_lastmodifieddate'],
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    properties: [
      ...systemProperties(['hs_lastmodifieddate']),
      { name: 'name', type: 'string' },
      { name: 'domain', type: 'string', unique: true },
      { name: 'industry', type: 'string' },
      { name: 'phone', type: 'string' },
      { name: 'city', type: 'string' },
      { name: 'country', type: 'string' },
      { name: 'numberofemployees', type: 'number' },
      { name: 'annualrevenue', type: 'number' },
      { name: 'lifecyclestage', type: 'enumeration', options: lifecycleStages },
    ],
  },
  {
    name: 'deals',
    aliases: ['deal', '0-3'],
    label: 'DEAL',
    lastModifiedProperties: ['hs_lastmodifieddate'],
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    properties: [
      ...systemProperties(['hs_lastmodifieddate']),
      { name: 'dealname', type: 'string' },
      { name: 'amount', type: 'number' },
      { name: 'closedate', type: 'datetime' },
      { name: 'pipeline', type: 'enumeration', options: ['default'] },
      { name: 'dealstage', type: 'enumeration', options: dealStages },
      { name: 'hubspot_owner_id', type: 'string' },
      { name: 'hs_priority', type: 'enumeration', options: ['low', 'medium', 'high'] },
    ],
  },
];

/** Object specs with extra (custom) properties added, as the sandbox options ask. */
export function withExtraProperties(extra: Partial<Record<string, PropertySpec[]>> = {}): ObjectSpec[] {
  return hubspotObjects.map((spec) => ({ ...spec, properties: [...spec.properties, ...(extra[spec.name] ?? [])] }));
}

export class ObjectCatalog {
  constructor(readonly specs: ObjectSpec[]) {}

  /** The spec for a path's objectType (plural, singular or type id), or undefined. */
  resolve(objectType: string): ObjectSpec | undefined {
    const wanted = objectType.toLowerCase();
    return this.specs.find((s) => s.name === wanted || s.aliases.includes(wanted));
  }

  property(spec: ObjectSpec, name: string): PropertySpec | undefined {
    return spec.properties.find((p) => p.name === name);
  }
}
