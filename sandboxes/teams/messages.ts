import { json, PERSON_SCHEME, ReplyError, SlidingWindowLimiter, type HandlerContext, type Reply, type Route, type SandboxRequest, type StoredRecord } from '../kit';
import { badRequest, notFound, throttled } from './errors';
import { sanitizeTeamsHtml } from './sanitize';

/**
 * Channel messages (chatMessage, Graph v1.0). State: `teams`, `channels` (fields teamId) and
 * `messages` (fields teamId, channelId, replyToId, body { contentType, content }, lastEditedDateTime,
 * _seq). A soft-deleted message is an archived record: it stays, reads with deletedDateTime set and
 * an empty body, and undoSoftDelete brings it back with its id. `_seq` orders changes for delta.
 */
export const SANDBOX_USER = { id: '8f98f01d-1a73-401a-b9e9-9fd1e6f5e5a1', displayName: 'Forge Sandbox User' };
/** Graph caps a chatMessage body at about 28 KB. */
export const MAX_CONTENT_BYTES = 28 * 1024;
const PAGE_DEFAULT = 20;
const PAGE_MAX = 50;

export interface ThrottleOptions {
  /** Requests per channel per window (Graph: about 4 per second per app per channel). */
  limit: number;
  windowMs: number;
  /** Messages posted per channel per day (Graph: 3,000 per app per channel). */
  messagesPerDay: number;
  /** Channel messages the app may post in the tenant, every channel together (Graph: "POST channel message", 2 rps per app per tenant). */
  tenantPosts: { limit: number; windowMs: number };
}

/** Who sent a message, as chatMessage.from records it (chatMessageFromIdentitySet). */
export interface Sender {
  user: { id: string; displayName: string };
  /** The application that sent it: the app whose token posted (its client id); null for a person in the Teams client. */
  application: { id: string; displayName: string } | null;
}

export interface MessageStateOptions {
  throttle?: ThrottleOptions;
  /** Strip HTML a sanitising Teams would not keep (sanitize.ts), the platform's marker among it. */
  sanitizeHtml?: boolean;
}

export class MessageState {
  private seq = 0;
  private lastId = 0;
  private readonly limiters = new Map<string, SlidingWindowLimiter>();
  private readonly postsPerDay = new Map<string, number>();
  /** The sandbox is one tenant and the connector's one app: one limiter for its posts. */
  private tenantPosts?: SlidingWindowLimiter;
  private readonly throttle?: ThrottleOptions;
  readonly sanitizeHtml: boolean;

