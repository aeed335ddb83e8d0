import { KeyedSerializer } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Rec, RecordResult } from '../contract';
import { SYSTEM } from './auth';
import type { GraphApi, GraphMessage } from './graph-api';
import { decodeBody, encodeBody } from './marker';
import { channelOf, ID_FIELD, ORIGIN_FIELD, type ChannelRef } from './objects';
import { deleteConfirmed, keyValue, removeEach, restoreOrRecreate, sleep, type Restored } from '../kit';
import { flatten, isDeleted, recordErrors, toRecord } from './records';

/** Writes to one channel, one at a time across every load and rollback in this worker process. */
const channelLane = new KeyedSerializer();
const laneOf = (ch: ChannelRef) => `${ch.teamId}/${ch.channelId}`;

export interface TeamsDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

/**
 * Channel messages as a destination. Graph has no lookup by a key of ours and a reply can only be
 * addressed through its parent, so reads scan the channel once per call (GET messages?$expand=replies,
 * 50 per page) and index live messages by `id` and `forge_origin`; soft-deleted ones read as absent.
 * Writes go one request per record, in input order, one at a time (the per-channel throttle and
 * the conversation's order). Graph takes no idempotency key: a retried write finds what an earlier
 * attempt posted by its forge_origin (the load's reconcile step, and the duplicate check here).
 */
export function teamsDestination(api: GraphApi, options: TeamsDestinationOptions = {}): DestinationContract {


  async function scan(ch: ChannelRef): Promise<GraphMessage[]> {
    return flatten(await api.allWithReplies(ch));
  }

  function index(messages: GraphMessage[], keyField: string, live = true): Map<string, GraphMessage> {
    if (keyField !== ID_FIELD && keyField !== ORIGIN_FIELD) {
      throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `teams messages are found by ${ID_FIELD} or ${ORIGIN_FIELD}, not ${keyField}` });
    }
    const out = new Map<string, GraphMessage>();
    for (const m of messages) {
      if (live && isDeleted(m)) continue;
      const key = keyField === ID_FIELD ? m.id : decodeBody(m.body).origin;
      if (key && !out.has(key)) out.set(key, m);
    }
    return out;
  }

  const destination: DestinationContract = {
    async read(object, keyField, keys) {
      const found = index(await scan(channelOf(object)), keyField);
      return new Map(keys.map((key) => {
        const m = found.get(key);
        return [key, m ? toRecord(m) : null];
      }));
    },

    write: (object, op, keyField, records) => channelLane.run(laneOf(channelOf(object)), () => writeAll(object, op, keyField, records)),
    delete: (object, keyField, keys) => channelLane.run(laneOf(channelOf(object)), () => deleteAll(object, keyField, keys)),
    restore: (object, keyField, before) => channelLane.run(laneOf(channelOf(object)), () => restoreOne(object, keyField, before)),
  };
  return destination;

  async function writeAll(object: string, op: 'create' | 'update' | 'upsert', keyField: string, records: Rec[]): Promise<RecordResult[]> {
    const ch = channelOf(object);
    if (op === 'upsert') {
      return records.map((r, index) => ({ index, key: keyValue(r, keyField), outcome: 'failed', errors: [{ field: keyField, message: 'Teams messages support create, update and delete, not upsert' }] }));
    }
    const current = index(await scan(ch), keyField);
    const results: RecordResult[] = [];
    for (const [i, record] of records.entries()) {
      const key = keyValue(record, keyField);
      const failed = (errors: FieldError[]): RecordResult => ({ index: i, key, outcome: 'failed', errors });
      try {
        if (op === 'create') {
          if (key && keyField === ORIGIN_FIELD && current.has(key)) {
            results.push(failed([{ field: keyField, message: `a message with ${keyField} ${key} already exists (${current.get(key)!.id})` }]));
            continue;
          }
          const posted = await api.post(ch, bodyOf(record, null), stringOrNull(record.replyToId));
          if (key && keyField === ORIGIN_FIELD) current.set(key, posted); // a second record with the same key in this batch is a duplicate
          results.push({ index: i, key: key || posted.id, id: posted.id, outcome: 'created' });
        } else {
          const existing = key ? current.get(key) : undefined;
          if (!existing) {
            results.push(failed([{ field: keyField, message: `no live message with ${keyField} ${key}` }]));
            continue;
          }
          if ('replyToId' in record && (stringOrNull(record.replyToId) ?? null) !== (existing.replyToId ?? null)) {
            results.push(failed([{ field: 'replyToId', message: 'a message cannot move to another thread: replyToId cannot change' }]));
            continue;
          }
          await api.patch(ch, existing.id, existing.replyToId, bodyOf(record, existing));
          results.push({ index: i, key, id: existing.id, outcome: 'updated' });
        }
      } catch (err) {
        const errors = recordErrors(err);
        if (!errors) throw err;
        results.push(failed(errors));
      }
    }
    return results;
  }

  /** softDelete, confirmed by a scan that finds the message deleted (deletedDateTime set). */
  async function deleteAll(object: string, keyField: string, keys: string[]): Promise<RecordResult[]> {
    const ch = channelOf(object);
    const live = index(await scan(ch), keyField);
    return deleteConfirmed({
      systemName: 'Graph', object: 'channel message', keyField, keys, wait: options.wait ?? sleep,
      idsOf: async (wanted) => new Map(wanted.map((key) => [key, live.get(key)?.id ?? null])),
      remove: (targets) => removeEach(targets, 1, async (t) => {
        const message = live.get(t.key)!;
        await api.softDelete(ch, message.id, message.replyToId);
      }, recordErrors),
      stillPresent: async (ids) => {
        const stillLive = index(await scan(ch), ID_FIELD);
        return new Set(ids.filter((id) => stillLive.has(id)));
      },
    });
  }

  /** undoSoftDelete keeps the id; a message Graph no longer has at all is posted again (new id). */
  function restoreOne(object: string, _keyField: string, before: Rec): Promise<Restored> {
    const ch = channelOf(object);
    const id = typeof before[ID_FIELD] === 'string' ? before[ID_FIELD] : undefined;
    const parent = stringOrNull(before.replyToId);
    return restoreOrRecreate({
      native: async () => (id && await api.softDelete(ch, id, parent, true) ? id : null),
      recreate: async () => (await api.post(ch, bodyOf(before, null), parent)).id,
    });
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The body to send: the record's fields over the current message's (an update may set only some). */
function bodyOf(record: Rec, existing: GraphMessage | null) {
  const now = existing ? decodeBody(existing.body) : { content: '', contentType: 'text' as const, origin: null };
  const content = 'content' in record ? (record.content === null || record.content === undefined ? '' : String(record.content)) : now.content;
  const contentType = ('contentType' in record && record.contentType ? String(record.contentType) : now.contentType) as 'text' | 'html';
  const origin = ORIGIN_FIELD in record ? stringOrNull(record[ORIGIN_FIELD]) : now.origin;
  return encodeBody(content, contentType, origin);
}

