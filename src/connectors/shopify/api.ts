import type { HttpClient } from '../../platform/http';
import { GraphqlEndpoint } from '../kit';
import { GRAPHQL_PATH, SYSTEM } from './auth';
import { isThrottled, type CostExtension } from './cost-limit';
import {
  CUSTOMER_CHANGES, CUSTOMER_COST, customerCreateBatch, customerDeleteBatch, customersByEmail, customerUpdateBatch, MUTATION_COST,
  NODES, nodesCost, PRODUCT_CHANGES, PRODUCT_COST, PRODUCT_DELETIONS, productDeleteBatch, productsByHandle, productSetBatch, pageCost, SHOP_PROBE,
} from './documents';
import type { UserError } from './errors';
import { MUTATION_BATCH } from './objects';
import type { CustomerNode, ProductNode } from './records';

/**
 * The Admin GraphQL endpoint over the connection's HTTP client: each call carries its calculated
 * cost, drawn from the connection's budget (shopifyCostLimit), shared by every worker.
 */
export function shopifyGraphql(http: HttpClient): GraphqlEndpoint {
  return new GraphqlEndpoint({
    system: SYSTEM, http, path: GRAPHQL_PATH,
    throttleStatus: (extensions) => (extensions as CostExtension | undefined)?.cost?.throttleStatus,
    requestedCost: (extensions) => (extensions as CostExtension | undefined)?.cost?.requestedQueryCost,
    isThrottled,
    transientCodes: ['INTERNAL_SERVER_ERROR'],
  });
}

export type ShopifyNode = (ProductNode & { __typename: 'Product' }) | (CustomerNode & { __typename: 'Customer' });
/** What the batch documents select of each mutation's payload (documents.ts). */
interface MutationPayload {
  product?: { id: string } | null;
  customer?: { id: string } | null;
  deletedProductId?: string | null;
  deletedCustomerId?: string | null;
  userErrors?: UserError[];
}

export interface MutationAnswer { id: string | null; userErrors: UserError[] }
export interface Page<T> { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

/** The Admin GraphQL calls the connector makes (documents.ts), at most MUTATION_BATCH records per call. */
export class ShopifyApi {
  constructor(private readonly gql: GraphqlEndpoint) {}

  async probe(): Promise<void> {
    await this.gql.run(SHOP_PROBE, {}, 1);
  }

  /** Products and customers by GID; absent ids are left out. */
  async nodes(ids: string[]): Promise<Map<string, ShopifyNode>> {
    const found = new Map<string, ShopifyNode>();
    for (const chunk of chunks(ids)) {
      const data = await this.gql.run<{ nodes: Array<ShopifyNode | null> }>(NODES, { ids: chunk }, nodesCost(chunk.length));
      for (const node of data.nodes) if (node) found.set(node.id, node);
    }
    return found;
  }

  productsByHandle(handles: string[]): Promise<Array<ProductNode | null>> {
    return this.aliasedReads(handles, productsByHandle, 'handle', PRODUCT_COST);
  }

  customersByEmail(emails: string[]): Promise<Array<CustomerNode | null>> {
    return this.aliasedReads(emails, customersByEmail, 'email', CUSTOMER_COST);
  }

  productSet(items: Array<{ input: Record<string, unknown>; identifier: { id: string } | null }>): Promise<MutationAnswer[]> {
    return this.mutate(items, productSetBatch, (item, i) => ({ [`input${i}`]: item.input, [`identifier${i}`]: item.identifier }), (r) => r.product?.id);
  }

  productDelete(ids: string[]): Promise<MutationAnswer[]> {
    return this.mutate(ids, productDeleteBatch, (id, i) => ({ [`id${i}`]: id }), (r) => r.deletedProductId);
  }

  customerCreate(inputs: Array<Record<string, unknown>>): Promise<MutationAnswer[]> {
    return this.mutate(inputs, customerCreateBatch, (input, i) => ({ [`input${i}`]: input }), (r) => r.customer?.id);
  }

  customerUpdate(inputs: Array<Record<string, unknown>>): Promise<MutationAnswer[]> {
    return this.mutate(inputs, customerUpdateBatch, (input, i) => ({ [`input${i}`]: input }), (r) => r.customer?.id);
  }

  customerDelete(ids: string[]): Promise<MutationAnswer[]> {
    return this.mutate(ids, customerDeleteBatch, (id, i) => ({ [`id${i}`]: id }), (r) => r.deletedCustomerId);
  }

  async productChanges(first: number, after: string | null, query: string): Promise<Page<ProductNode>> {
    return (await this.gql.run<{ products: Page<ProductNode> }>(PRODUCT_CHANGES, { first, after, query }, pageCost(first, PRODUCT_COST))).products;
  }

  async customerChanges(first: number, after: string | null, query: string): Promise<Page<CustomerNode>> {
    return (await this.gql.run<{ customers: Page<CustomerNode> }>(CUSTOMER_CHANGES, { first, after, query }, pageCost(first, CUSTOMER_COST))).customers;
  }

  async productDeletions(first: number, after: string | null, query: string): Promise<Page<{ subjectId: string; occurredAt: string }>> {
    return (await this.gql.run<{ deletionEvents: Page<{ subjectId: string; occurredAt: string }> }>(PRODUCT_DELETIONS, { first, after, query }, pageCost(first, 1))).deletionEvents;
  }

  private async aliasedReads<T>(values: string[], document: (n: number) => string, variable: string, cost: number): Promise<Array<T | null>> {
    const out: Array<T | null> = [];
    for (const chunk of chunks(values)) {
      const data = await this.gql.run<Record<string, T | null>>(document(chunk.length),
        Object.fromEntries(chunk.map((v, i) => [`${variable}${i}`, v])), chunk.length * cost);
      chunk.forEach((_v, i) => out.push(data[`r${i}`] ?? null));
    }
    return out;
  }

  private async mutate<I>(items: I[], document: (n: number) => string,
    variables: (item: I, i: number) => Record<string, unknown>, idOf: (answer: MutationPayload) => string | null | undefined): Promise<MutationAnswer[]> {
    const out: MutationAnswer[] = [];
    for (const chunk of chunks(items)) {
      const data = await this.gql.run<Record<string, MutationPayload | null>>(document(chunk.length),
        Object.assign({}, ...chunk.map(variables)) as Record<string, unknown>, chunk.length * MUTATION_COST);
      chunk.forEach((_item, i) => {
        const answer = data[`r${i}`];
        out.push({ id: (answer && idOf(answer)) ?? null, userErrors: answer?.userErrors ?? [] });
      });
    }
    return out;
  }
}

function chunks<T>(items: T[], size = MUTATION_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
