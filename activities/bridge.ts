import type { Pool, PoolClient } from 'pg';
import type { ChangeEvent, DestinationContract, OwnIdentity, Rec, RecordResult, SourceContract } from '../src/connectors/contract';
import {
  escapeSlack, slackFiles, slackToTeamsHtml, teamsFiles, teamsHtmlToSlack, withHtmlFileLinks, withSlackFileLinks,
} from '../src/platform/bridge-format';
import { redact } from '../src/platform/credentials/redact';
import type { CredentialStore } from '../src/platform/credentials/store';
import {
  BridgesRepository, otherSide, type BridgeRow, type BridgeSide, type BridgeStatus, type CopyRow,
} from '../src/platform/db/repositories/bridges';
import { ConnectorError } from '../src/platform/errors';
import { activityStep, openConnection } from './activity-step';
import { summarizeCursor } from '../src/platform/cursor-summary';

/**
 * The bridge's one step: read a page of one side's changes and apply each to the other side.
 *
 * Loop prevention (DESIGN.md "Event hub"), first guard first:
 * 0. the bridge's own posts are recognised by the identity the system records on them (Slack
 *    bot_id / the bot user, Graph from.application.id), learnt per connection (ownIdentity): a
 *    change posted by that identity is never copied, whatever its body says;
 * 1. every copy is recorded origin -> copy in bridge_copies before it is acknowledged: the row is
 *    reserved (copy_id NULL) before the post, and gets copy_id right after it; a retry that finds a
 *    reserved row looks the copy up on the other side by its marker where it can only be: posted
 *    since the reservation, in its parent's copy's thread for a reply (copyNear) — never by reading
 *    the whole channel, which Slack's 2025 limits (1 history call a minute) make last hours;
 * 2. every copy carries forge_origin = '<side>:<originId>' at the system (Slack message metadata,
 *    a marker in the Teams body), deterministic for a given origin: a hint only, since a system may
 *    strip it (a sanitising Teams drops the marker span); it finds a copy a crashed attempt posted;
 * 3. capture drops the bridge's own posts (any change whose data carries forge_origin) and known
 *    copies (a change whose record id is a copy_id in bridge_copies: deletes carry no data).
 *
 * Each change is applied idempotently (the row remembers the last version applied), so a retried
 * or replayed page changes nothing twice; the side's cursor moves, in one transaction with the
 * page's rows marked handled, only after every change of the page was applied.
 */

export interface SyncResult {
  /** Creates, updates and deletes made on the other side. */
  applied: number;
  /** Changes dropped as the bridge's own posts or known copies. */
  dropped: number;
  /** Changes that needed nothing (already applied, stale, already deleted). */
  unchanged: number;
  /** Copies the other side refused (kept with their error in bridge_copies). */
  failed: number;
  hasMore: boolean;
  stopped: boolean;
  cursorSummary: string;
  /** When the last copy of this sync was made, and how long after its change happened at the origin (null: none made). */
  lastCopy: { at: string; lagSeconds: number | null } | null;
}

type Outcome = 'applied' | 'dropped' | 'unchanged' | 'failed';

const ID_FIELD: Record<BridgeSide, string> = { slack: 'ts', teams: 'id' };
const ORIGIN_FIELD = 'forge_origin';
/**
 * How far the systems' clocks may be from Postgres's (a reservation's time is Postgres's, a copy's
 * Slack ts or Graph time the system's): the window a reserved copy is looked for in starts this
 * long before the reservation.
 */
const CLOCK_SKEW_MS = 120_000;
/** Reserved rows finished per sync (each costs a read on both sides). */
const MAX_RECONCILED_PER_SYNC = 20;

export function bridgeObject(bridge: Pick<BridgeRow, 'slackChannel' | 'teamsChannel'>, side: BridgeSide): string {
  return side === 'slack' ? `messages:${bridge.slackChannel}` : `messages:${bridge.teamsChannel}`;
}

export function originMarker(side: BridgeSide, originId: string): string {
  return `${side}:${originId}`;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The message's body as the other side should show it: Slack mrkdwn as Teams HTML, Teams HTML (or
 * text) as Slack mrkdwn (src/platform/bridge-format). Mentions name the person where the directory
 * knows them; none is wired yet, so a Slack <@U…> reads "@someone" (Teams <at> elements carry the name).
 * Shared files follow as links with their names (Slack files[], Graph reference attachments).
 */
