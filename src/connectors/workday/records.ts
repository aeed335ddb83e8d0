import type { Rec } from '../contract';
import { fromDottedFields, toDottedFields, writableValues } from '../kit';
import type { WorkdayResource } from './objects';

/** A resource as Workday answers it: { id, descriptor, href, worker: { id, descriptor, href }, … }. */
export type Resource = Record<string, unknown> & { id?: string };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A resource as the platform sees it: references as dotted fields (worker.id), without the API's links (href). */
export function toRecord(resource: Resource): Rec {
  return toDottedFields(withoutLinks(resource) as Record<string, unknown>);
}

function withoutLinks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLinks);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => name !== 'href').map(([name, v]) => [name, withoutLinks(v)]));
}

/**
 * What a POST or PATCH sends: the writable fields, dotted names nested again. A blank clears: null
 * for a value, and for a reference (`currency.id`) the whole reference (`currency: null`).
 */
export function toPayload(target: WorkdayResource, record: Rec): Record<string, unknown> {
  const values = Object.entries(writableValues(target.spec, record)).map(([name, value]): [string, unknown] => {
    const blank = value === '' || value === null;
    if (blank && name.endsWith('.id')) return [name.slice(0, -'.id'.length), null];
    return [name, blank ? null : value];
  });
  return fromDottedFields(Object.fromEntries(values));
}
