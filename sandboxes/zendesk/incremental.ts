import { json, retryAfterHeader, type HandlerContext, type Reply, type Route, type SlidingWindowLimiter, type StoredRecord } from '../kit';
import { badRequest, rateLimited } from './errors';
import { presentTicket, presentUser, TICKETS, USERS } from './records';

/**
 * Cursor-based incremental exports (developer.zendesk.com, Incremental Exports; "Using the
 * Incremental Export API"):
 *   GET /api/v2/incremental/tickets/cursor.json?start_time=<unix s> | cursor=<after_cursor>
 *   GET /api/v2/incremental/users/cursor.json  (same)
 * Items come in (updated_at, id) order, `per_page` at most 1,000; items changed within the minute
 * before the request are left out ("to ensure the accuracy of the data"), so a change is exported
 * once it is a minute old. Every page answers `after_cursor` / `after_url` (where to continue, also
 * on the last page) and `end_of_stream`. Deleted tickets appear with status "deleted" (unless
 * `exclude_deleted=true`); deleted users with `active: false`. These endpoints have their own limit
 * of 10 requests a minute (429 + Retry-After) when the sandbox enforces it.
 */
const MAX_PER_PAGE = 1000;
const SETTLE_SECONDS = 60;

interface Position {
  at: number;
  id: number;
}

export function incrementalRoutes(limiter: SlidingWindowLimiter | undefined): Route[] {
  return ([TICKETS, USERS] as const).map((resource): Route => ({
    method: 'GET',
    path: `/api/v2/incremental/${resource}/cursor.json`,
    handle: (req, ctx) => {
      if (limiter) {
        const { allowed, info } = limiter.take();
        if (!allowed) {
          const reply = rateLimited();
          return { ...reply, headers: { 'retry-after': retryAfterHeader(Math.max(1, info.retryAfterSeconds)) } };
        }
      }
      const nowSeconds = Math.floor(ctx.clock.nowMs() / 1000);
      const cursor = req.query.get('cursor');
      const startTime = req.query.get('start_time');
      let from: Position;
      if (cursor !== null) {
        const decoded = decodeCursor(cursor);
        if (!decoded) return badRequest('InvalidPaginationParameter', 'cursor is invalid');
        from = decoded;
      } else if (startTime !== null && /^\d+$/.test(startTime)) {
        if (Number(startTime) > nowSeconds - SETTLE_SECONDS) return badRequest('InvalidValue', 'Too recent start_time. Use a start_time older than 1 minute');
        from = { at: Number(startTime), id: 0 };
      } else {
        return badRequest('InvalidValue', 'start_time or cursor is required');
      }
      const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(req.query.get('per_page') ?? MAX_PER_PAGE) || MAX_PER_PAGE));
      const excludeDeleted = req.query.get('exclude_deleted') === 'true';
      return exportPage(ctx, resource, from, nowSeconds - SETTLE_SECONDS, perPage, excludeDeleted);
    },
  }));
}

function exportPage(ctx: HandlerContext, resource: typeof TICKETS | typeof USERS, from: Position, until: number, perPage: number, excludeDeleted: boolean): Reply {
  const eligible: Array<{ position: Position; record: StoredRecord }> = [];
  ctx.records.eachVisible(resource, (record) => {
    if (excludeDeleted && record.archived) return;
    const position = { at: Math.floor(Date.parse(record.updatedAt) / 1000), id: Number(record.id) };
    if (position.at <= until && compare(position, from) > 0) eligible.push({ position, record: record as StoredRecord });
  });
  eligible.sort((a, b) => compare(a.position, b.position));
  const page = eligible.slice(0, perPage);
  const after = page.length > 0 ? page[page.length - 1].position : from;
  const base = `${ctx.baseUrl}/api/v2/incremental/${resource}/cursor.json`;
  const afterCursor = encodeCursor(after);
  const beforeCursor = page.length > 0 ? encodeCursor({ at: page[0].position.at, id: page[0].position.id - 1 }) : null;
  const items = page.map(({ record }) => (resource === TICKETS ? presentTicket(record, ctx.baseUrl, record.archived) : presentUser(record, ctx.baseUrl)));
  return json(200, {
    [resource]: items,
    after_url: `${base}?cursor=${afterCursor}`,
    after_cursor: afterCursor,
    before_url: beforeCursor ? `${base}?cursor=${beforeCursor}` : null,
    before_cursor: beforeCursor,
    end_of_stream: eligible.length <= perPage,
  });
}

function compare(a: Position, b: Position): number {
  return a.at - b.at || a.id - b.id;
}

/** Zendesk's cursors read like base64("<unix seconds>.0||<id>|"); the sandbox writes the same form. */
function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at}.0||${position.id}|`).toString('base64');
}

function decodeCursor(cursor: string): Position | undefined {
  const match = /^(\d+)\.0\|\|(\d+)\|$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? { at: Number(match[1]), id: Number(match[2]) } : undefined;
}
