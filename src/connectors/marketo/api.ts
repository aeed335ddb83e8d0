import type { HttpClient } from '../../platform/http';

/** The Marketo REST endpoints the connector uses, typed; no decisions here. */
export type Resource = 'leads' | 'companies';
export type Entity = Record<string, unknown> & { id?: number };
export type Action = 'createOnly' | 'updateOnly' | 'createOrUpdate';

export interface SyncResult {
  id?: number;
  status?: string;
  reasons?: Array<{ code?: unknown; message?: unknown }>;
}

export interface ActivityPage<T> {
  result: T[];
  nextPageToken: string;
  moreResult: boolean;
}

export interface LeadChange {
  id: number;
  leadId: number;
  activityDate: string;
  activityTypeId: number;
}

interface Envelope<T> {
  result?: T[];
  nextPageToken?: string;
  moreResult?: boolean;
}

export class MarketoApi {
  constructor(private readonly http: HttpClient) {}

  /** GET /rest/v1/{leads|companies}.json?filterType=&filterValues=&fields= (at most 300 values), every page. */
  async byFilter(resource: Resource, filterType: string, values: string[], fields: string[]): Promise<Entity[]> {
    const found: Entity[] = [];
    let nextPageToken: string | undefined;
    do {
      const res = await this.http.request<Envelope<Entity>>({
        method: 'GET', path: `/rest/v1/${resource}.json`,
        query: { filterType, filterValues: values.join(','), fields: fields.join(','), ...(nextPageToken ? { nextPageToken } : {}) },
      });
      found.push(...(res.body.result ?? []));
      nextPageToken = res.body.result?.length ? res.body.nextPageToken : undefined;
    } while (nextPageToken);
    return found;
  }

  /** POST /rest/v1/leads.json { action, lookupField, input } (at most 300): one result per input, in order. */
  async syncLeads(action: Action, lookupField: string, input: Entity[]): Promise<SyncResult[]> {
    return (await this.http.request<Envelope<SyncResult>>({ method: 'POST', path: '/rest/v1/leads.json', json: { action, lookupField, input } })).body.result ?? [];
  }

  /** POST /rest/v1/companies.json { action, dedupeBy, input }. */
  async syncCompanies(action: Action, dedupeBy: 'dedupeFields' | 'idField', input: Entity[]): Promise<SyncResult[]> {
    return (await this.http.request<Envelope<SyncResult>>({ method: 'POST', path: '/rest/v1/companies.json', json: { action, dedupeBy, input } })).body.result ?? [];
  }

  /** POST /rest/v1/leads/delete.json { input: [{ id }] }. */
  async deleteLeads(ids: number[]): Promise<SyncResult[]> {
    return (await this.http.request<Envelope<SyncResult>>({ method: 'POST', path: '/rest/v1/leads/delete.json', json: { input: ids.map((id) => ({ id })) } })).body.result ?? [];
  }

  /** POST /rest/v1/companies/delete.json { deleteBy: idField, input: [{ id }] }. */
  async deleteCompanies(ids: number[]): Promise<SyncResult[]> {
    return (await this.http.request<Envelope<SyncResult>>({ method: 'POST', path: '/rest/v1/companies/delete.json', json: { deleteBy: 'idField', input: ids.map((id) => ({ id })) } })).body.result ?? [];
  }

  /** GET /rest/v1/activities/pagingtoken.json?sinceDatetime= */
  async pagingToken(since: Date): Promise<string> {
    return (await this.http.request<{ nextPageToken: string }>({ method: 'GET', path: '/rest/v1/activities/pagingtoken.json', query: { sinceDatetime: since.toISOString() } })).body.nextPageToken;
  }

  /** GET /rest/v1/activities/leadchanges.json?nextPageToken=&fields= (New Lead and Change Data Value activities). */
  async leadChanges(nextPageToken: string, fields: string[], batchSize: number): Promise<ActivityPage<LeadChange>> {
    return this.activities('/rest/v1/activities/leadchanges.json', { nextPageToken, fields: fields.join(','), batchSize });
  }

  /** GET /rest/v1/activities/deletedleads.json?nextPageToken= */
  async deletedLeads(nextPageToken: string, batchSize: number): Promise<ActivityPage<LeadChange>> {
    return this.activities('/rest/v1/activities/deletedleads.json', { nextPageToken, batchSize });
  }

  private async activities(path: string, query: Record<string, string | number>): Promise<ActivityPage<LeadChange>> {
    const body = (await this.http.request<Envelope<LeadChange>>({ method: 'GET', path, query })).body;
    return { result: body.result ?? [], nextPageToken: body.nextPageToken ?? String(query.nextPageToken), moreResult: body.moreResult === true };
  }
}