  constructor(options: MessageStateOptions = {}) {
    this.throttle = options.throttle;
    this.sanitizeHtml = options.sanitizeHtml ?? false;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  currentSeq(): number {
    return this.seq;
  }

  /** Graph's message ids are the epoch milliseconds of the post, as a string: unique, increasing. */
  nextId(nowMs: number): string {
    this.lastId = Math.max(this.lastId + 1, nowMs);
    return String(this.lastId);
  }

  /** The per-channel throttle, when enabled: a 429 reply or undefined. */
  check(channelKey: string, posting: boolean, correlationId: string, today: string): Reply | undefined {
    if (!this.throttle) return undefined;
    let limiter = this.limiters.get(channelKey);
    if (!limiter) {
      limiter = new SlidingWindowLimiter({ limit: this.throttle.limit, windowMs: this.throttle.windowMs });
      this.limiters.set(channelKey, limiter);
    }
    const { allowed, info } = limiter.take();
    if (!allowed) return throttled(correlationId, Math.max(1, info.retryAfterSeconds));
    if (posting) {
      this.tenantPosts ??= new SlidingWindowLimiter(this.throttle.tenantPosts);
      const tenant = this.tenantPosts.take();
      if (!tenant.allowed) return throttled(correlationId, Math.max(1, tenant.info.retryAfterSeconds));
      const key = `${channelKey}|${today}`;
      const count = (this.postsPerDay.get(key) ?? 0) + 1;
      if (count > this.throttle.messagesPerDay) return throttled(correlationId, 3600);
      this.postsPerDay.set(key, count);
    }
    return undefined;
  }
}

/** A stored message as Graph answers it. */
export function presentMessage(record: StoredRecord, baseUrl: string): Record<string, unknown> {
  const f = record.fields;
  const body = (f.body ?? { contentType: 'text', content: '' }) as { contentType: string; content: string };
  const deleted = record.archived;
  return {
    id: record.id,
    replyToId: f.replyToId ?? null,
    etag: String(Date.parse(record.updatedAt)),
    messageType: 'message',
    createdDateTime: record.createdAt,
    lastModifiedDateTime: record.updatedAt,
    lastEditedDateTime: f.lastEditedDateTime ?? null,
    deletedDateTime: deleted ? record.archivedAt ?? record.updatedAt : null,
    subject: null,
    summary: null,
    chatId: null,
    importance: 'normal',
    locale: 'en-us',
    webUrl: `${baseUrl}/l/message/${encodeURIComponent(String(f.channelId))}/${record.id}`,
    policyViolation: null,
    eventDetail: null,
    from: presentSender((f.from as Sender | undefined) ?? { user: SANDBOX_USER, application: null }),
    body: deleted ? { contentType: body.contentType, content: '' } : { contentType: body.contentType, content: body.content },
    channelIdentity: { teamId: f.teamId, channelId: f.channelId },
    attachments: deleted ? [] : (f.attachments as Attachment[] | undefined) ?? [],
    mentions: [],
    reactions: [],
  };
}

function presentSender(sender: Sender): Record<string, unknown> {
  return {
    application: sender.application ? { ...sender.application, applicationIdentityType: 'aadApplication' } : null,
    device: null,
    user: { ...sender.user, userIdentityType: 'aadUser' },
  };
}

/**
 * The sender of a message posted now: a person's own token is that person alone; the connector's
 * delegated token is the signed-in user, through the app the token was issued to (its client id).
 */
function senderOf(ctx: HandlerContext): Sender {
  const principal = ctx.principal;
  if (!principal || principal.scheme === PERSON_SCHEME) return { user: { id: principal?.subject ?? SANDBOX_USER.id, displayName: principal?.subject ?? SANDBOX_USER.displayName }, application: null };
  return { user: SANDBOX_USER, application: { id: principal.subject, displayName: 'Forgeworks' } };
}

interface Where {
  teamId: string;
  channelId: string;
}

function requireChannel(req: SandboxRequest, ctx: HandlerContext): Where {
  const teamId = req.params.team;
  const channelId = req.params.channel;
  if (!ctx.records.latest('teams', teamId)) throw new ReplyError(notFound(ctx.correlationId, `No team found with Group Id ${teamId}`));
  const channel = ctx.records.latest('channels', channelId);
  if (!channel || channel.fields.teamId !== teamId) throw new ReplyError(notFound(ctx.correlationId, `Channel ${channelId} not found in team ${teamId}`));
  return { teamId, channelId };
}

function findMessage(_req: SandboxRequest, ctx: HandlerContext, where: Where, id: string, parentId: string | null, consistency: 'read' | 'latest'): StoredRecord {
  const record = consistency === 'read' ? ctx.records.read('messages', id) : ctx.records.latest('messages', id);
  const f = record?.fields;
  if (!record || f?.teamId !== where.teamId || f.channelId !== where.channelId || (f.replyToId ?? null) !== parentId) {
    throw new ReplyError(notFound(ctx.correlationId, `Message ${id} not found`));
  }
  return record;
}

/** Reads { body: { contentType, content } }, refusing what Graph refuses with the property's name. */
function readBody(req: SandboxRequest, ctx: HandlerContext, sanitize: boolean): { contentType: string; content: string } {
  const input = req.body as { body?: { contentType?: unknown; content?: unknown } } | undefined;
  if (!input || typeof input !== 'object' || !input.body || typeof input.body !== 'object') {
    throw new ReplyError(badRequest('body', 'a chatMessage needs a body.', ctx.correlationId));
  }
  const contentType = input.body.contentType ?? 'text';
  if (contentType !== 'text' && contentType !== 'html') {
    throw new ReplyError(badRequest('body.contentType', `'${String(contentType)}' is not a bodyType (text, html).`, ctx.correlationId));
  }
  const content = input.body.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new ReplyError(badRequest('body.content', 'the message body content cannot be empty.', ctx.correlationId));
  }
  if (Buffer.byteLength(content) > MAX_CONTENT_BYTES) {
    throw new ReplyError(badRequest('body.content', `the message exceeds the maximum size of ${MAX_CONTENT_BYTES} bytes.`, ctx.correlationId));
  }
  return { contentType, content: sanitize && contentType === 'html' ? sanitizeTeamsHtml(content) : content };
}

