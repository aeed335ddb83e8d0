import type { HandlerContext, StoredRecord } from '../kit';
import { commonSortKeys, connection, type ConnectionArgs } from './connection';
import { matchesSearch, numericId, type Filters } from './search';
import { recordDeletion } from './deletion-events';

export const PRODUCTS = 'products';

/**
 * Products as the sandbox keeps them: Shopify's own field names; options and variants nested in
 * the product, as the Admin API nests them (productSet writes them together).
 * shopify.dev/docs/api/admin-graphql/2026-07/mutations/productSet, objects/Product, objects/ProductVariant.
 */
export interface StoredOption { id: string; name: string; position: number; values: string[] }
export interface StoredVariant {
  id: string;
  title: string;
  sku: string | null;
  price: string;
  barcode: string | null;
  position: number;
  selectedOptions: Array<{ name: string; value: string }>;
}
export interface ProductFields {
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT' | 'UNLISTED';
  tags: string[];
  options: StoredOption[];
  variants: StoredVariant[];
}

export interface UserError { field: string[] | null; message: string; code?: string }

/** Ids of nested things (options, variants): Shopify's own GIDs, from one counter per sandbox. */
export type SubIds = (type: 'ProductOption' | 'ProductVariant') => string;

const productFilters: Filters = {
  default: { kind: 'text', value: (r) => [fieldsOf(r).title, fieldsOf(r).handle] },
  title: { kind: 'text', value: (r) => fieldsOf(r).title },
  handle: { kind: 'handle', value: (r) => fieldsOf(r).handle },
  id: { kind: 'id', value: (r) => r.id },
  created_at: { kind: 'time', value: (r) => r.createdAt },
  updated_at: { kind: 'time', value: (r) => r.updatedAt },
  status: { kind: 'text', value: (r) => fieldsOf(r).status.toLowerCase() },
  vendor: { kind: 'text', value: (r) => fieldsOf(r).vendor },
  product_type: { kind: 'text', value: (r) => fieldsOf(r).productType },
  tag: { kind: 'tag', value: (r) => fieldsOf(r).tags },
  sku: { kind: 'text', value: (r) => fieldsOf(r).variants.flatMap((v) => (v.sku ? [v.sku] : [])) },
};

const productSortKeys = { ...commonSortKeys, TITLE: (r: StoredRecord) => fieldsOf(r).title.toLowerCase() };

export function fieldsOf(record: StoredRecord): ProductFields {
  return record.fields as unknown as ProductFields;
}

/** A product as the GraphQL executor sees it: fields by name, connections as functions of their arguments. */
export function productNode(record: StoredRecord) {
  const f = fieldsOf(record);
  return {
    __typename: 'Product',
    id: record.id,
    legacyResourceId: String(numericId(record.id)),
    title: f.title,
    handle: f.handle,
    descriptionHtml: f.descriptionHtml,
    vendor: f.vendor,
    productType: f.productType,
    status: f.status,
    tags: f.tags,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    hasOnlyDefaultVariant: f.variants.length === 1 && f.options.length === 1 && f.options[0].name === 'Title',
    totalInventory: 0,
    tracksInventory: false,
    isGiftCard: false,
    variantsCount: { count: f.variants.length, precision: 'EXACT' },
    options: (args: { first?: number | null }) => f.options.slice(0, args.first ?? undefined).map((o) => ({
      __typename: 'ProductOption', ...o, optionValues: o.values.map((name) => ({ __typename: 'ProductOptionValue', id: `${o.id}-${name}`, name, hasVariants: true })),
    })),
    variants: (args: ConnectionArgs) => connection(
      f.variants.map((v) => ({ id: v.id, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false, fields: { ...v } })),
      args, { ...commonSortKeys, POSITION: (r) => Number(r.fields.position) }, (r) => variantNode(r.fields as unknown as StoredVariant, record)),
  };
}

function variantNode(v: StoredVariant, product: StoredRecord) {
  return {
    __typename: 'ProductVariant',
    ...v,
    displayName: `${fieldsOf(product).title} - ${v.title}`,
    legacyResourceId: String(numericId(v.id)),
    availableForSale: fieldsOf(product).status === 'ACTIVE',
    taxable: true,
    inventoryPolicy: 'DENY',
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    selectedOptions: v.selectedOptions.map((s) => ({ ...s, optionValue: { __typename: 'ProductOptionValue', id: `${v.id}-${s.name}`, name: s.value, hasVariants: true } })),
    product: () => productNode(product),
  };
}

