import { ConnectorError } from '../../platform/errors';
import type { Rec } from '../contract';
import { inStoredKeyOrder } from '../kit';
import { SYSTEM } from './auth';
import { VARIANTS_PER_PRODUCT } from './objects';

/** A product as ProductRecord (documents.ts) selects it. */
export interface ProductNode {
  id: string; handle: string; title: string; descriptionHtml: string; vendor: string; productType: string; status: string;
  tags: string[]; createdAt: string; updatedAt: string;
  variantsCount: { count: number } | null;
  variants: { nodes: VariantNode[] };
}
export interface VariantNode { id: string; sku: string | null; price: string; selectedOptions: Array<{ name: string; value: string }> }

export interface CustomerNode {
  id: string; firstName: string | null; lastName: string | null; note: string | null; tags: string[];
  createdAt: string; updatedAt: string; defaultEmailAddress: { emailAddress: string } | null;
}

/** A variant in a record: its option values, price and SKU (the variant's id stays Shopify's business). */
export interface RecordVariant { optionValues: Array<{ name: string; optionName: string }>; price: string; sku: string | null }

export function toProductRecord(node: ProductNode): Rec {
  const count = node.variantsCount?.count ?? node.variants.nodes.length;
  if (count > VARIANTS_PER_PRODUCT) {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: 'variants', message: `has ${count} variants` }],
      message: `shopify product ${node.id} has ${count} variants; the connector reads at most ${VARIANTS_PER_PRODUCT} per product` });
  }
  return {
    id: node.id, handle: node.handle, title: node.title, descriptionHtml: node.descriptionHtml, vendor: node.vendor,
    productType: node.productType, status: node.status, tags: node.tags,
    variants: inStoredKeyOrder(node.variants.nodes.map(toRecordVariant)),
    createdAt: node.createdAt, updatedAt: node.updatedAt,
  };
}

function toRecordVariant(v: VariantNode): RecordVariant {
  return { optionValues: v.selectedOptions.map((s) => ({ name: s.value, optionName: s.name })), price: v.price, sku: v.sku };
}

export function toCustomerRecord(node: CustomerNode): Rec {
  return {
    id: node.id, email: node.defaultEmailAddress?.emailAddress ?? null, firstName: node.firstName, lastName: node.lastName,
    note: node.note, tags: node.tags, createdAt: node.createdAt, updatedAt: node.updatedAt,
  };
}

const PRODUCT_INPUT_FIELDS = ['handle', 'title', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags'] as const;

/**
 * productSet's input from a record's writable values: the fields it carries, and for `variants` the
 * variants with the options they imply. A variant whose option values match one of `current`'s
 * keeps that variant's id, so productSet updates it rather than replacing it.
 */
export function toProductSetInput(values: Rec, current: ProductNode | null): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of PRODUCT_INPUT_FIELDS) if (name in values) input[name] = values[name] ?? (name === 'tags' ? [] : '');
  if (Array.isArray(values.variants)) {
    const variants = values.variants as Array<Partial<RecordVariant>>;
    const existing = new Map((current?.variants.nodes ?? []).map((v) => [optionKey(v.selectedOptions.map((s) => ({ optionName: s.name, name: s.value }))), v.id]));
    input.productOptions = optionsOf(variants);
    input.variants = variants.map((v, position) => {
      const optionValues = (v.optionValues ?? []).map((o) => ({ optionName: o.optionName, name: o.name }));
      const id = existing.get(optionKey(optionValues));
      return { ...(id ? { id } : {}), optionValues, price: v.price ?? null, sku: v.sku ?? null, position: position + 1 };
    });
  }
  return input;
}

function optionKey(values: Array<{ optionName?: string; name?: string }>): string {
  return JSON.stringify(values.map((v) => [v.optionName, v.name]));
}

function optionsOf(variants: Array<Partial<RecordVariant>>): Array<{ name: string; values: Array<{ name: string }> }> {
  const options = new Map<string, string[]>();
  for (const v of variants) {
    for (const o of v.optionValues ?? []) {
      const values = options.get(o.optionName) ?? [];
      if (!values.includes(o.name)) values.push(o.name);
      options.set(o.optionName, values);
    }
  }
  return [...options].map(([name, values]) => ({ name, values: values.map((value) => ({ name: value })) }));
}

const CUSTOMER_INPUT_FIELDS = ['email', 'firstName', 'lastName', 'note', 'tags'] as const;

export function toCustomerInput(values: Rec): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const name of CUSTOMER_INPUT_FIELDS) if (name in values) input[name] = values[name] ?? (name === 'tags' ? [] : null);
  return input;
}
