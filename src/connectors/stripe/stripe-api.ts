import { randomUUID } from 'node:crypto';
import type { HttpClient, HttpRequest, HttpResponse } from '../../platform/http';
import { STRIPE_API_VERSION } from './objects';
import type { StripeEntity } from './records';

/**
 * The Stripe endpoints the connector uses, typed; no decisions here. Every request pins
 * `Stripe-Version` (STRIPE_API_VERSION), so no account's default version decides the parameters and
 * shapes (docs.stripe.com/api/versioning).
 */

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

/** Pages of a search or list followed at most this far (a guard against a cursor that does not advance). */
const MAX_PAGES = 1000;

export class StripeApi {
  constructor(private readonly http: HttpClient) {}

  private request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    return this.http.request<T>({ ...req, headers: { ...req.headers, 'Stripe-Version': STRIPE_API_VERSION } });
  }

  /** GET /v1/{collection}/{id}; null for 404 (a deleted customer answers its `deleted: true` stub). */
  async retrieve(collection: string, id: string): Promise<StripeEntity | null> {
    const res = await this.request<StripeEntity>({ method: 'GET', path: `/v1/${collection}/${encodeURIComponent(id)}`, expect: [404] });
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
    await this.request({ method: 'DELETE', path: `/v1/${collection}/${encodeURIComponent(id)}`, expect: [404] });
  }

  /** GET /v1/{collection}/search?query=..., every page (`next_page` followed while `has_more`). */
  async searchAll(collection: string, query: string): Promise<StripeEntity[]> {
    const found: StripeEntity[] = [];
    let page: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const res = (await this.request<StripeList<StripeEntity>>({ method: 'GET', path: `/v1/${collection}/search`, query: { query, limit: PAGE_LIMIT, page } })).body;
      found.push(...res.data);
      if (!res.has_more || !res.next_page) return found;
      if (res.next_page === page) throw new Error(`stripe search of ${collection} did not advance past page ${page}`);
      page = res.next_page;
    }
    throw new Error(`stripe search of ${collection} has more than ${MAX_PAGES} pages`);
  }

  /** GET /v1/{collection}?<filter>=... (one page). */
  async list(collection: string, filters: Record<string, string>, limit = PAGE_LIMIT): Promise<StripeList<StripeEntity>> {
    return (await this.request<StripeList<StripeEntity>>({ method: 'GET', path: `/v1/${collection}`, query: { ...filters, limit } })).body;
  }

  /** GET /v1/events: one page, newest first, of one `type` (`*` wildcard) or of several `types`. */
  async events(query: { type?: string; types?: string[]; createdGte?: number; startingAfter?: string }): Promise<StripeList<StripeEvent>> {
    const types = Object.fromEntries((query.types ?? []).map((t, i) => [`types[${i}]`, t]));
    const res = await this.request<StripeList<StripeEvent>>({
      method: 'GET',
      path: '/v1/events',
      query: { type: query.type, ...types, limit: PAGE_LIMIT, 'created[gte]': query.createdGte, starting_after: query.startingAfter },
    });
    return res.body;
  }

  /** GET /v1/invoices/{id}/lines, every page, in Stripe's order. */
  async invoiceLines(invoiceId: string): Promise<StripeEntity[]> {
    const lines: StripeEntity[] = [];
    let startingAfter: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const res = (await this.request<StripeList<StripeEntity>>({
        method: 'GET', path: `/v1/invoices/${encodeURIComponent(invoiceId)}/lines`, query: { limit: PAGE_LIMIT, starting_after: startingAfter },
      })).body;
      lines.push(...res.data);
      const last = res.data[res.data.length - 1];
      if (!res.has_more || !last) return lines;
      startingAfter = last.id;
    }
    throw new Error(`stripe invoice ${invoiceId} has more than ${MAX_PAGES} pages of lines`);
  }

  /** The cheapest authenticated call. */
  async probe(): Promise<void> {
    await this.request({ method: 'GET', path: '/v1/customers', query: { limit: 1 } });
  }

  private async post(path: string, params: Record<string, unknown>, idempotencyKey: string | undefined): Promise<StripeEntity> {
    // A caller without a stable key (none was handed down) still gets one, so this very call is safe to resend.
    const key = idempotencyKey ?? `forge-${randomUUID()}`;
    const res = await this.request<StripeEntity>({ method: 'POST', path, form: params, headers: { 'Idempotency-Key': key } });
    return res.body;
  }
}
