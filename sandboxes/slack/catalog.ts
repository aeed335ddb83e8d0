import { nestedField, notMapped, readOnlyField, type CatalogDifferences, type CatalogObject } from '../kit';

/** Channels and their messages as conversations.history and chat.* present them (messages.ts presentMessage). */
export const slackCatalog: CatalogObject[] = [
  { name: 'channels', fields: [readOnlyField('id'), { name: 'name' }] },
  {
    name: 'messages',
    fields: [
      { name: 'text' }, { name: 'thread_ts' }, nestedField('metadata'), { name: 'channel' },
      ...['type', 'user', 'bot_id', 'app_id', 'ts', 'team', 'reply_count', 'reply_users', 'reply_users_count', 'latest_reply', 'parent_user_id', 'subtype', 'hidden']
        .map(readOnlyField),
      nestedField('edited', true),
      nestedField('files', true),
    ],
  },
];

export const slackCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { channels: 'the conversations a messages:<channel> object names' },
  connectorOnlyFields: {
    messages: {
      forge_origin: 'carried as message metadata (metadata.event_payload.origin)',
      forge_restored_from: 'carried as message metadata (metadata.event_payload.restored_from)',
      edited_ts: 'edited.ts, flattened',
    },
  },
  sandboxOnlyFields: {
    messages: {
      channel: 'named by the object (messages:<channel>)',
      metadata: 'read as forge_origin and forge_restored_from',
      edited: 'read as edited_ts',
      subtype: 'only tombstone (a deleted thread parent that keeps its replies), which the connector reads as a delete',
      ...Object.fromEntries(['type', 'team', 'reply_users', 'reply_users_count', 'latest_reply', 'parent_user_id', 'hidden'].map((f) => [f, notMapped])),
    },
  },
};
