import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import {
  byPosition, captureOptions, comparePositions, cutToBudget, epochMs, KEYSET_START, keysetPositionSchema, parseCursor, settledUntil,
  type CaptureOptions, type KeysetPosition, type KeysetRead, type Positioned, type ResolvedCaptureOptions,
} from '../kit';
import type { Page, ShopifyApi } from './api';
import { SYSTEM } from './auth';
import { CUSTOMERS, PRODUCTS } from './objects';
import { toCustomerRecord, toProductRecord, type CustomerNode, type ProductNode } from './records';

/**
 * Capture without webhooks:
 * - changes: `products`/`customers` with `query: "updated_at:>='<cursor>' AND updated_at:<='<settled>'"`,
 *   `sortKey: UPDATED_AT`, as a keyset on (updatedAt, numeric id) (kit/keyset-cursor.ts): a poll
 *   re-reads the cursor's second (Shopify stamps whole seconds) and drops what it already emitted.
 * - deletes: products only, from `deletionEvents(subjectTypes: [PRODUCT])` on `occurred_at` — the
 *   one trace Shopify keeps of a deleted product (deprecated in 2026-07 for `events`, still served).
 *   Shopify keeps no such trace of customers: deleted customers are not captured (the
 *   customers/delete webhook is the only source; reconciling every id would cost a full read per poll).
 * Settle margin: the search index behind `query:` trails writes by seconds; SEARCH_SETTLE_MS leaves
 * the last few seconds for the next poll.
 */
export const SEARCH_SETTLE_MS = 5_000;
const SECOND = 1000;
/** Nodes per capture page: each page costs at most a few hundred points (documents.ts pageCost). */
export const CAPTURE_PAGE = { [PRODUCTS]: 10, [CUSTOMERS]: 50, deletions: 100 } as const;

const cursorSchema = z.object({ changes: keysetPositionSchema, deletes: keysetPositionSchema });
type ShopifyCursor = z.infer<typeof cursorSchema>;

export function shopifySource(api: ShopifyApi, options: CaptureOptions = {}): SourceContract {
  const resolved = captureOptions(options, SEARCH_SETTLE_MS);
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const cursor = parseCursor(SYSTEM, cursorSchema, rawCursor, (): ShopifyCursor => ({ changes: KEYSET_START, deletes: KEYSET_START }));
      const until = settledUntil(resolved.now(), resolved.settleMs, SECOND);
      const changes = await readChanges(api, object, cursor.changes, until, resolved);
      const deletes = object === PRODUCTS && changes.changes.length < resolved.budget
        ? cutToBudget(await readDeletions(api, cursor.deletes, until, resolved), resolved.budget - changes.changes.length)
        : { changes: [], next: cursor.deletes, caughtUp: object !== PRODUCTS };
      return {
        changes: [...changes.changes, ...deletes.changes].sort(byPosition).map((c) => c.event),
        cursor: { changes: changes.next, deletes: deletes.next } satisfies ShopifyCursor,
        hasMore: !changes.caughtUp || !deletes.caughtUp,
      };
    },
  };
}

async function readChanges(api: ShopifyApi, object: string, from: KeysetPosition, until: number, options: ResolvedCaptureOptions): Promise<KeysetRead<ChangeEvent>> {
  const query = window('updated_at', from, until);
  const found = await readPages(options.budget, (after) => (object === PRODUCTS
    ? api.productChanges(CAPTURE_PAGE[PRODUCTS], after, query)
    : api.customerChanges(CAPTURE_PAGE[CUSTOMERS], after, query)), (node: ProductNode | CustomerNode) => {
    const at = epochMs(node.updatedAt);
    if (at === undefined) return undefined;
    const data = object === PRODUCTS ? toProductRecord(node as ProductNode) : toCustomerRecord(node as CustomerNode);
    return { position: { at, id: numericId(node.id) }, event: { object, recordId: node.id, op: 'upsert', occurredAt: node.updatedAt, version: node.updatedAt, data } };
  }, from);
  return settle(found, from, until, options.budget);
}

async function readDeletions(api: ShopifyApi, from: KeysetPosition, until: number, options: ResolvedCaptureOptions): Promise<KeysetRead<ChangeEvent>> {
  const query = window('occurred_at', from, until);
  const found = await readPages(options.budget, (after) => api.productDeletions(CAPTURE_PAGE.deletions, after, query), (e: { subjectId: string; occurredAt: string }) => {
    const at = epochMs(e.occurredAt);
    if (at === undefined) return undefined;
    // '<time>/deleted' sorts after every '<time>' version of the product: the delete is its last change.
    return { position: { at, id: numericId(e.subjectId) }, event: { object: PRODUCTS, recordId: e.subjectId, op: 'delete', occurredAt: e.occurredAt, version: `${e.occurredAt}/deleted`, data: null } };
  }, from);
  return settle(found, from, until, options.budget);
}

/** Pages until more than `budget` new changes are found or the window ends. */
async function readPages<N>(budget: number, page: (after: string | null) => Promise<Page<N>>,
  position: (node: N) => Positioned<ChangeEvent> | undefined, from: KeysetPosition): Promise<{ changes: Positioned<ChangeEvent>[]; complete: boolean }> {
  const changes: Positioned<ChangeEvent>[] = [];
  let after: string | null = null;
  for (;;) {
    const answer = await page(after);
    for (const node of answer.nodes) {
      const change = position(node);
      if (change && comparePositions(change.position, from) > 0) changes.push(change);
    }
    if (changes.length > budget) return { changes, complete: false };
    if (!answer.pageInfo.hasNextPage || !answer.pageInfo.endCursor) return { changes, complete: true };
    after = answer.pageInfo.endCursor;
  }
}

/**
 * The changes up to `until`, in keyset order, at most the budget. The cursor moves only to the last
 * change emitted, never to `until`: our clock and Shopify's may disagree, and a change stamped
 * behind our idea of "settled" must still be found by the next poll.
 */
function settle(found: { changes: Positioned<ChangeEvent>[]; complete: boolean }, from: KeysetPosition, until: number, budget: number): KeysetRead<ChangeEvent> {
  const sorted = found.changes.filter((c) => c.position.at <= until).sort(byPosition);
  const last = sorted[sorted.length - 1];
  return cutToBudget({ changes: sorted, next: last ? last.position : from, caughtUp: found.complete }, budget);
}

/** `<field>:>='<from, whole second>' AND <field>:<='<until>'` in Shopify's search syntax. */
function window(field: string, from: KeysetPosition, until: number): string {
  const start = new Date(Math.floor(from.at / SECOND) * SECOND).toISOString();
  return `${field}:>='${start}' AND ${field}:<='${new Date(until).toISOString()}'`;
}

/** The numeric part of a GID: ids order by it (kit compareKeysetIds compares digit strings by value). */
function numericId(gid: string): string {
  return /(\d+)$/.exec(gid)?.[1] ?? gid;
}