/** A chatMessageAttachment as sent and stored (learn.microsoft.com/graph/api/resources/chatmessageattachment). */
interface Attachment {
  id: string;
  contentType: string;
  contentUrl: string | null;
  content: string | null;
  name: string | null;
  thumbnailUrl: string | null;
  teamsAppId: string | null;
}

/**
 * The request's attachments[]. Graph's "send a message with a file attachment" example: a
 * `reference` attachment names a file already in SharePoint/OneDrive (contentUrl, name) under the
 * file's id, and the body must place it with <attachment id="…"></attachment>; one it does not
 * place is refused.
 */
function readAttachments(req: SandboxRequest, ctx: HandlerContext, content: string): Attachment[] {
  const raw = (req.body as { attachments?: unknown } | undefined)?.attachments;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ReplyError(badRequest('attachments', 'attachments must be a collection of chatMessageAttachment.', ctx.correlationId));
  return raw.map((a: Record<string, unknown>, i) => {
    const field = (name: string) => (typeof a?.[name] === 'string' && a[name] !== '' ? a[name] as string : null);
    const id = field('id');
    const contentType = field('contentType');
    if (!id || !contentType) throw new ReplyError(badRequest(`attachments[${i}]`, 'an attachment needs an id and a contentType.', ctx.correlationId));
    if (contentType === 'reference' && !field('contentUrl')) throw new ReplyError(badRequest(`attachments[${i}].contentUrl`, 'a reference attachment needs a contentUrl.', ctx.correlationId));
    if (!content.includes(`<attachment id="${id}"></attachment>`)) {
      throw new ReplyError(badRequest('body.content', `the body does not reference attachment ${id} (<attachment id="${id}"></attachment>).`, ctx.correlationId));
    }
    return { id, contentType, contentUrl: field('contentUrl'), content: field('content'), name: field('name'), thumbnailUrl: field('thumbnailUrl'), teamsAppId: field('teamsAppId') };
  });
}

function pageOf(req: SandboxRequest): number {
  const top = Number(req.query.get('$top') ?? PAGE_DEFAULT);
  return Number.isFinite(top) && top > 0 ? Math.min(PAGE_MAX, Math.floor(top)) : PAGE_DEFAULT;
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string, ctx: HandlerContext, name: string): T {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw new ReplyError(badRequest(name, 'the token is not valid.', ctx.correlationId));
  }
}

function channelPath(where: Where): string {
  return `/v1.0/teams/${encodeURIComponent(where.teamId)}/channels/${encodeURIComponent(where.channelId)}/messages`;
}

