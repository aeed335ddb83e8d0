import type { HttpClient } from '../../platform/http';
import type { WorkdayConfig } from './auth';
import { ID_FIELD, PAGE_LIMIT, type WorkdayResource } from './objects';
import type { Resource } from './records';

/** One page of a collection: Workday answers { total, data: [...] } and pages with limit/offset. */
export interface ResourcePage {
  data: Resource[];
  total: number;
}

/**
 * The REST endpoints the connector uses, typed; no decisions here. Paths are
 * /ccx/api/<service>/<version>/<tenant>/<resource>[/<ID>], where ID is a Workday ID or a reference
 * ID written `<type>=<value>`.
 */
export class WorkdayApi {
  constructor(private readonly http: HttpClient, private readonly config: WorkdayConfig) {}

  /** The collection's path, or one resource's: `segment` is an {ID} already encoded (idSegment). */
  private path(target: WorkdayResource, segment?: string): string {
    const base = `/ccx/api/${target.service}/${target.version}/${encodeURIComponent(this.config.tenant)}/${target.path}`;
    return segment === undefined ? base : `${base}/${segment}`;
  }

  /** The {ID} a natural key's value is addressed by: the Workday ID itself, or `<type>=<value>` for a reference ID. */
  private idSegment(target: WorkdayResource, keyField: string, value: string): string {
    const type = target.refIdTypes[keyField];
    if (type === undefined) return encodeURIComponent(value);
    return `${typeof type === 'function' ? type(this.config) : type}=${encodeURIComponent(value)}`;
  }

  /** GET one by Workday ID; null when Workday answers 404. */
  get(target: WorkdayResource, id: string): Promise<Resource | null> {
    return this.getByKey(target, ID_FIELD, id);
  }

  /** GET one by a natural key (Workday ID or reference ID); null when Workday answers 404. */
  async getByKey(target: WorkdayResource, keyField: string, value: string): Promise<Resource | null> {
    const res = await this.http.request<Resource>({ method: 'GET', path: this.path(target, this.idSegment(target, keyField, value)), expect: [404] });
    return res.status === 404 ? null : res.body;
  }

  /** One page (at most PAGE_LIMIT items, Workday's cap) with the given filters. */
  async page(target: WorkdayResource, filters: Record<string, string>, offset: number, limit = PAGE_LIMIT): Promise<ResourcePage> {
    const res = await this.http.request<Partial<ResourcePage>>({ method: 'GET', path: this.path(target), query: { ...filters, limit, offset } });
    return { data: Array.isArray(res.body.data) ? res.body.data : [], total: Number(res.body.total ?? 0) };
  }

  async create(target: WorkdayResource, values: Record<string, unknown>): Promise<Resource> {
    return (await this.http.request<Resource>({ method: 'POST', path: this.path(target), json: values })).body;
  }

  async patch(target: WorkdayResource, id: string, values: Record<string, unknown>): Promise<Resource> {
    return (await this.http.request<Resource>({ method: 'PATCH', path: this.path(target, encodeURIComponent(id)), json: values })).body;
  }

  /** DELETE; a 404 (already gone) counts as done: the delete is confirmed by a read either way. */
  async remove(target: WorkdayResource, id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: this.path(target, encodeURIComponent(id)), expect: [404] });
  }
}
