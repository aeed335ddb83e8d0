import { nestedField, readOnlyField, type CatalogObject } from '../kit';

/** Teams, channels and channel messages as Microsoft Graph presents them (messages.ts presentMessage). */
export const teamsCatalog: CatalogObject[] = [
  { name: 'teams', fields: [readOnlyField('id'), { name: 'displayName' }] },
  { name: 'channels', fields: [readOnlyField('id'), { name: 'teamId' }, { name: 'displayName' }] },
  {
    name: 'messages',
    fields: [
      nestedField('body'), { name: 'replyToId' }, { name: 'subject' }, { name: 'importance' }, { name: 'attachments' }, { name: 'mentions' },
      ...['id', 'etag', 'messageType', 'createdDateTime', 'lastModifiedDateTime', 'lastEditedDateTime', 'deletedDateTime', 'summary', 'chatId',
        'locale', 'webUrl', 'policyViolation', 'eventDetail', 'reactions'].map(readOnlyField),
      nestedField('from', true), nestedField('channelIdentity', true),
    ],
  },
];
