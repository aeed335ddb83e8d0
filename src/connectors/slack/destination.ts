import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, RecordResult } from '../contract';
import { deleteConfirmed, removeEach, sleep } from '../kit';
import { recordErrors, slackErrorCode, SYSTEM } from './errors';
import { MessageFinder } from './lookup';
import { channelOf, ORIGIN_FIELD, TS_FIELD } from './objects';
import { markerMetadata, stringValue, toRecord } from './records';
import type { SlackApi } from './slack-api';

/** One request at a time per channel: messages appear in the order they were loaded. */
const WRITE_CONCURRENCY = 1;

export interface SlackDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

function channelFor(object: string): string {
  const channel = channelOf(object);
  if (!channel) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack has no object ${object}: use messages:<channelId>, e.g. messages:C0123ABCD` });
  return channel;
}

export function slackDestination(api: SlackApi, options: SlackDestinationOptions = {}): DestinationContract {
  return {
    async read(object, keyField, keys, _fields, options) {
      const finder = new MessageFinder(api, channelFor(object));
      const unique = [...new Set(keys)];
      const found = await mapWithConcurrency(unique, 4, (key) => finder.find(keyField, key, options?.near));
      return new Map(unique.map((key, i) => [key, found[i] ? toRecord(found[i]!) : null]));
    },

    /**
     * create: chat.postMessage (text, thread_ts, forge_origin as metadata); update: chat.update by ts.
     * One message per request, one at a time. Refusals about one message fail its record; auth, rate
     * limits and outages are thrown for the activity's retry policy (which finds already-posted
     * messages again by forge_origin, so none is posted twice).
     */
    async write(object, op, keyField, records) {
      const channel = channelFor(object);
      const finder = new MessageFinder(api, channel);
      const posted: string[] = [];
      return mapWithConcurrency(records, WRITE_CONCURRENCY, async (record, index): Promise<RecordResult> => {
        const key = stringValue(record[keyField]);
        const failed = (errors: FieldError[]): RecordResult => ({ index, key, outcome: 'failed', errors });
        try {
          if (op === 'upsert') return failed([{ field: keyField, message: 'Slack messages cannot be upserted: Slack has no idempotent post. Use create, or update by ts/forge_origin' }]);
          if (op === 'create') {
            if (keyField === TS_FIELD && key !== '') return failed([{ field: TS_FIELD, message: 'Slack chooses ts when it posts a message: create messages keyed by forge_origin (or with ts left empty)' }]);
            const origin = keyField === ORIGIN_FIELD ? key : stringValue(record[ORIGIN_FIELD]);
            const threadTs = stringValue(record.thread_ts);
            const reply = await api.postMessage({
              channel, text: stringValue(record.text), ...(threadTs ? { thread_ts: threadTs } : {}), ...withMetadata(markerMetadata(origin)),
            });
            posted.push(reply.ts);
            return { index, key: key || reply.ts, id: reply.ts, outcome: 'created' };
          }
          const current = await finder.find(keyField, key);
          if (!current) return failed([{ field: keyField, message: `no message with ${keyField} ${key} in channel ${channel}` }]);
          const have = toRecord(current);
          if ('thread_ts' in record && stringValue(record.thread_ts) !== stringValue(have.thread_ts)) {
            return failed([{ field: 'thread_ts', message: 'a message cannot move between threads: thread_ts is set when it is posted' }]);
          }
          const text = 'text' in record ? stringValue(record.text) : stringValue(have.text);
          const origin = ORIGIN_FIELD in record ? stringValue(record[ORIGIN_FIELD]) : stringValue(have[ORIGIN_FIELD]);
          await api.update({ channel, ts: current.ts, text, ...withMetadata(markerMetadata(origin)) });
          return { index, key: key || current.ts, id: current.ts, outcome: 'updated' };
        } catch (err) {
          const errors = recordErrors(err);
          if (errors) return failed(errors);
          throw err;
        }
      }).catch(async (err: unknown) => {
        // A permanent failure midway (a revoked token) ends the load without a retry that would find
        // this call's posts again: take them back now (best effort) so none is left unreported.
        if (isConnectorError(err) && err.kind === 'permanent') {
          for (const ts of posted) await api.delete({ channel, ts }).catch(() => undefined);
        }
        throw err;
      });
    },

    /** chat.delete by ts, each confirmed by a read that no longer finds the message; a delete Slack answered ok but that left it is failed. */
    delete(object, keyField, keys) {
      const channel = channelFor(object);
      const finder = new MessageFinder(api, channel);
      return deleteConfirmed({
        systemName: 'Slack', object: `message in ${channel}`, keyField, keys, wait: options.wait ?? sleep,
        idsOf: async (wanted) => {
          const unique = [...new Set(wanted)];
          const found = await mapWithConcurrency(unique, 4, (key) => finder.find(keyField, key));
          return new Map(unique.map((key, i) => [key, found[i]?.ts ?? null]));
        },
        remove: (targets) => removeEach(targets, WRITE_CONCURRENCY, async (t) => {
          // message_not_found: gone already, which is what a delete wants
          await api.delete({ channel, ts: t.id }).catch((err: unknown) => { if (slackErrorCode(err) !== 'message_not_found') throw err; });
        }, recordErrors),
        stillPresent: async (tsList) => {
          const found = await mapWithConcurrency(tsList, 4, (ts) => api.message(channel, ts));
          return new Set(tsList.filter((_, i) => found[i] !== null));
        },
      });
    },

    /**
     * Slack cannot undelete: the message is posted again from its before-image (new ts), in its
     * thread when the parent is still there, marked with metadata restored_from = the old ts (and
     * its forge_origin, so it is found again by that key).
     */
    async restore(object, _keyField, before) {
      const channel = channelFor(object);
      const origin = stringValue(before[ORIGIN_FIELD]);
      const formerTs = stringValue(before[TS_FIELD]) || undefined;
      const threadTs = stringValue(before.thread_ts);
      const args = { channel, text: stringValue(before.text), ...withMetadata(markerMetadata(origin, formerTs)) };
      // A reply whose thread is gone is accepted by Slack but seen by nobody (README of the sandbox):
      // it goes back at the top level instead. A tombstoned parent still holds its thread.
      const threadThere = threadTs !== '' && (await api.message(channel, threadTs, { tombstones: true })) !== null;
      let posted;
      try {
        posted = await api.postMessage({ ...args, ...(threadThere ? { thread_ts: threadTs } : {}) });
      } catch (err) {
        if (!threadThere || slackErrorCode(err) !== 'invalid_thread_ts') throw err;
        posted = await api.postMessage(args); // the thread's parent is gone too: back at the top level
      }
      return { id: posted.ts, recreated: true };
    },
  };
}

function withMetadata(metadata: ReturnType<typeof markerMetadata>): { metadata?: NonNullable<ReturnType<typeof markerMetadata>> } {
  return metadata ? { metadata } : {};
}
