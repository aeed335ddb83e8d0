import { nestedField, readOnlyField, type CatalogObject } from '../kit';

/** Channels and their messages as conversations.history and chat.* present them (messages.ts presentMessage). */
export const slackCatalog: CatalogObject[] = [
  { name: 'channels', fields: [readOnlyField('id'), { name: 'name' }] },
  {
    name: 'messages',
    fields: [
      { name: 'text' }, { name: 'thread_ts' }, nestedField('metadata'), { name: 'channel' },
      ...['type', 'user', 'bot_id', 'app_id', 'ts', 'team', 'reply_count', 'reply_users', 'reply_users_count', 'latest_reply', 'parent_user_id']
        .map(readOnlyField),
      nestedField('edited', true),
    ],
  },
];
