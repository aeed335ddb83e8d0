import type { HttpClient } from '../../platform/http';

/** The Zendesk Support REST API v2 endpoints the connector uses, typed; no decisions here. */
export type Resource = 'tickets' | 'users';

export interface Entity {
  id: number;
  updated_at?: string;
  [field: string]: unknown;
}

export interface JobResult {
  index?: number;
  id?: number;
  action?: string;
  success?: boolean;
  status?: string;
  error?: string;
  details?: string;
}

export interface JobStatus {
  id: string;
  status: 'queued' | 'working' | 'failed' | 'completed' | string;
  total?: number | null;
  progress?: number | null;
  message?: string | null;
  results?: JobResult[] | { success: boolean } | null;
}

export interface ExportPage {
  items: Entity[];
  afterCursor: string | null;
  endOfStream: boolean;
}

/** Records per create_many / update_many / destroy_many / show_many call. */
export const BULK_LIMIT = 100;
/** Largest incremental export page. */
export const EXPORT_PAGE_LIMIT = 1000;

const API = '/api/v2';

export class ZendeskApi {
  constructor(private readonly http: HttpClient) {}

  /** GET /{resource}/show_many.json?ids= (at most 100). Deleted tickets are not returned. */
  async showMany(resource: Resource, ids: string[], by: 'ids' | 'external_ids' = 'ids'): Promise<Entity[]> {
    const res = await this.http.request<Record<string, Entity[]>>({ method: 'GET', path: `${API}/${resource}/show_many.json`, query: { [by]: ids.join(',') } });
    return res.body[resource] ?? [];
  }

  /** GET /tickets.json?external_id= (external ids of tickets are not unique). */
  async ticketsByExternalId(externalId: string): Promise<Entity[]> {
    return (await this.http.request<{ tickets?: Entity[] }>({ method: 'GET', path: `${API}/tickets.json`, query: { external_id: externalId } })).body.tickets ?? [];
  }

  /** GET /users/search.json?query=email:<address> (search reads an index that trails writes). */
  async usersByEmail(email: string): Promise<Entity[]> {
    return (await this.http.request<{ users?: Entity[] }>({ method: 'GET', path: `${API}/users/search.json`, query: { query: `email:${email}` } })).body.users ?? [];
  }

  /** POST /{resource}/create_many.json: queues a job. */
  async createMany(resource: Resource, items: Array<Record<string, unknown>>): Promise<JobStatus> {
    return this.job('POST', `${API}/${resource}/create_many.json`, { [resource]: items });
  }

  /** PUT /{resource}/update_many.json with a different change per item ({ id, ... }): queues a job. */
  async updateMany(resource: Resource, items: Array<Record<string, unknown>>): Promise<JobStatus> {
    return this.job('PUT', `${API}/${resource}/update_many.json`, { [resource]: items });
  }

  /** DELETE /{resource}/destroy_many.json?ids=: queues a job. */
  async destroyMany(resource: Resource, ids: string[]): Promise<JobStatus> {
    const res = await this.http.request<{ job_status: JobStatus }>({ method: 'DELETE', path: `${API}/${resource}/destroy_many.json`, query: { ids: ids.join(',') } });
    return res.body.job_status;
  }

  /** GET /job_statuses/{id}.json */
  async jobStatus(id: string): Promise<JobStatus> {
    return (await this.http.request<{ job_status: JobStatus }>({ method: 'GET', path: `${API}/job_statuses/${encodeURIComponent(id)}.json` })).body.job_status;
  }

  /** POST /tickets.json or /users.json: one record, synchronously (422 RecordInvalid names fields). */
  async createOne(resource: Resource, values: Record<string, unknown>): Promise<Entity> {
    const single = resource === 'tickets' ? 'ticket' : 'user';
    return (await this.http.request<Record<string, Entity>>({ method: 'POST', path: `${API}/${resource}.json`, json: { [single]: values } })).body[single];
  }

  /** PUT /deleted_tickets/{id}/restore: false when Zendesk no longer has it (purged after 30 days). */
  async restoreTicket(id: string): Promise<boolean> {
    const res = await this.http.request({ method: 'PUT', path: `${API}/deleted_tickets/${encodeURIComponent(id)}/restore`, expect: [404] });
    return res.status !== 404;
  }

  /** GET /incremental/{resource}/cursor.json: one page, from a start time or a cursor. */
  async exportPage(resource: Resource, from: { cursor: string } | { startTime: number }, perPage: number): Promise<ExportPage> {
    const query = 'cursor' in from ? { cursor: from.cursor, per_page: perPage } : { start_time: from.startTime, per_page: perPage };
    const res = await this.http.request<Record<string, unknown>>({ method: 'GET', path: `${API}/incremental/${resource}/cursor.json`, query });
    const body = res.body;
    return {
      items: Array.isArray(body[resource]) ? body[resource] as Entity[] : [],
      afterCursor: typeof body.after_cursor === 'string' ? body.after_cursor : null,
      endOfStream: body.end_of_stream === true,
    };
  }

  /** The cheapest authenticated call. */
  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: `${API}/users/me.json` });
  }

  private async job(method: string, path: string, json: unknown): Promise<JobStatus> {
    return (await this.http.request<{ job_status: JobStatus }>({ method, path, json })).body.job_status;
  }
}
