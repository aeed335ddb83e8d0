import { isConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import { OBJECT_NOT_FOUND, type QboFault } from './errors';
import { MINOR_VERSION, type EntityName } from './objects';
import type { Entity } from './records';

/** The Accounting API v3 endpoints the connector uses, typed; no decisions here. */

export type BatchOperation = 'create' | 'update' | 'delete';

export interface BatchItemRequest {
  bId: string;
  operation: BatchOperation;
  entity: EntityName;
  body: Entity;
}

export interface BatchItemResponse {
  bId: string;
  Fault?: QboFault;
  [entity: string]: unknown;
}

export type QueryResponse = Record<string, unknown> & { startPosition?: number; maxResults?: number; totalCount?: number };

/** Largest MAXRESULTS of a query ("Query operations and syntax"). */
export const QUERY_PAGE_SIZE = 1000;
/** Encoded statements longer than this are sent in the body. */
const MAX_QUERY_IN_URL = 2000;

export class QboApi {
  constructor(private readonly http: HttpClient, private readonly realmId: string) {}

  private path(rest: string): string {
    return `/v3/company/${encodeURIComponent(this.realmId)}/${rest}`;
  }

  /**
   * GET /query?query=<select statement>: the QueryResponse. Long statements (30 names of up to 500
   * characters) go in a POST body as application/text, as the query docs allow, to stay clear of
   * URL length limits.
   */
  async query(statement: string): Promise<QueryResponse> {
    const inBody = encodeURIComponent(statement).length > MAX_QUERY_IN_URL;
    const res = await this.http.request<{ QueryResponse?: QueryResponse }>({
      method: inBody ? 'POST' : 'GET',
      path: this.path('query'),
      query: { ...(inBody ? {} : { query: statement }), minorversion: MINOR_VERSION },
      headers: { accept: 'application/json', ...(inBody ? { 'content-type': 'application/text' } : {}) },
      ...(inBody ? { body: statement } : {}),
    });
    return res.body?.QueryResponse ?? {};
  }

  /** GET /{resource}/{id}, inactive entries included; null for unknown and deleted ids (400, code 610). */
  async read(resource: string, entity: EntityName, id: string): Promise<Entity | null> {
    try {
      const res = await this.http.request<Record<string, Entity>>({
        method: 'GET', path: this.path(`${resource}/${encodeURIComponent(id)}`), query: { minorversion: MINOR_VERSION }, headers: { accept: 'application/json' },
      });
      return res.body?.[entity] ?? null;
    } catch (err) {
      if (isConnectorError(err) && err.code === OBJECT_NOT_FOUND) return null;
      throw err;
    }
  }

  /** POST /{resource}: a create, or an update when the body names an Id (sparse when it says so). */
  async write(resource: string, entity: EntityName, body: Entity, operation?: 'delete'): Promise<Entity> {
    const res = await this.http.request<Record<string, Entity>>({
      method: 'POST', path: this.path(resource), query: { minorversion: MINOR_VERSION, ...(operation ? { operation } : {}) }, json: body,
      headers: { accept: 'application/json' },
    });
    return res.body[entity];
  }

  /** POST /batch with at most 30 items; each answer carries its bId and either the entity or a Fault. */
  async batch(items: BatchItemRequest[]): Promise<BatchItemResponse[]> {
    const res = await this.http.request<{ BatchItemResponse?: BatchItemResponse[] }>({
      method: 'POST', path: this.path('batch'), query: { minorversion: MINOR_VERSION }, headers: { accept: 'application/json' },
      json: { BatchItemRequest: items.map((item) => ({ bId: item.bId, operation: item.operation, [item.entity]: item.body })) },
    });
    return res.body?.BatchItemResponse ?? [];
  }

  /** GET /cdc?entities=&changedSince=: the changed entities (and tombstones) of one kind. */
  async changes(entity: EntityName, changedSince: string): Promise<Entity[]> {
    const res = await this.http.request<{ CDCResponse?: Array<{ QueryResponse?: Array<Record<string, unknown>> }> }>({
      method: 'GET', path: this.path('cdc'), query: { entities: entity, changedSince, minorversion: MINOR_VERSION }, headers: { accept: 'application/json' },
    });
    return (res.body?.CDCResponse ?? []).flatMap((r) => r.QueryResponse ?? []).flatMap((q) => (Array.isArray(q[entity]) ? q[entity] as Entity[] : []));
  }

  /** The cheapest authenticated call: the company's own record. */
  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: this.path(`companyinfo/${encodeURIComponent(this.realmId)}`), query: { minorversion: MINOR_VERSION }, headers: { accept: 'application/json' } });
  }
}
