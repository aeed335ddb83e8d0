import { randomUUID } from 'node:crypto';
import type { HandlerContext, Route, StoredRecord } from '../kit';
import { fail, ok } from './errors';
import { ACTIVITIES, CHANGE_DATA_VALUE, DELETE_LEAD, listParam, marketoTime, NEW_LEAD } from './records';

/**
 * The Activities API (experienceleague.adobe.com "Activities"; Get Paging Token, Get Lead Changes,
 * Get Deleted Leads): a paging token stands for a point in the activity log
 * (GET /rest/v1/activities/pagingtoken.json?sinceDatetime=), and each page answers the next one with
 * `moreResult`. New Lead (12) and Change Data Value (13, one activity per changed field, with old and
 * new values) come from /activities/leadchanges.json (`fields` names the fields whose changes are
 * wanted); Delete Lead (37) from /activities/deletedleads.json. Pages hold at most 300 activities.
 */
const PAGE_LIMIT = 300;

interface Change {
  name: string;
  oldValue: unknown;
  newValue: unknown;
}

export function logActivity(ctx: HandlerContext, leadId: string, activityTypeId: number, details: { changes?: Change[]; primaryAttributeValue?: string } = {}): void {
  ctx.records.insert(ACTIVITIES, {
    fields: { leadId: Number(leadId), activityTypeId, marketoGUID: randomUUID(), changes: details.changes ?? [], primaryAttributeValue: details.primaryAttributeValue ?? null },
  });
}

/** One Change Data Value activity per field whose value changed. */
export function logChanges(ctx: HandlerContext, before: StoredRecord, after: StoredRecord): void {
  for (const [name, value] of Object.entries(after.fields)) {
    const old = before.fields[name] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(value ?? null)) logActivity(ctx, after.id, CHANGE_DATA_VALUE, { changes: [{ name, oldValue: old, newValue: value ?? null }] });
  }
}

/** Opaque to clients; the sandbox's tokens carry the id of the last activity already handed out. */
function token(lastId: number): string {
  return Buffer.from(`mkto:${lastId}`).toString('base64').replace(/=+$/, '');
}

function position(value: string | null): number {
  const decoded = /^mkto:(\d+)$/.exec(Buffer.from(value ?? '', 'base64').toString('utf8'));
  if (!decoded) fail('1001', `Invalid value '${value ?? ''}'. Required of type 'nextPageToken'`);
  return Number(decoded[1]);
}

function page(ctx: HandlerContext, from: number, types: number[], batchSize: number, keep: (a: StoredRecord) => boolean = () => true) {
  const after = ctx.records.list(ACTIVITIES).filter((a) => Number(a.id) > from && types.includes(Number(a.fields.activityTypeId)) && keep(a))
    .sort((a, b) => Number(a.id) - Number(b.id));
  const items = after.slice(0, batchSize);
  const last = items.length > 0 ? Number(items[items.length - 1].id) : lastId(ctx, from);
  return { items, nextPageToken: token(last), moreResult: after.length > items.length };
}

/** With nothing new, the token moves past activities of other types, so a caught-up reader does not rescan them. */
function lastId(ctx: HandlerContext, from: number): number {
  return ctx.records.list(ACTIVITIES).reduce((max, a) => Math.max(max, Number(a.id)), from);
}

function batchSize(value: string | null): number {
  const n = Number(value ?? PAGE_LIMIT);
  if (!Number.isInteger(n) || n < 1 || n > PAGE_LIMIT) fail('1003', `Invalid value for batchSize: must be between 1 and ${PAGE_LIMIT}`);
  return n;
}

export function activityRoutes(): Route[] {
  return [
    {
      method: 'GET', path: '/rest/v1/activities/pagingtoken.json',
      handle: (req, ctx) => {
        const since = Date.parse(req.query.get('sinceDatetime') ?? '');
        if (Number.isNaN(since)) fail('1001', "Invalid value for 'sinceDatetime'. Required of type 'datetime'");
        const before = ctx.records.list(ACTIVITIES).filter((a) => Date.parse(a.createdAt) < since).reduce((max, a) => Math.max(max, Number(a.id)), 0);
        return { status: 200, body: { requestId: `${Date.now().toString(16)}`, success: true, errors: [], warnings: [], nextPageToken: token(before) } };
      },
    },
    {
      method: 'GET', path: '/rest/v1/activities/leadchanges.json',
      handle: (req, ctx) => {
        const from = position(req.query.get('nextPageToken'));
        const fields = listParam(req.query.get('fields'));
        if (fields.length === 0) fail('1003', "Value for requied field 'fields' not specified");
        const wanted = (a: StoredRecord) => Number(a.fields.activityTypeId) === NEW_LEAD
          || (a.fields.changes as Change[]).some((c) => fields.includes(c.name));
        const { items, nextPageToken, moreResult } = page(ctx, from, [NEW_LEAD, CHANGE_DATA_VALUE], batchSize(req.query.get('batchSize')), wanted);
        return ok(items.map((a) => ({
          id: Number(a.id), marketoGUID: a.fields.marketoGUID, leadId: a.fields.leadId, activityDate: marketoTime(a.createdAt), activityTypeId: a.fields.activityTypeId,
          fields: (a.fields.changes as Change[]).map((c, i) => ({ id: i + 1, name: c.name, newValue: String(c.newValue ?? ''), oldValue: String(c.oldValue ?? '') })),
          attributes: [],
        })), { nextPageToken, moreResult });
      },
    },
    {
      method: 'GET', path: '/rest/v1/activities/deletedleads.json',
      handle: (req, ctx) => {
        const { items, nextPageToken, moreResult } = page(ctx, position(req.query.get('nextPageToken')), [DELETE_LEAD], batchSize(req.query.get('batchSize')));
        return ok(items.map((a) => ({
          id: Number(a.id), marketoGUID: a.fields.marketoGUID, leadId: a.fields.leadId, activityDate: marketoTime(a.createdAt), activityTypeId: DELETE_LEAD,
          primaryAttributeValueId: a.fields.leadId, primaryAttributeValue: a.fields.primaryAttributeValue ?? '', attributes: [],
        })), { nextPageToken, moreResult });
      },
    },
  ];
}
