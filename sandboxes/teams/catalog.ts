import { nestedField, notMapped, readOnlyField, type CatalogDifferences, type CatalogObject } from '../kit';

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

export const teamsCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { teams: 'the teams a messages:<team>/<channel> object names', channels: 'the channels a messages:<team>/<channel> object names' },
  connectorOnlyFields: {
    messages: {
      content: 'body.content, flattened',
      contentType: 'body.contentType, flattened',
      forge_origin: 'carried in the body, as a marker element (src/connectors/teams/marker.ts)',
      fromUserId: 'from.user.id, flattened',
      fromApplicationId: 'from.application.id, flattened (the app that sent the message: how the bridge knows its own posts)',
    },
  },
  writableOnOneSide: {
    messages: {
      attachments: 'Graph takes attachments on POST (a file placed in the body); the connector reads them (the bridge links shared files) and does not write them',
    },
  },
  sandboxOnlyFields: {
    messages: {
      body: 'read as content, contentType and forge_origin',
      from: 'read as fromUserId and fromApplicationId',
      channelIdentity: 'named by the object (messages:<team>/<channel>)',
      deletedDateTime: 'a soft-deleted message reads as absent',
      ...Object.fromEntries(['messageType', 'subject', 'summary', 'chatId', 'importance', 'locale', 'webUrl', 'policyViolation', 'eventDetail',
        'mentions', 'reactions'].map((f) => [f, notMapped])),
    },
  },
};