export function productQueries(ctx: HandlerContext) {
  const live = () => ctx.records.list(PRODUCTS).filter((r) => !r.archived);
  const byId = (id: string) => { const r = ctx.records.read(PRODUCTS, id); return r && !r.archived ? productNode(r) : null; };
  return {
    product: ({ id }: { id: string }) => byId(id),
    productByIdentifier: ({ identifier }: { identifier: { id?: string; handle?: string } }) => {
      if (identifier.id) return byId(identifier.id);
      const wanted = identifier.handle?.toLowerCase();
      const found = live().find((r) => fieldsOf(r).handle.toLowerCase() === wanted);
      return found ? productNode(found) : null;
    },
    products: (args: ConnectionArgs & { query?: string | null }) =>
      connection(live().filter((r) => matchesSearch(args.query, r, productFilters)), args, productSortKeys, productNode),
    productNode: byId,
  };
}

// ---------------------------------------------------------------------------------------------
// productSet

interface OptionInput { id?: string; name?: string; position?: number; values?: Array<{ id?: string; name?: string }> }
interface VariantInput {
  id?: string; sku?: string | null; price?: string | number | null; barcode?: string | null; position?: number;
  optionValues: Array<{ optionName?: string; name?: string; optionId?: string; id?: string }>;
}
export interface ProductSetInput {
  id?: string; title?: string; handle?: string; descriptionHtml?: string; vendor?: string; productType?: string;
  status?: ProductFields['status']; tags?: string[]; productOptions?: OptionInput[]; variants?: VariantInput[];
}

