import type { HttpClient, HttpRequest } from '../../platform/http';
import type { ObjectSpec, Rec } from '../contract';

export type Resource = Record<string, unknown>;

/** A quoted string in a `where` (quotes doubled) and in a key: BPCUSTOMER('O''NEIL'). */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Resources a query page asks for (count); api1 answers 20 by default. */
export const PAGE_COUNT = 100;

/**
 * The api1 web service on a folder endpoint, one class at a time with the representation of the
 * same name and the facet each operation needs ($details, $query, $create, $edit). No decisions here.
 */
export class SageX3Api {
  constructor(private readonly http: HttpClient, private readonly count = PAGE_COUNT) {}

  private one(spec: ObjectSpec, key: string): string {
    return `${spec.name}(${encodeURIComponent(quote(key))})`;
  }

  /** GET CLASS('KEY')?representation=CLASS.$details; null on 404. */
  async details(spec: ObjectSpec, key: string): Promise<Resource | null> {
    const res = await this.http.request<Resource>({ method: 'GET', path: this.one(spec, key), query: { representation: `${spec.name}.$details` }, expect: [404] });
    return res.status === 404 ? null : res.body;
  }

  /** GET CLASS?representation=CLASS.$query&where=…&orderBy=…&count=N, following $links.$next until the last page. */
  async query(spec: ObjectSpec, where: string, orderBy: string): Promise<Resource[]> {
    const rows: Resource[] = [];
    let request: HttpRequest | undefined = { method: 'GET', path: spec.name, query: { representation: `${spec.name}.$query`, where, orderBy, count: this.count } };
    while (request) {
      const body: QueryPage = (await this.http.request<QueryPage>(request)).body;
      rows.push(...(body.$resources ?? []));
      const next = body.$links?.$next?.$url;
      request = next ? { method: 'GET', path: next } : undefined;
    }
    return rows;
  }

  /** POST CLASS?representation=CLASS.$create: the created resource. */
  async create(spec: ObjectSpec, values: Rec): Promise<Resource> {
    return (await this.http.request<Resource>({ method: 'POST', path: spec.name, query: { representation: `${spec.name}.$create` }, json: values })).body;
  }

  /** PUT CLASS('KEY')?representation=CLASS.$edit with only the changed properties. */
  async update(spec: ObjectSpec, key: string, values: Rec): Promise<void> {
    await this.http.request({ method: 'PUT', path: this.one(spec, key), query: { representation: `${spec.name}.$edit` }, json: values });
  }

  /** DELETE CLASS('KEY'): false when it was not there (404). */
  async remove(spec: ObjectSpec, key: string): Promise<boolean> {
    const res = await this.http.request({ method: 'DELETE', path: this.one(spec, key), query: { representation: `${spec.name}.$details` }, expect: [404] });
    return res.status !== 404;
  }
}

interface QueryPage {
  $resources?: Resource[];
  $links?: { $next?: { $url?: string } };
}
