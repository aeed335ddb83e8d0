import type { HttpClient, HttpRequest } from '../../platform/http';
import type { Rec } from '../contract';
import type { Sage300Resource } from './objects';

export type Entity = Record<string, unknown>;

/** Entities asked for a page ($top); the server may answer fewer (its Web.config PageSize, 100 by default). */
export const PAGE_SIZE = 1000;

/** The Web API refuses (500) a request without Content-Type: application/json, a GET or DELETE too. */
export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** An OData string literal: single quotes doubled (OData ABNF, SQUOTE-in-string). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The Web API's OData endpoints for one company, typed; no decisions here.
 * https://<server>/Sage300WebApi/v1.0/-/{company}/{module}/{resource}('{key}')
 */
export class Sage300Api {
  constructor(private readonly http: HttpClient, private readonly pageSize = PAGE_SIZE) {}

  entityPath(resource: Sage300Resource, key: string): string {
    return `${resource.path}(${encodeURIComponent(literal(key))})`;
  }

  /** GET {resource}?$top=1: the credentials and company work. */
  async probe(resource: Sage300Resource): Promise<void> {
    await this.http.request({ method: 'GET', path: resource.path, headers: JSON_HEADERS, query: { $top: 1 } });
  }

  /** GET {resource}('{key}'); null on 404. */
  async get(resource: Sage300Resource, key: string, select: string[]): Promise<Entity | null> {
    const res = await this.http.request<Entity>({ method: 'GET', path: this.entityPath(resource, key), headers: JSON_HEADERS, query: { $select: select.join(',') }, expect: [404] });
    return res.status === 404 ? null : res.body;
  }

  /**
   * GET {resource}?$filter=…, page by page with $skip (the Developer Reference's paging): the
   * server's page size is set in its Web.config (100 by default) and may be smaller than the $top
   * asked, so pages are read until one comes back empty. An @odata.nextLink, where a server sends
   * one, is followed instead. `max`: no more can match (reads by key), so a full count ends the read.
   */
  async list(resource: Sage300Resource, filter: string, select: string[], max = Infinity): Promise<Entity[]> {
    const rows: Entity[] = [];
    let request: HttpRequest | undefined = { method: 'GET', path: resource.path, headers: JSON_HEADERS, query: { $filter: filter, $select: select.join(','), $top: this.pageSize, $skip: 0 } };
    while (request) {
      const body: { value?: Entity[]; '@odata.nextLink'?: string } = (await this.http.request<{ value?: Entity[]; '@odata.nextLink'?: string }>(request)).body;
      const page = body.value ?? [];
      rows.push(...page);
      const next = body['@odata.nextLink'];
      request = next ? { method: 'GET', path: next, headers: JSON_HEADERS }
        : page.length > 0 && rows.length < max ? { ...request, query: { ...request.query, $skip: rows.length } } : undefined;
    }
    return rows;
  }

  /** POST {resource}: the created entity. */
  async create(resource: Sage300Resource, values: Rec): Promise<Entity> {
    return (await this.http.request<Entity>({ method: 'POST', path: resource.path, headers: JSON_HEADERS, json: values })).body;
  }

  /** PATCH {resource}('{key}'): only the properties sent change. */
  async update(resource: Sage300Resource, key: string, values: Rec): Promise<void> {
    await this.http.request({ method: 'PATCH', path: this.entityPath(resource, key), headers: JSON_HEADERS, json: values });
  }

  /** DELETE {resource}('{key}'): false when it was not there (404). */
  async remove(resource: Sage300Resource, key: string): Promise<boolean> {
    const res = await this.http.request({ method: 'DELETE', path: this.entityPath(resource, key), headers: JSON_HEADERS, expect: [404] });
    return res.status !== 404;
  }
}
