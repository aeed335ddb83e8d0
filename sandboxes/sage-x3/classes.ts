import { createHash } from 'node:crypto';
import type { StoredRecord } from '../kit';

/**
 * BPCUSTOMER and ITMMASTER as api1 shows them with the representation of the same name: the
 * class's properties, CREDATTIM/UPDDATTIM (date-times to the second), and `$uuid`, `$key`, `$etag`
 * metadata (the etag is the update stamp, as the read-details page shows).
 */
export interface X3Class {
  name: 'BPCUSTOMER' | 'ITMMASTER';
  key: string;
  maxKeyLength: number;
  required: string[];
  properties: string[];
  /** Properties whose values have a fixed length (currency and country codes). */
  codes?: Record<string, number>;
}

export const STAMPS = ['CREDATTIM', 'UPDDATTIM'];

export const x3Classes: X3Class[] = [
  { name: 'BPCUSTOMER', key: 'BPCNUM', maxKeyLength: 15, required: ['BPCNUM', 'BPCNAM'], properties: ['BPCNUM', 'BPCNAM', 'BPCSHO', 'BCGCOD', 'CUR', 'CRY', 'BPCSTA'], codes: { CUR: 3, CRY: 2 } },
  { name: 'ITMMASTER', key: 'ITMREF', maxKeyLength: 20, required: ['ITMREF', 'ITMDES1'], properties: ['ITMREF', 'ITMDES1', 'TCLCOD', 'STU', 'EANCOD', 'ITMSTA'] },
];

export function findClass(name: string): X3Class | undefined {
  return x3Classes.find((c) => c.name === name);
}

/** 2026-11-30T18:04:05Z: X3 stamps to the second. */
export function seconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

export function resourceOf(cls: X3Class, record: Readonly<StoredRecord>): Record<string, unknown> {
  const updated = seconds(record.updatedAt);
  return {
    $uuid: createHash('md5').update(`${cls.name}/${record.id}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    $key: record.id,
    $etag: updated,
    ...Object.fromEntries(cls.properties.map((p) => [p, record.fields[p] ?? ''])),
    CREDATTIM: seconds(record.createdAt),
    UPDDATTIM: updated,
  };
}

/** The properties a create or update gets wrong, each with X3's message (empty when none). */
export function propertyErrors(cls: X3Class, values: Record<string, unknown>, creating: boolean): Array<{ property: string; message: string }> {
  const found: Array<{ property: string; message: string }> = [];
  for (const [name, value] of Object.entries(values)) {
    if (name.startsWith('$')) continue;
    if (STAMPS.includes(name)) found.push({ property: name, message: 'Read-only field' });
    else if (!cls.properties.includes(name)) found.push({ property: name, message: `Unknown property ${name}` });
    else if (typeof value !== 'string') found.push({ property: name, message: 'Invalid value: a string is expected' });
    else if (cls.codes?.[name] && value !== '' && !new RegExp(`^[A-Z]{${cls.codes[name]}}$`).test(value)) found.push({ property: name, message: `Record does not exist: ${value}` });
  }
  for (const name of cls.required) {
    const blank = values[name] === undefined || values[name] === '';
    if (creating ? blank : name in values && blank) found.push({ property: name, message: 'Mandatory field' });
  }
  const key = values[cls.key];
  if (typeof key === 'string' && key.length > cls.maxKeyLength) found.push({ property: cls.key, message: `Maximum length ${cls.maxKeyLength} exceeded` });
  return found;
}

/** A Syracuse error body: `$diagnoses` on the resource and on each property that failed. */
export function diagnosesBody(errors: Array<{ property?: string; message: string }>): Record<string, unknown> {
  return {
    $diagnoses: errors.map((e) => ({ $severity: 'error', $message: e.property ? `${e.property}: ${e.message}` : e.message })),
    ...Object.fromEntries(errors.filter((e) => e.property).map((e) => [e.property!, { $diagnoses: [{ $severity: 'error', $message: e.message }] }])),
  };
}
