import type { FieldError, Rec } from '../contract';
import { recordLevelErrors } from '../kit';
import type { GraphMessage } from './graph-api';
import { decodeBody } from './marker';
import { FROM_APPLICATION_FIELD, ID_FIELD, ORIGIN_FIELD } from './objects';

/** A Graph chatMessage as the platform's flat record (marker taken out of the body). */
export function toRecord(message: GraphMessage): Rec {
  const { content, contentType, origin } = decodeBody(message.body ?? { contentType: 'text', content: '' });
  return {
    [ID_FIELD]: message.id,
    content,
    contentType,
    replyToId: message.replyToId ?? null,
    [ORIGIN_FIELD]: origin,
    createdDateTime: message.createdDateTime ?? null,
    lastModifiedDateTime: message.lastModifiedDateTime ?? null,
    lastEditedDateTime: message.lastEditedDateTime ?? null,
    etag: message.etag ?? null,
    fromUserId: message.from?.user?.id ?? null,
    [FROM_APPLICATION_FIELD]: message.from?.application?.id ?? null,
    attachments: (message.attachments ?? []).map((a) => ({ id: a.id ?? null, contentType: a.contentType ?? null, name: a.name ?? null, contentUrl: a.contentUrl ?? null })),
  };
}

export function isDeleted(message: GraphMessage): boolean {
  return typeof message.deletedDateTime === 'string' && message.deletedDateTime !== '';
}

/** When the message last changed: its deletion, else its last modification. */
export function changedAt(message: GraphMessage): string {
  return (isDeleted(message) ? message.deletedDateTime : message.lastModifiedDateTime ?? message.createdDateTime) ?? '';
}

/** Every message of a scan (root messages and their replies), flat. */
export function flatten(roots: GraphMessage[]): GraphMessage[] {
  return roots.flatMap((root) => [root, ...(root.replies ?? [])]);
}

/** Errors that belong to one record (a refused property, a vanished message): the record fails, the load goes on. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  return recordLevelErrors(err);
}