export function messageRoutes(state: MessageState): Route[] {
  const guard = (req: SandboxRequest, ctx: HandlerContext, posting = false): Where => {
    const where = requireChannel(req, ctx);
    const refused = state.check(`${where.teamId}/${where.channelId}`, posting, ctx.correlationId, ctx.clock.nowIso().slice(0, 10));
    if (refused) throw new ReplyError(refused);
    return where;
  };

  const post = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const where = guard(req, ctx, true);
    const parent = req.params.message ? findMessage(req, ctx, where, req.params.message, null, 'latest') : undefined;
    if (parent?.archived) throw new ReplyError(notFound(ctx.correlationId, `Message ${parent.id} was deleted`));
    const body = readBody(req, ctx, state.sanitizeHtml);
    const attachments = readAttachments(req, ctx, body.content);
    const created = ctx.records.insert('messages', {
      id: state.nextId(ctx.clock.nowMs()),
      fields: {
        teamId: where.teamId, channelId: where.channelId, replyToId: parent?.id ?? null, body, from: senderOf(ctx), lastEditedDateTime: null, _seq: state.nextSeq(),
        ...(attachments.length > 0 ? { attachments } : {}),
      },
    });
    return json(201, { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#teams('${where.teamId}')/channels('${where.channelId}')/messages/$entity`, ...presentMessage(created, ctx.baseUrl) });
  };

  const get = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const where = guard(req, ctx);
    const [id, parent] = req.params.reply ? [req.params.reply, req.params.message] : [req.params.message, null];
    return json(200, presentMessage(findMessage(req, ctx, where, id, parent, 'read'), ctx.baseUrl));
  };

  /**
   * PATCH: delegated callers may change the body (real Graph allows app-only callers to PATCH only
   * policyViolation). Answers 204 No Content, as Graph does.
   */
  const patch = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const where = guard(req, ctx);
    const [id, parent] = req.params.reply ? [req.params.reply, req.params.message] : [req.params.message, null];
    const current = findMessage(req, ctx, where, id, parent, 'latest');
    if (current.archived) throw new ReplyError(notFound(ctx.correlationId, `Message ${id} was deleted`));
    const body = readBody(req, ctx, state.sanitizeHtml);
    ctx.records.update('messages', id, { body, lastEditedDateTime: ctx.clock.nowIso(), _seq: state.nextSeq() });
    return { status: 204 };
  };

  const softDelete = (undo: boolean) => (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const where = guard(req, ctx);
    const [id, parent] = req.params.reply ? [req.params.reply, req.params.message] : [req.params.message, null];
    const current = findMessage(req, ctx, where, id, parent, 'latest');
    if (undo) {
      if (ctx.records.unarchive('messages', id)) ctx.records.update('messages', id, { _seq: state.nextSeq() });
    } else if (!current.archived && ctx.records.archive('messages', id) && ctx.records.latest('messages', id)?.archived) {
      // Under a delete-lies fault archive() answers true and changes nothing: no change to track then.
      ctx.records.update('messages', id, { _seq: state.nextSeq() });
    }
    return { status: 204 };
  };

  const inChannel = (where: Where, ctx: HandlerContext, latest = false): StoredRecord[] =>
    (latest ? ctx.records.latestAll('messages') : ctx.records.list('messages'))
      .filter((m) => m.fields.teamId === where.teamId && m.fields.channelId === where.channelId);

  /** GET messages (root messages, newest first, $top ≤ 50, $expand=replies) and GET replies. */
  const list = (repliesOf: boolean) => (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const where = guard(req, ctx);
    const parentId = repliesOf ? findMessage(req, ctx, where, req.params.message, null, 'read').id : null;
    const all = inChannel(where, ctx).filter((m) => (m.fields.replyToId ?? null) === parentId).sort((a, b) => Number(b.id) - Number(a.id));
    const skip = req.query.get('$skiptoken') ? decodeToken<{ skip: number }>(req.query.get('$skiptoken')!, ctx, '$skiptoken').skip : 0;
    const top = pageOf(req);
    const page = all.slice(skip, skip + top);
    const expand = !repliesOf && /\breplies\b/.test(req.query.get('$expand') ?? '');
    const value = page.map((m) => ({
      ...presentMessage(m, ctx.baseUrl),
      ...(expand ? { replies: inChannel(where, ctx).filter((r) => r.fields.replyToId === m.id).sort((a, b) => Number(a.id) - Number(b.id)).map((r) => presentMessage(r, ctx.baseUrl)) } : {}),
    }));
    const next = skip + top < all.length ? new URLSearchParams({ ...(expand ? { $expand: 'replies' } : {}), $top: String(top), $skiptoken: encodeToken({ skip: skip + top }) }) : undefined;
    const path = repliesOf ? `${channelPath(where)}/${parentId}/replies` : channelPath(where);
    return json(200, {
      '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#teams('${where.teamId}')/channels('${where.channelId}')/messages`,
      '@odata.count': all.length,
      ...(next ? { '@odata.nextLink': `${ctx.baseUrl}${path}?${next}` } : {}),
      value,
    });
  };

  /**
   * GET messages/delta: root messages only (Graph: "without the replies"). Without a token: every
   * live root message (a full sync); with $deltatoken: the root messages changed since, soft-deleted
   * ones included with deletedDateTime set. (Whether a full sync lists soft-deleted roots is not
   * documented, nor whether GET messages does: this sandbox leaves them out of the former and keeps
   * them in the latter; see README.) A round pages with $skiptoken (@odata.nextLink) and
   * ends with @odata.deltaLink, whose $deltatoken starts the next round.
   */
  const delta = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const where = guard(req, ctx);
    const skipToken = req.query.get('$skiptoken');
    const deltaToken = req.query.get('$deltatoken');
    let round: { from: number; upto: number; after: number; top?: number };
    if (skipToken) round = decodeToken(skipToken, ctx, '$skiptoken');
    else if (deltaToken) {
      const { seq } = decodeToken<{ seq: number }>(deltaToken, ctx, '$deltatoken');
      round = { from: seq, upto: state.currentSeq(), after: seq };
    } else round = { from: 0, upto: state.currentSeq(), after: 0 };
    // A round keeps the page size its first request asked for (Graph's skip token carries it).
    const top = round.top ?? pageOf(req);
    round = { ...round, top };
    const initial = round.from === 0;
    const changed = inChannel(where, ctx, true)
      .filter((m) => (m.fields.replyToId ?? null) === null)
      .filter((m) => Number(m.fields._seq) > round.after && Number(m.fields._seq) <= round.upto && !(initial && m.archived))
      .sort((a, b) => Number(a.fields._seq) - Number(b.fields._seq));
    const page = changed.slice(0, top);
    const last = page[page.length - 1];
    const base = `${ctx.baseUrl}${channelPath(where)}/delta`;
    const link = changed.length > top && last
      ? { '@odata.nextLink': `${base}?$skiptoken=${encodeToken({ ...round, after: Number(last.fields._seq) })}` }
      : { '@odata.deltaLink': `${base}?$deltatoken=${encodeToken({ seq: round.upto })}` };
    return json(200, {
      '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#Collection(chatMessage)`,
      ...link,
      value: page.map((m) => presentMessage(m, ctx.baseUrl)),
    });
  };

  const m = '/v1.0/teams/:team/channels/:channel/messages';
  const routes: Route[] = [
    { method: 'GET', path: m, handle: list(false) },
    { method: 'POST', path: m, handle: post },
    { method: 'GET', path: `${m}/delta`, handle: delta },
    { method: 'GET', path: `${m}/microsoft.graph.delta()`, handle: delta },
    { method: 'GET', path: `${m}/:message`, handle: get },
    { method: 'PATCH', path: `${m}/:message`, handle: patch },
    { method: 'GET', path: `${m}/:message/replies`, handle: list(true) },
    { method: 'POST', path: `${m}/:message/replies`, handle: post },
    { method: 'GET', path: `${m}/:message/replies/:reply`, handle: get },
    { method: 'PATCH', path: `${m}/:message/replies/:reply`, handle: patch },
  ];
  for (const prefix of ['', 'microsoft.graph.']) {
    routes.push(
      { method: 'POST', path: `${m}/:message/${prefix}softDelete`, handle: softDelete(false) },
      { method: 'POST', path: `${m}/:message/${prefix}undoSoftDelete`, handle: softDelete(true) },
      { method: 'POST', path: `${m}/:message/replies/:reply/${prefix}softDelete`, handle: softDelete(false) },
      { method: 'POST', path: `${m}/:message/replies/:reply/${prefix}undoSoftDelete`, handle: softDelete(true) },
    );
  }
  return routes;
}
