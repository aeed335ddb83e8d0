import { ConnectorError } from '../../platform/errors';
import type { ObjectSpec } from '../contract';
import { readOnlyField } from '../kit';
import { SYSTEM } from './auth';

/**
 * A Teams channel's messages are one object whose name carries the channel, resolved at run time
 * through ConnectorDefinition.customObject: `messages:<teamId>/<channelId>` (a channel id such as
 * 19:abc@thread.tacv2 has no '/'). Records are flat: `content` and `contentType` are Graph's
 * body.content / body.contentType, `replyToId` the parent of a reply (set: the message is posted as
 * a reply), `forge_origin` the platform marker (marker.ts). Natural keys: Graph's `id`, or
 * `forge_origin` (the caller's own id, kept on the message: what a create load is keyed by).
 */
export const ID_FIELD = 'id';
export const ORIGIN_FIELD = 'forge_origin';
export const OBJECT_PREFIX = 'messages:';
/** Graph's from.application.id: the app that sent the message (null for a person in the Teams client). */
export const FROM_APPLICATION_FIELD = 'fromApplicationId';
/** Graph's attachments[] as { id, contentType, name, contentUrl } (a shared file is contentType 'reference'). */
export const ATTACHMENTS_FIELD = 'attachments';
/**
 * One request per record, in order, one at a time per channel: Graph throttles channel messages at
 * about 4 requests per second per app per channel (3,000 messages per app per day per channel), and
 * a conversation's order matters (writes to one channel are serialised in the worker: destination.ts). A chunk of 50 is about 13 s at that rate.
 */
export const CHUNK_SIZE = 50;

export interface ChannelRef {
  teamId: string;
  channelId: string;
}

export function parseChannelObject(object: string): ChannelRef | undefined {
  if (!object.startsWith(OBJECT_PREFIX)) return undefined;
  const rest = object.slice(OBJECT_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) >= 0) return undefined;
  return { teamId: rest.slice(0, slash), channelId: rest.slice(slash + 1) };
}

export function channelOf(object: string): ChannelRef {
  const channel = parseChannelObject(object);
  if (!channel) {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `teams object "${object}" is not of the form messages:<teamId>/<channelId>` });
  }
  return channel;
}

export function messagesSpec(name: string): ObjectSpec {
  return {
    name,
    naturalKeys: [ID_FIELD, ORIGIN_FIELD],
    fields: [
      readOnlyField(ID_FIELD),
      { name: 'content', type: 'string', required: true },
      { name: 'contentType', type: 'string' },
      { name: 'replyToId', type: 'string' },
      { name: ORIGIN_FIELD, type: 'string' },
      readOnlyField('createdDateTime', 'datetime'),
      readOnlyField('lastModifiedDateTime', 'datetime'),
      readOnlyField('lastEditedDateTime', 'datetime'),
      readOnlyField('etag'),
      readOnlyField('fromUserId'),
      readOnlyField(FROM_APPLICATION_FIELD),
      readOnlyField(ATTACHMENTS_FIELD, 'json'),
    ],
    operations: ['create', 'update', 'delete'],
    batchSize: CHUNK_SIZE,
    cursor: 'delta-link',
    notes: 'Messages of one channel: object messages:<teamId>/<channelId>. create posts (a reply when replyToId is set); update PATCHes the body '
      + '(delegated tokens only: Graph lets app-only callers PATCH policy fields alone); delete is softDelete, confirmed by a read that finds '
      + 'deletedDateTime set; rollback restores with undoSoftDelete (same id). No upsert: Graph has no lookup by a key of ours. '
      + 'replyToId cannot change after posting. Key create loads by forge_origin.',
  };
}

export function teamsCustomObject(name: string): ObjectSpec | undefined {
  return parseChannelObject(name) ? messagesSpec(name) : undefined;
}