export function productMutations(ctx: HandlerContext, subIds: SubIds) {
  const payload = (record: StoredRecord | undefined, userErrors: UserError[]) =>
    ({ product: record && userErrors.length === 0 ? productNode(record) : null, productSetOperation: null, userErrors });
  return {
    productSet(args: { identifier?: { id?: string; handle?: string } | null; input: ProductSetInput; synchronous?: boolean | null }) {
      const { identifier, input } = args;
      if (identifier?.id && input.id) return payload(undefined, [{ field: ['input', 'id'], message: 'The id field is not allowed if identifier is provided.', code: 'ID_NOT_ALLOWED' }]);
      const targetId = identifier?.id ?? input.id;
      let current: StoredRecord | undefined;
      if (targetId) {
        current = live(ctx, targetId);
        if (!current) return payload(undefined, [{ field: identifier?.id ? ['identifier', 'id'] : ['input', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }]);
      } else if (identifier?.handle) {
        if (!input.handle) return payload(undefined, [{ field: ['input', 'handle'], message: 'The input field corresponding to the identifier is required.', code: 'MISSING_FIELD_REQUIRED' }]);
        current = ctx.records.findLatest(PRODUCTS, (r) => !r.archived && fieldsOf(r).handle.toLowerCase() === identifier.handle!.toLowerCase());
      }
      const errors = validateProductSet(ctx, input, current);
      if (errors.length > 0) return payload(undefined, errors);
      const fields = applyProductSet(input, current ? fieldsOf(current) : undefined, subIds);
      if (!current) {
        fields.handle = uniqueHandle(ctx, input.handle ?? fields.title);
        return payload(ctx.records.insert(PRODUCTS, { fields: fields as unknown as Record<string, unknown> }), []);
      }
      return payload(ctx.records.update(PRODUCTS, current.id, fields as unknown as Record<string, unknown>), []);
    },

    productDelete(args: { input: { id: string } }) {
      const current = live(ctx, args.input.id);
      if (!current) return { deletedProductId: null, productDeleteOperation: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
      if (ctx.records.remove(PRODUCTS, current.id)) recordDeletion(ctx, current.id, 'PRODUCT');
      return { deletedProductId: current.id, productDeleteOperation: null, userErrors: [] };
    },
  };
}

function live(ctx: HandlerContext, id: string): StoredRecord | undefined {
  const r = ctx.records.latest(PRODUCTS, id);
  return r && !r.archived ? r : undefined;
}

function validateProductSet(ctx: HandlerContext, input: ProductSetInput, current: StoredRecord | undefined): UserError[] {
  const errors: UserError[] = [];
  if ((input.title !== undefined || !current) && (input.title ?? '').trim() === '') {
    errors.push({ field: ['input', 'title'], message: "Title can't be blank", code: 'INVALID_PRODUCT' });
  }
  if (input.handle !== undefined) {
    const taken = ctx.records.findLatest(PRODUCTS, (r) => !r.archived && r.id !== current?.id && fieldsOf(r).handle.toLowerCase() === input.handle!.toLowerCase());
    if (taken) errors.push({ field: ['input', 'handle'], message: `Handle '${input.handle}' already in use. Please provide a new handle.`, code: 'HANDLE_NOT_UNIQUE' });
  }
  if (input.variants && !input.productOptions) {
    errors.push({ field: ['input', 'productOptions'], message: 'Must specify product options when updating variants.', code: 'PRODUCT_OPTIONS_INPUT_MISSING' });
  }
  if (input.productOptions && !input.variants) {
    errors.push({ field: ['input', 'variants'], message: 'Must specify variants when updating options.', code: 'VARIANTS_INPUT_MISSING' });
  }
  const options = new Map((input.productOptions ?? []).map((o) => [o.name ?? '', new Set((o.values ?? []).map((v) => v.name ?? ''))]));
  const own = new Set(current ? fieldsOf(current).variants.map((v) => v.id) : []);
  (input.variants ?? []).forEach((variant, i) => {
    const at = (field: string) => ['input', 'variants', String(i), field];
    if (variant.id && !own.has(variant.id)) errors.push({ field: at('id'), message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' });
    const price = variant.price === undefined || variant.price === null ? 0 : Number(variant.price);
    if (Number.isNaN(price) || price < 0) errors.push({ field: at('price'), message: 'Price must be greater than or equal to 0', code: 'INVALID_VARIANT' });
    for (const value of variant.optionValues) {
      if (!options.get(value.optionName ?? '')?.has(value.name ?? '')) {
        errors.push({ field: at('optionValues'), message: `Option value '${value.name}' does not exist for option '${value.optionName}'`, code: 'OPTION_VALUE_DOES_NOT_EXIST' });
      }
    }
  });
  return errors;
}

function applyProductSet(input: ProductSetInput, current: ProductFields | undefined, subIds: SubIds): ProductFields {
  const base: ProductFields = current ?? {
    title: '', handle: '', descriptionHtml: '', vendor: '', productType: '', status: 'ACTIVE', tags: [],
    options: [{ id: subIds('ProductOption'), name: 'Title', position: 1, values: ['Default Title'] }],
    variants: [{ id: subIds('ProductVariant'), title: 'Default Title', sku: null, price: '0.00', barcode: null, position: 1, selectedOptions: [{ name: 'Title', value: 'Default Title' }] }],
  };
  const next: ProductFields = { ...base };
  for (const name of ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status'] as const) {
    if (input[name] !== undefined && input[name] !== null) (next as unknown as Record<string, unknown>)[name] = input[name];
  }
  if (input.tags) next.tags = [...new Set(input.tags.map((t) => t.trim()).filter((t) => t !== ''))].sort();
  if (input.productOptions && input.variants) {
    next.options = input.productOptions.map((o, i) => ({
      id: base.options.find((b) => b.name === o.name)?.id ?? subIds('ProductOption'),
      name: o.name ?? '', position: o.position ?? i + 1, values: (o.values ?? []).map((v) => v.name ?? ''),
    }));
    next.variants = input.variants.map((v, i) => {
      const selectedOptions = v.optionValues.map((ov) => ({ name: ov.optionName ?? '', value: ov.name ?? '' }));
      return {
        id: v.id ?? subIds('ProductVariant'),
        title: selectedOptions.map((s) => s.value).join(' / '),
        sku: v.sku ?? null,
        price: Number(v.price ?? 0).toFixed(2),
        barcode: v.barcode ?? null,
        position: v.position ?? i + 1,
        selectedOptions,
      };
    });
  }
  return next;
}

/** Shopify makes a handle from the title when none is given, and makes it unique with -1, -2... */
function uniqueHandle(ctx: HandlerContext, wanted: string): string {
  const base = wanted.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'product';
  const taken = (h: string) => ctx.records.findLatest(PRODUCTS, (r) => !r.archived && fieldsOf(r).handle === h) !== undefined;
  let handle = base;
  for (let n = 1; taken(handle); n++) handle = `${base}-${n}`;
  return handle;
}

/**
 * A product given to POST /__sandbox/seed, in the connector's record shape: Shopify's product
 * fields, `variants` as [{ sku, price, optionValues: [{ optionName, name }] }] (options derived).
 */
export function seedProduct(input: Record<string, unknown>, subIds: SubIds): Record<string, unknown> {
  const variants = Array.isArray(input.variants) ? input.variants as VariantInput[] : undefined;
  const fields = applyProductSet({ ...input as ProductSetInput, variants, productOptions: variants ? optionsOf(variants) : undefined }, undefined, subIds);
  if (!fields.title) throw new Error('a product needs a title');
  if (!fields.handle) fields.handle = fields.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return fields as unknown as Record<string, unknown>;
}

function optionsOf(variants: VariantInput[]): OptionInput[] {
  const options = new Map<string, string[]>();
  for (const v of variants) {
    for (const ov of v.optionValues ?? []) {
      const values = options.get(ov.optionName ?? '') ?? [];
      if (!values.includes(ov.name ?? '')) values.push(ov.name ?? '');
      options.set(ov.optionName ?? '', values);
    }
  }
  return [...options].map(([name, values]) => ({ name, values: values.map((v) => ({ name: v })) }));
}
