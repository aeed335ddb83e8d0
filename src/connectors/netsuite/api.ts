import { randomUUID } from 'node:crypto';
import { classifyHttp } from '../../platform/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../platform/http';
import { pollJob } from '../kit';
import { extractCode, extractFields, SYSTEM } from './errors';

/** The NetSuite endpoints the connector uses (REST record service v1, SuiteQL, async jobs); no decisions here. */

const RECORD = '/services/rest/record/v1';
/** SuiteQL's page cap (Collection Paging: at most 1000 results a page). */
export const SUITEQL_PAGE_LIMIT = 1000;

export interface SuiteqlPage {
  items: Array<Record<string, unknown>>;
  hasMore: boolean;
}

interface JobStatus {
  completed?: boolean;
  progress?: string;
}

interface Links {
  links?: Array<{ rel?: string; href?: string }>;
}

export interface NetSuiteApiOptions {
  /** Writes go as asynchronous jobs (Prefer: respond-async), polled to completion. */
  respondAsync: boolean;
  /** Reports job progress (ConnectorContext.heartbeat) while a job is polled. */
  heartbeat?: (progress: unknown) => void;
}

const ERROR_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);

export class NetSuiteApi {
  constructor(private readonly http: HttpClient, private readonly options: NetSuiteApiOptions) {}

  /** POST /query/v1/suiteql (Prefer: transient): one page. */
  async suiteql(q: string, limit: number, offset = 0): Promise<SuiteqlPage> {
    const res = await this.http.request<SuiteqlPage>({
      method: 'POST', path: '/services/rest/query/v1/suiteql', query: { limit, offset }, headers: { prefer: 'transient' }, json: { q },
    });
    return { items: res.body?.items ?? [], hasMore: res.body?.hasMore === true };
  }

  /** Every row of a query, page after page (offsets are multiples of the page size, as NetSuite requires). */
  async suiteqlAll(q: string, max = Number.POSITIVE_INFINITY): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    const limit = Math.min(SUITEQL_PAGE_LIMIT, Math.max(1, max));
    for (let offset = 0; rows.length < max; offset += limit) {
      const page = await this.suiteql(q, limit, offset);
      rows.push(...page.items);
      if (!page.hasMore || page.items.length === 0) break;
    }
    return rows.slice(0, max);
  }

  /** GET /record/v1/{type}/{id}; null when it does not exist. */
  async getRecord(type: string, id: string, query: Record<string, string> = {}): Promise<Record<string, unknown> | null> {
    const res = await this.http.request<Record<string, unknown>>({ method: 'GET', path: `${RECORD}/${type}/${encodeURIComponent(id)}`, query, expect: [404] });
    return res.status === 404 ? null : res.body;
  }

  /** POST /record/v1/{type}: 204 with the new record's URL in Location; answers its internal id. */
  async create(type: string, body: Record<string, unknown>, idempotencyKey?: string): Promise<string> {
    const res = await this.write({ method: 'POST', path: `${RECORD}/${type}`, json: body }, idempotencyKey);
    return idFromLocation(res);
  }

  /** PATCH /record/v1/{type}/{id}; `replace` names sublists whose lines are replaced rather than added to. */
  async update(type: string, id: string, body: Record<string, unknown>, replace: string[], idempotencyKey?: string): Promise<void> {
    await this.write({ method: 'PATCH', path: `${RECORD}/${type}/${encodeURIComponent(id)}`, json: body, query: replaceQuery(replace) }, idempotencyKey);
  }

  /** PUT /record/v1/{type}/eid:{externalId}: creates or updates; answers the id Location names, if any. */
  async upsert(type: string, externalId: string, body: Record<string, unknown>, replace: string[], idempotencyKey?: string): Promise<string | undefined> {
    const res = await this.write({ method: 'PUT', path: `${RECORD}/${type}/eid:${encodeURIComponent(externalId)}`, json: body, query: replaceQuery(replace) }, idempotencyKey);
    return res.headers.location ? idFromLocation(res) : undefined;
  }

  /** DELETE /record/v1/{type}/{id}; 404 counts as already gone. */
  async remove(type: string, id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `${RECORD}/${type}/${encodeURIComponent(id)}`, expect: [404] });
  }

  async probe(): Promise<void> {
    await this.suiteql('SELECT id FROM customer', 1);
  }

  /**
   * A write, synchronous or as an asynchronous job: 202 + Location: /async/v1/job/{id}, polled (and
   * heartbeated) until complete, then the task's result is read like the synchronous answer. The
   * idempotency key makes a retried submission find the job it already created.
   */
  private async write(req: HttpRequest, idempotencyKey: string | undefined): Promise<HttpResponse<unknown>> {
    if (!this.options.respondAsync) return this.http.request(req);
    const submitted = await this.http.request({
      ...req, headers: { ...req.headers, prefer: 'respond-async', 'x-netsuite-idempotency-key': idempotencyKey ?? randomUUID() },
    });
    const job = submitted.headers.location;
    if (submitted.status !== 202 || !job) return submitted;
    await pollJob<JobStatus>({
      system: SYSTEM,
      describe: `netsuite async job ${job}`,
      poll: async () => (await this.http.request<JobStatus>({ method: 'GET', path: job })).body ?? {},
      isDone: (status) => status.completed === true,
      heartbeat: (status) => this.options.heartbeat?.({ job, progress: status.progress }),
    });
    const tasks = await this.http.request<{ items?: Links[] }>({ method: 'GET', path: `${job}/task` });
    const task = tasks.body?.items?.[0]?.links?.find((l) => l.rel === 'self')?.href ?? `${job}/task/1`;
    const result = await this.http.request({ method: 'GET', path: `${task}/result`, expect: ERROR_STATUSES });
    if (result.status >= 400) throw classifyHttp(SYSTEM, result.status, result.headers, result.body, { extractFields, extractCode });
    return result;
  }
}

function replaceQuery(replace: string[]): Record<string, string> | undefined {
  return replace.length > 0 ? { replace: replace.join(',') } : undefined;
}

function idFromLocation(res: HttpResponse<unknown>): string {
  const id = /\/(\d+)\/?$/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error(`netsuite answered ${res.status} without the new record's id in Location`);
  return id;
}
