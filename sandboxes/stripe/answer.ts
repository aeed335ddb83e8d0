import type { HandlerContext, StoredRecord } from '../kit';
import { invoiceItems, invoices } from './invoices';
import { present, prices, resources as basicResources, type Fields, type ResourceSpec } from './resources';
import { inVersion, type ApiVersion } from './versions';

/** Every resource the sandbox serves. */
export const resources: ResourceSpec[] = [...basicResources, invoices, invoiceItems];

export function resourceOf(collection: string): ResourceSpec | undefined {
  return resources.find((r) => r.collection === collection);
}

/** A price as stored, for the older versions that embed whole prices. */
export function priceLookup(ctx: Pick<HandlerContext, 'records'>): (id: string) => Fields | null {
  return (id) => {
    const record = ctx.records.latest('prices', id);
    return record ? present(prices, record) : null;
  };
}

/** A record as the API answers it: with its derived fields (an invoice's lines), in the request's version. */
export function answer(spec: ResourceSpec, record: StoredRecord, ctx: HandlerContext, version: ApiVersion): Fields {
  const shown = present(spec, record);
  if (record.archived || !spec.derived) return inVersion(version, shown, priceLookup(ctx));
  return inVersion(version, { ...shown, ...spec.derived(shown, ctx) }, priceLookup(ctx));
}
