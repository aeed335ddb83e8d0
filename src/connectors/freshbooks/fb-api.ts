import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import { SYSTEM } from './auth';
import { UNKNOWN_RESOURCE } from './errors';
import type { FbObject } from './objects';
import type { Resource } from './records';

/** The accounting endpoints the connector uses, typed; no decisions here. */

export interface ResourcePage {
  items: Resource[];
  page: number;
  pages: number;
}

/** FreshBooks' largest page. */
export const PER_PAGE = 100;

export class FbApi {
  constructor(private readonly http: HttpClient, private readonly accountId: string) {}

  private path(target: FbObject, id?: string): string {
    const base = `/accounting/account/${encodeURIComponent(this.accountId)}/${target.path}`;
    return id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
  }

  /** GET one, deleted ones included (vis_state 1); null for 404 UnknownResource. */
  async get(target: FbObject, id: string): Promise<Resource | null> {
    try {
      const res = await this.http.request<{ response: { result: Record<string, Resource> } }>({ method: 'GET', path: this.path(target, id) });
      return res.body.response.result[target.single] ?? null;
    } catch (err) {
      if (isConnectorError(err) && err.status === 404 && err.code === UNKNOWN_RESOURCE) return null;
      throw err;
    }
  }

  /** One page of a list, with search[<name>]=<value> filters. */
  async list(target: FbObject, searches: Record<string, string>, page: number): Promise<ResourcePage> {
    const query: Record<string, string | number> = { page, per_page: PER_PAGE };
    for (const [name, value] of Object.entries(searches)) query[`search[${name}]`] = value;
    const res = await this.http.request<{ response: { result: Record<string, unknown> } }>({ method: 'GET', path: this.path(target), query });
    const result = res.body.response.result;
    const items = result[target.collection];
    return { items: Array.isArray(items) ? items as Resource[] : [], page: Number(result.page ?? page), pages: Number(result.pages ?? 0) };
  }

  /** Every page of a list. */
  async listAll(target: FbObject, searches: Record<string, string>): Promise<Resource[]> {
    const all: Resource[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.list(target, searches, page);
      all.push(...answer.items);
      if (answer.items.length === 0 || page >= answer.pages) return all;
    }
  }

  async create(target: FbObject, values: Record<string, unknown>): Promise<Resource> {
    const res = await this.http.request<{ response: { result: Record<string, Resource> } }>({ method: 'POST', path: this.path(target), json: { [target.single]: values } });
    return res.body.response.result[target.single];
  }

  /** PUT the keys given. Never with vis_state: FreshBooks would apply only that and drop the rest. */
  async update(target: FbObject, id: string, values: Record<string, unknown>): Promise<Resource> {
    if ('vis_state' in values) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: 'freshbooks: vis_state is changed on its own (setVisState), never in a data update' });
    const res = await this.http.request<{ response: { result: Record<string, Resource> } }>({ method: 'PUT', path: this.path(target, id), json: { [target.single]: values } });
    return res.body.response.result[target.single];
  }

  /** PUT { <single>: { vis_state } } alone: 1 deletes, 0 restores ("Active and Deleted Objects"). */
  async setVisState(target: FbObject, id: string, visState: 0 | 1): Promise<Resource> {
    const res = await this.http.request<{ response: { result: Record<string, Resource> } }>({ method: 'PUT', path: this.path(target, id), json: { [target.single]: { vis_state: visState } } });
    return res.body.response.result[target.single];
  }

  /** The signed-in identity's businesses: { businessId, accountId } pairs. */
  async businesses(): Promise<Array<{ businessId: string; accountId: string }>> {
    const res = await this.http.request<{ response?: { business_memberships?: Array<{ business?: { id?: unknown; account_id?: unknown } }> } }>({ method: 'GET', path: '/auth/api/v1/users/me' });
    return (res.body.response?.business_memberships ?? []).map((m) => ({ businessId: String(m.business?.id ?? ''), accountId: String(m.business?.account_id ?? '') }));
  }
}
