import { randomUUID } from 'node:crypto';
import type { HttpClient } from '../../platform/http';
import type { StripeEntity } from './records';

/** The Stripe endpoints the connector uses, typed; no decisions here. */

export interface StripeList<T> {
  object: 'list' | 'search_result';
  data: T[];
  has_more: boolean;
  next_page?: string | null;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  created: number;
  type: string;
  data: { object: StripeEntity; previous_attributes?: Record<string, unknown> };
}

/** Largest page of every list and search endpoint. */
export const PAGE_LIMIT = 100;

export class StripeApi {
  constructor(private readonly http: HttpClient) {}

  /** GET /v1/{collection}/{id}; null for 404 (a deleted customer answers its `deleted: true` stub). */
  async retrieve(collection: string, id: string): Promise<StripeEntity | null> {
    const res = await this.http.request<StripeEntity>({ method: 'GET', path: `/v1/${collection}/${encodeURIComponent(id)}`, expect: [404] });
    return res.status === 404 ? null : res.body;
  }

  /** POST /v1/{collection}: every POST carries an Idempotency-Key, so a retried call never creates twice. */
  async create(collection: string, params: Record<string, unknown>, idempotencyKey: string | undefined): Promise<StripeEntity> {
    return this.post(`/v1/${collection}`, params, idempotencyKey);
  }

  async update(collection: string, id: string, params: Record<string, unknown>, idempotencyKey: string | undefined): Promise<StripeEntity> {
    return this.post(`/v1/${collection}/${encodeURIComponent(id)}`, params, idempotencyKey);
  }

  /** DELETE /v1/{collection}/{id} (DELETE needs no idempotency key: repeating it changes nothing). 404 counts as gone. */
  async remove(collection: string, id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/v1/${collection}/${encodeURIComponent(id)}`, expect: [404] });
  }

  /** GET /v1/{collection}/search?query=... (one page). */
  async search(collection: string, query: string, limit = PAGE_LIMIT): Promise<StripeList<StripeEntity>> {
    return (await this.http.request<StripeList<StripeEntity>>({ method: 'GET', path: `/v1/${collection}/search`, query: { query, limit } })).body;
  }

  /** GET /v1/{collection}?<filter>=... (one page). */
  async list(collection: string, filters: Record<string, string>, limit = PAGE_LIMIT): Promise<StripeList<StripeEntity>> {
    return (await this.http.request<StripeList<StripeEntity>>({ method: 'GET', path: `/v1/${collection}`, query: { ...filters, limit } })).body;
  }

  /** GET /v1/events: one page, newest first. */
  async events(query: { type: string; createdGte?: number; startingAfter?: string }): Promise<StripeList<StripeEvent>> {
    const res = await this.http.request<StripeList<StripeEvent>>({
      method: 'GET',
      path: '/v1/events',
      query: { type: query.type, limit: PAGE_LIMIT, 'created[gte]': query.createdGte, starting_after: query.startingAfter },
    });
    return res.body;
  }

  /** The cheapest authenticated call. */
  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: '/v1/customers', query: { limit: 1 } });
  }

  private async post(path: string, params: Record<string, unknown>, idempotencyKey: string | undefined): Promise<StripeEntity> {
    // A caller without a stable key (none was handed down) still gets one, so this very call is safe to resend.
    const key = idempotencyKey ?? `forge-${randomUUID()}`;
    const res = await this.http.request<StripeEntity>({ method: 'POST', path, form: params, headers: { 'Idempotency-Key': key } });
    return res.body;
  }
}