export function textOf(side: BridgeSide, data: Rec): string {
  if (side === 'slack') return withHtmlFileLinks(slackToTeamsHtml(String(data.text ?? '')), slackFiles(data.files));
  const content = String(data.content ?? '');
  const text = data.contentType === 'html' ? teamsHtmlToSlack(content) : escapeSlack(content);
  return withSlackFileLinks(text, teamsFiles(data.attachments));
}

/**
 * Slack keeps a thread parent deleted while it has replies as a tombstone (subtype 'tombstone',
 * text "This message was deleted.", replies kept): for the bridge, a delete of that message.
 */
export function isTombstone(data: Rec): boolean {
  return data.subtype === 'tombstone';
}

/** Why a reply was not copied: recorded on its row. */
export const PARENT_DELETED = 'its thread\'s parent was deleted on the other side before the reply was copied';

/** The parent a reply belongs to on its own side (Slack thread_ts, Teams replyToId), or null. */
function parentOf(side: BridgeSide, data: Rec): string | null {
  return side === 'slack' ? str(data.thread_ts) : str(data.replyToId);
}

function createRecord(target: BridgeSide, text: string, marker: string, parentId: string | null): Rec {
  return target === 'slack'
    ? { [ORIGIN_FIELD]: marker, text, ...(parentId ? { thread_ts: parentId } : {}) }
    : { [ORIGIN_FIELD]: marker, content: text, contentType: 'html', ...(parentId ? { replyToId: parentId } : {}) };
}

function updateRecord(target: BridgeSide, copyId: string, text: string, marker: string): Rec {
  return target === 'slack'
    ? { ts: copyId, text, [ORIGIN_FIELD]: marker }
    : { id: copyId, content: text, contentType: 'html', [ORIGIN_FIELD]: marker };
}

/** Whether the change's record was posted by the connection itself (guard 0). */
export function postedBy(identity: OwnIdentity, data: Rec | null): boolean {
  if (!data) return false;
  return Object.entries(identity).some(([field, values]) => {
    const value = str(data[field]);
    return value !== null && values.includes(value);
  });
}

function errorsOf(result: RecordResult | undefined): unknown {
  return redact(JSON.stringify(result?.errors ?? [{ field: '*', message: 'no result' }]));
}

/**
 * Posted order: Slack's ts and Graph's message id both grow with the time a message was posted
 * (seconds.micros, epoch milliseconds), so their numeric order is the channel's order.
 */
