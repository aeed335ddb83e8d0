import type { HttpClient, HttpResponse } from '../../platform/http';
import type { MessageBody } from './marker';
import type { ChannelRef } from './objects';

/** The Graph v1.0 channel-message endpoints the connector uses, typed; no decisions here. */
export interface GraphMessage {
  id: string;
  replyToId?: string | null;
  etag?: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string | null;
  lastEditedDateTime?: string | null;
  deletedDateTime?: string | null;
  from?: { user?: { id?: string } | null; application?: { id?: string } | null } | null;
  body: MessageBody;
  /** Files and cards on the message (a shared file is contentType 'reference' with name and contentUrl). */
  attachments?: GraphAttachment[];
  replies?: GraphMessage[];
}

/** A chatMessageAttachment (learn.microsoft.com/graph/api/resources/chatmessageattachment). */
export interface GraphAttachment {
  id?: string | null;
  contentType?: string | null;
  contentUrl?: string | null;
  name?: string | null;
}

interface Collection {
  value?: GraphMessage[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Largest page Graph serves for channel messages and replies. */
export const PAGE_SIZE = 50;

export class GraphApi {
  constructor(private readonly http: HttpClient) {}

  private messages(ch: ChannelRef): string {
    return `/teams/${encodeURIComponent(ch.teamId)}/channels/${encodeURIComponent(ch.channelId)}/messages`;
  }

  /** A message or reply's own path. */
  messagePath(ch: ChannelRef, id: string, parentId?: string | null): string {
    return parentId ? `${this.messages(ch)}/${encodeURIComponent(parentId)}/replies/${encodeURIComponent(id)}` : `${this.messages(ch)}/${encodeURIComponent(id)}`;
  }

  /** POST messages, or POST messages/{parent}/replies. */
  async post(ch: ChannelRef, body: MessageBody, parentId?: string | null): Promise<GraphMessage> {
    const path = parentId ? `${this.messages(ch)}/${encodeURIComponent(parentId)}/replies` : this.messages(ch);
    return (await this.http.request<GraphMessage>({ method: 'POST', path, json: { body } })).body;
  }

  /** PATCH the body (204 No Content). */
  async patch(ch: ChannelRef, id: string, parentId: string | null | undefined, body: MessageBody): Promise<void> {
    await this.http.request({ method: 'PATCH', path: this.messagePath(ch, id, parentId), json: { body } });
  }

  /** POST .../softDelete or .../undoSoftDelete (204). A 404 answers false. */
  async softDelete(ch: ChannelRef, id: string, parentId: string | null | undefined, undo = false): Promise<boolean> {
    const res = await this.http.request({ method: 'POST', path: `${this.messagePath(ch, id, parentId)}/${undo ? 'undoSoftDelete' : 'softDelete'}`, expect: [404] });
    return res.status !== 404;
  }

  /** Every root message of the channel with its replies (GET messages?$expand=replies, paged). */
  allWithReplies(ch: ChannelRef): Promise<GraphMessage[]> {
    return this.listRoots(ch, { $top: PAGE_SIZE, $expand: 'replies' });
  }

  /** Every root message of the channel, soft-deleted ones included as Graph lists them (GET messages, paged). */
  roots(ch: ChannelRef): Promise<GraphMessage[]> {
    return this.listRoots(ch, { $top: PAGE_SIZE });
  }

  private async listRoots(ch: ChannelRef, firstQuery: Record<string, string | number>): Promise<GraphMessage[]> {
    const out: GraphMessage[] = [];
    let path: string | undefined = this.messages(ch);
    let query: Record<string, string | number> | undefined = firstQuery;
    while (path) {
      const page: Collection = (await this.http.request<Collection>({ method: 'GET', path, query })).body;
      out.push(...(page.value ?? []));
      path = page['@odata.nextLink'];
      query = undefined;
    }
    return out;
  }

  /** Every reply of a root message (GET messages/{id}/replies, paged); null when the root is gone. */
  async replies(ch: ChannelRef, rootId: string): Promise<GraphMessage[] | null> {
    const out: GraphMessage[] = [];
    let path: string | undefined = `${this.messages(ch)}/${encodeURIComponent(rootId)}/replies`;
    let query: Record<string, string | number> | undefined = { $top: PAGE_SIZE };
    while (path) {
      const res: HttpResponse<Collection> = await this.http.request<Collection>({ method: 'GET', path, query, expect: [404] });
      if (res.status === 404) return null;
      out.push(...(res.body.value ?? []));
      path = res.body['@odata.nextLink'];
      query = undefined;
    }
    return out;
  }

  /** One page of the channel's delta: from a nextLink / deltaLink, or the start of a full sync. */
  async deltaPage(ch: ChannelRef, link: string | null): Promise<Collection> {
    const req = link ? { method: 'GET', path: link } : { method: 'GET', path: `${this.messages(ch)}/delta`, query: { $top: PAGE_SIZE } };
    return (await this.http.request<Collection>(req)).body;
  }

  /** The delta link for a $deltatoken the cursor kept. */
  deltaLinkFor(ch: ChannelRef, deltaToken: string): string {
    return `${this.messages(ch)}/delta?$deltatoken=${encodeURIComponent(deltaToken)}`;
  }

  /** The cheapest delegated call: who the token belongs to. */
  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: '/me' });
  }
}
