import type { HandlerContext, StoredRecord } from '../kit';
import { commonSortKeys, connection, type ConnectionArgs } from './connection';
import { matchesSearch, type Filters } from './search';

/**
 * Deletion events (shopify.dev/docs/api/admin-graphql/2026-07/objects/DeletionEvent): "once
 * deleted, the deletion event is the only trace of the original's existence". The Admin API keeps
 * them for products and collections only; the sandbox records one per deleted product.
 * `deletionEvents` is deprecated in 2026-07 ("Use `events` instead") but still served.
 */
export const DELETION_EVENTS = 'deletionEvents';

const filters: Filters = {
  id: { kind: 'id', value: (r) => r.id },
  occurred_at: { kind: 'time', value: (r) => String(r.fields.occurredAt) },
};

export function recordDeletion(ctx: HandlerContext, subjectId: string, subjectType: 'PRODUCT' | 'COLLECTION'): void {
  ctx.records.insert(DELETION_EVENTS, { fields: { subjectId, subjectType, occurredAt: ctx.clock.nowIso() } });
}

export function deletionEventQueries(ctx: HandlerContext) {
  return {
    deletionEvents: (args: ConnectionArgs & { query?: string | null; subjectTypes?: string[] | null }) => connection(
      ctx.records.list(DELETION_EVENTS).filter((r) => (!args.subjectTypes || args.subjectTypes.includes(String(r.fields.subjectType)))
        && matchesSearch(args.query, r, filters)),
      args,
      { ...commonSortKeys, CREATED_AT: (r) => Date.parse(String(r.fields.occurredAt)) },
      (r: StoredRecord) => ({ __typename: 'DeletionEvent', ...r.fields }),
    ),
  };
}