export function postedOrder(a: string, b: string): number {
  return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The order a page is applied in: creates and edits in the order their messages were posted (never
 * the order of the edits, which a capture may report first), so a reply follows its parent and the
 * copies of one channel are posted in that channel's order; deletes last, so a reply captured with
 * its parent's deletion still lands in the parent's thread before the parent's copy goes.
 */
export function applyOrder(changes: ChangeEvent[]): ChangeEvent[] {
  const rank = (c: ChangeEvent) => (c.op === 'delete' || !c.data ? 1 : 0);
  return [...changes].sort((a, b) => rank(a) - rank(b) || postedOrder(a.recordId, b.recordId));
}

/**
 * The sync itself, outside any activity context (the activity below wraps it in activityStep; the
 * property test drives it directly against the sandboxes and Postgres).
 */
export function createBridgeSync(deps: { pool: Pool; credentials: CredentialStore }) {
  const bridges = new BridgesRepository(deps.pool);

  async function requireBridge(bridgeId: string, db?: PoolClient): Promise<BridgeRow> {
    const bridge = await bridges.find(bridgeId, db);
    if (!bridge) throw new ConnectorError({ kind: 'permanent', system: 'forgeworks', message: `bridge ${bridgeId} no longer exists` });
    return bridge;
  }

  async function open(bridge: BridgeRow, side: BridgeSide) {
    const connectionId = side === 'slack' ? bridge.slackConnectionId : bridge.teamsConnectionId;
    return openConnection(deps, { tenantId: bridge.tenantId, connectionId, connector: side });
  }

  /**
   * One page of `side`'s changes applied to the other side. One sync per bridge side at a time
   * (a Postgres advisory lock held by this attempt's connection, released if the worker dies), so a
   * retry racing a slow attempt never posts the same copy twice.
   */
  async function syncSide(bridgeId: string, side: BridgeSide): Promise<SyncResult> {
    const first = await requireBridge(bridgeId);
      if (first.status === 'stopped') return stoppedResult(first, side);
      const client = await deps.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`bridge:${bridgeId}:${side}`]);
        try {
          return await syncLocked(client, bridgeId, side);
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`bridge:${bridgeId}:${side}`]).catch((err: Error) => { broken = err; });
        }
      } finally {
        client.release(broken);
      }
  }

  function stoppedResult(bridge: BridgeRow, side: BridgeSide): SyncResult {
    return { applied: 0, dropped: 0, unchanged: 0, failed: 0, hasMore: false, stopped: true, cursorSummary: summarizeCursor(bridge.cursors[side]), lastCopy: null };
  }

  async function syncLocked(db: PoolClient, bridgeId: string, side: BridgeSide): Promise<SyncResult> {
    const bridge = await requireBridge(bridgeId, db);
    if (bridge.status === 'stopped') return stoppedResult(bridge, side);
    const target = otherSide(side);
    const src = await open(bridge, side);
    const dst = await open(bridge, target);
    const source: SourceContract = src.def.source(src.ctx);
    const destination: DestinationContract = dst.def.destination(dst.ctx);
    const sourceObject = bridgeObject(bridge, side);
    const targetObject = bridgeObject(bridge, target);

    const own: OwnIdentity = (await src.def.ownIdentity?.(src.ctx)) ?? {};
    const page = await source.capture(sourceObject, bridge.cursors[side] ?? null);
    const counts = { applied: 0, dropped: 0, unchanged: 0, failed: 0 };
    let lastCopy: SyncResult['lastCopy'] = null;
    /** Counts an outcome; a copy made stamps the direction's last copy time and lag. */
    const count = (outcome: Outcome, change: ChangeEvent) => {
      counts[outcome]++;
      if (outcome !== 'applied') return;
      const now = Date.now();
      const happened = Date.parse(change.occurredAt);
      lastCopy = { at: new Date(now).toISOString(), lagSeconds: Number.isFinite(happened) ? Math.max(0, Math.round((now - happened) / 100) / 10) : lastCopy?.lagSeconds ?? null };
    };
    const handled: Array<{ originId: string; version: string }> = [];

    /**
     * Where a message of this side (a reply's parent) is on the other side: its copy, or the origin
     * it is a copy of, and whether that was deleted. Found in bridge_copies; when a crash left the
     * mapping without its copy_id, by the markers at the systems (the copy's forge_origin names its
     * origin, and a copy is found by it).
     */
    async function counterpart(id: string): Promise<{ id: string; deleted: boolean } | null> {
      const asOrigin = await bridges.copyByOrigin(db, bridgeId, side, id);
      if (asOrigin?.copyId) return { id: asOrigin.copyId, deleted: asOrigin.state === 'deleted' };
      if (asOrigin?.state === 'reserved') return found(await findCopy(asOrigin, null));
      if (asOrigin) return null;
      const asCopy = await bridges.copyByCopyId(db, bridgeId, side, id);
      if (asCopy) return { id: asCopy.originId, deleted: asCopy.state === 'deleted' };
      const here = (await src.def.destination(src.ctx).read(sourceObject, ID_FIELD[side], [id])).get(id);
      const marker = str(here?.[ORIGIN_FIELD]);
      return found(marker?.startsWith(`${target}:`) ? marker.slice(target.length + 1) : null);
    }
    const found = (id: string | null) => (id ? { id, deleted: false } : null);

    /**
     * The copy an attempt posted for a reserved row, by its marker, where it can be: posted since the
     * reservation, in `thread` (the parent's copy) for a reply. `thread` undefined: not known (a
     * delete brings no data): looked for in the whole channel, the one costly case (a crash, then
     * the origin deleted before the retry).
     */
    async function findCopy(row: CopyRow, thread: string | null | undefined): Promise<string | null> {
      const marker = originMarker(row.originSide, row.originId);
      const near = thread === undefined ? undefined : {
        from: new Date(Date.parse(row.reservedAt) - CLOCK_SKEW_MS).toISOString(),
        to: new Date(Date.now() + CLOCK_SKEW_MS).toISOString(),
        ...(thread ? { thread } : {}),
      };
      const found = await destination.read(targetObject, ORIGIN_FIELD, [marker], undefined, near ? { near } : {});
      return str(found.get(marker)?.[ID_FIELD[target]]);
    }

    /** Whether a message of the other side is still there (not deleted), read by its id. */
    async function existsAtTarget(id: string): Promise<boolean> {
      return (await destination.read(targetObject, ID_FIELD[target], [id])).get(id) != null;
    }

    async function update(originId: string, copyId: string, change: ChangeEvent, text: string): Promise<Outcome> {
      const [result] = await destination.write(targetObject, 'update', ID_FIELD[target], [updateRecord(target, copyId, text, originMarker(side, originId))]);
      if (result?.outcome !== 'updated' && result?.outcome !== 'unchanged') {
        await bridges.recordCopy(db, bridgeId, side, originId, { state: 'copied', error: errorsOf(result) });
        return 'failed';
      }
      await bridges.recordCopy(db, bridgeId, side, originId, { state: 'copied', appliedAt: change.occurredAt, appliedVersion: change.version });
      return 'applied';
    }

    async function upsert(change: ChangeEvent, data: Rec): Promise<Outcome> {
      const originId = change.recordId;
      const text = textOf(side, data);
      const existing = await bridges.copyByOrigin(db, bridgeId, side, originId);
      if (existing && (existing.state === 'deleted' || existing.state === 'failed')) return 'unchanged';
      if (existing?.state === 'copied' && existing.copyId) {
        if (existing.appliedVersion === change.version) return 'unchanged';
        if (existing.appliedAt && change.occurredAt < existing.appliedAt) return 'unchanged'; // a replayed, older version
        return update(originId, existing.copyId, change, text);
      }
      const marker = originMarker(side, originId);
      const parent = parentOf(side, data);
      const parentCopy = parent ? await counterpart(parent) : null;
      // (1) reserve before posting; a row already reserved means an earlier attempt may have posted.
      const row: CopyRow = existing ?? await bridges.reserve(db, bridgeId, side, originId);
      if (existing) {
        const copyId = await findCopy(existing, parentCopy?.id ?? null);
        if (copyId) {
          await bridges.recordCopy(db, bridgeId, side, originId, { copyId, state: 'copied' });
          return update(originId, copyId, change, text); // the text may have changed since that post
        }
      }
      if (parentCopy?.deleted) {
        // Its thread's parent was deleted on the other side before this reply was copied: neither
        // system takes a new reply under a deleted parent, and at the top level it would be an orphan.
        await bridges.recordCopy(db, bridgeId, side, originId, { state: 'deleted', error: { reason: PARENT_DELETED }, appliedAt: change.occurredAt, appliedVersion: change.version });
        return 'unchanged';
      }
      // (2) the copy carries its origin at the system.
      const [result] = await destination.write(targetObject, 'create', ORIGIN_FIELD, [createRecord(target, text, marker, parentCopy?.id ?? null)]);
      let copyId = result?.outcome === 'created' ? str(result.id) : null;
      if (!copyId) copyId = await findCopy(row, parentCopy?.id ?? null); // refused as a duplicate: the copy is there already
      if (!copyId && parentCopy && !await existsAtTarget(parentCopy.id)) {
        // The parent's copy was deleted at the other side since it was recorded (its delete not yet
        // captured): the reply was refused for that (Graph answers 404 "was deleted"), as above.
        await bridges.recordCopy(db, bridgeId, side, originId, { state: 'deleted', error: { reason: PARENT_DELETED }, appliedAt: change.occurredAt, appliedVersion: change.version });
        return 'unchanged';
      }
      if (!copyId) {
        await bridges.recordCopy(db, bridgeId, row.originSide, originId, { state: 'failed', error: errorsOf(result) });
        return 'failed';
      }
      await bridges.recordCopy(db, bridgeId, side, originId, { copyId, state: 'copied', appliedAt: change.occurredAt, appliedVersion: change.version });
      return 'applied';
    }

    async function remove(change: ChangeEvent): Promise<Outcome> {
      const originId = change.recordId;
      const existing = await bridges.copyByOrigin(db, bridgeId, side, originId);
      if (!existing) {
        // Deleted before it was ever copied: a tombstone, so a replayed upsert does not copy it late.
        await bridges.reserve(db, bridgeId, side, originId, 'deleted');
        return 'unchanged';
      }
      if (existing.state === 'deleted') return 'unchanged';
      const copyId = existing.copyId ?? (existing.state === 'reserved' ? await findCopy(existing, undefined) : null);
      if (copyId) {
        const [result] = await destination.delete(targetObject, ID_FIELD[target], [copyId]);
        if (result?.outcome !== 'deleted') {
          // Not recorded as deleted: the page is retried (and the delete with it).
          throw new ConnectorError({ kind: 'transient', system: target, message: `the copy ${copyId} of ${side} message ${originId} was not deleted: ${String(errorsOf(result))}` });
        }
      }
      await bridges.recordCopy(db, bridgeId, side, originId, {
        ...(copyId ? { copyId } : {}), state: 'deleted', appliedAt: change.occurredAt, appliedVersion: change.version,
      });
      return 'applied';
    }

    // Rows an earlier attempt left reserved whose origin this page does not bring (the cursor had
    // moved past it, or it was deleted meanwhile and a full sync does not list it): finished first,
    // from the origin's current state (the copy found by its marker), since they were posted before
    // anything this page would post.
    const inPage = new Set(page.changes.map((c) => c.recordId));
    const unfinished = (await bridges.reserved(db, bridgeId, side, MAX_RECONCILED_PER_SYNC)).filter((row) => !inPage.has(row.originId));
    for (const row of unfinished.sort((a, b) => postedOrder(a.originId, b.originId))) {
      const now = (await src.def.destination(src.ctx).read(sourceObject, ID_FIELD[side], [row.originId])).get(row.originId) ?? null;
      const change: ChangeEvent = { object: sourceObject, recordId: row.originId, op: now ? 'upsert' : 'delete', occurredAt: '', version: 'reconciled', data: now };
      count(now ? await upsert(change, now) : await remove(change), change);
    }

    // One change at a time: the next copy is posted only once the system has confirmed this one.
    for (const change of applyOrder(page.changes)) {
      let outcome: Outcome;
      // (0) posted by the bridge's own identity; (3) marked as a copy, or a known copy (recorded): never copied back.
      if (postedBy(own, change.data)) outcome = 'dropped';
      else if (change.data && str(change.data[ORIGIN_FIELD])) outcome = 'dropped';
      else if (await bridges.copyByCopyId(db, bridgeId, side, change.recordId)) outcome = 'dropped';
      else if (change.op === 'delete' || !change.data || isTombstone(change.data)) outcome = await remove(change);
      else outcome = await upsert(change, change.data);
      count(outcome, change);
      if (outcome !== 'dropped') handled.push({ originId: change.recordId, version: change.version });
    }

    await db.query('BEGIN');
    try {
      const current = await bridges.lockSide(db, bridgeId, side);
      let result: SyncResult;
      if (!current || current.status === 'stopped') {
        result = { ...counts, hasMore: false, stopped: true, cursorSummary: summarizeCursor(bridge.cursors[side]), lastCopy };
      } else if (current.cursorVersion !== bridge.cursorVersions[side]) {
        result = { ...counts, hasMore: true, stopped: false, cursorSummary: summarizeCursor(bridge.cursors[side]), lastCopy };
      } else {
        await bridges.markHandled(db, bridgeId, side, handled);
        await bridges.advanceCursor(db, bridgeId, side, page.cursor);
        result = { ...counts, hasMore: page.hasMore, stopped: false, cursorSummary: summarizeCursor(page.cursor), lastCopy };
      }
      await db.query('COMMIT');
      return result;
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  return { syncSide };
}

export function createBridgeActivities(deps: { pool: Pool; credentials: CredentialStore }) {
  const bridges = new BridgesRepository(deps.pool);
  const { syncSide } = createBridgeSync(deps);

  /** One page of one side's changes applied to the other side (see createBridgeSync). */
  async function syncBridgeSide(bridgeId: string, side: BridgeSide): Promise<SyncResult> {
    return activityStep(() => syncSide(bridgeId, side));
  }

  async function recordBridgeStatus(bridgeId: string, status: BridgeStatus, error?: { message: string; kind?: string } | null): Promise<void> {
    await activityStep(async () => {
      const recorded = error ? { message: redact(error.message), ...(error.kind ? { kind: error.kind } : {}), at: new Date().toISOString() } : error;
      await bridges.setStatus(bridgeId, status, recorded);
    });
  }

  async function recordBridgeError(bridgeId: string, error: { message: string; kind?: string }): Promise<void> {
    await activityStep(() => bridges.recordError(bridgeId, { message: redact(error.message), ...(error.kind ? { kind: error.kind } : {}), at: new Date().toISOString() }));
  }

  return { syncBridgeSide, recordBridgeStatus, recordBridgeError };
}

export type BridgeActivities = ReturnType<typeof createBridgeActivities>;
