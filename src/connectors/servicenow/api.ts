import { randomUUID } from 'node:crypto';
import type { HttpClient, HttpRequest } from '../../platform/http';
import type { ConnectorError } from '../../platform/errors';
import { answerError } from './errors';

/** The Table API and Batch API endpoints the connector uses, typed; no decisions here. */
export type Row = Record<string, unknown>;

const TABLE = '/api/now/table';
const BATCH = '/api/now/v1/batch';
/** Rows per page of a list read (sysparm_limit; the Table API's default is 10,000). */
export const PAGE_LIMIT = 1000;

export interface ListOptions {
  query: string;
  /** Columns to return (all when absent). */
  fields?: string[];
  /** Stop after this many rows. */
  max?: number;
}

/** One write inside a Batch API call, and what came back for it. */
export interface BatchWrite {
  method: 'POST' | 'PATCH';
  table: string;
  sysId?: string;
  values: Row;
  fields: string[];
}

export type BatchOutcome = { ok: true; row: Row } | { ok: false; error: ConnectorError };

export class ServiceNowApi {
  constructor(private readonly http: HttpClient, private readonly labels: (table: string) => Record<string, string> = () => ({}),
    private readonly pageLimit = PAGE_LIMIT) {}

  /** GET /api/now/table/{table}?sysparm_query=..., following the Link header's rel="next" page by page. */
  async list(table: string, options: ListOptions): Promise<Row[]> {
    const rows: Row[] = [];
    const limit = Math.min(this.pageLimit, options.max ?? this.pageLimit);
    let request: HttpRequest | undefined = {
      method: 'GET',
      path: `${TABLE}/${encodeURIComponent(table)}`,
      query: {
        sysparm_query: options.query,
        sysparm_limit: limit,
        sysparm_exclude_reference_link: 'true',
        ...(options.fields ? { sysparm_fields: options.fields.join(',') } : {}),
      },
    };
    while (request) {
      const res: { body: { result?: Row[] }; headers: Record<string, string> } = await this.http.request<{ result?: Row[] }>(request);
      rows.push(...(res.body.result ?? []));
      const next = nextLink(res.headers.link);
      request = next && rows.length < (options.max ?? Infinity) ? { method: 'GET', path: next } : undefined;
    }
    return options.max === undefined ? rows : rows.slice(0, options.max);
  }

  /** POST /api/now/table/{table} (one record; a sys_id in `values` is kept). */
  async insert(table: string, values: Row, fields: string[]): Promise<Row> {
    const res = await this.http.request<{ result: Row }>({
      method: 'POST', path: `${TABLE}/${encodeURIComponent(table)}`, json: values,
      query: { sysparm_fields: fields.join(','), sysparm_exclude_reference_link: 'true' },
    });
    return res.body.result;
  }

  /** DELETE /api/now/table/{table}/{sys_id}: false when the record was not there (404). */
  async remove(table: string, sysId: string): Promise<boolean> {
    const res = await this.http.request({ method: 'DELETE', path: `${TABLE}/${encodeURIComponent(table)}/${encodeURIComponent(sysId)}`, expect: [404] });
    return res.status !== 404;
  }

  /**
   * POST /api/now/v1/batch: each write as one Table API request inside (JSON body in Base64), answered
   * item by item. Items the instance left unserviced (its transaction quota) come back as undefined.
   */
  async batch(writes: BatchWrite[]): Promise<Array<BatchOutcome | undefined>> {
    const ids = writes.map((_, i) => String(i));
    const res = await this.http.request<{ serviced_requests?: BatchItemAnswer[] }>({
      method: 'POST', path: BATCH,
      json: {
        batch_request_id: randomUUID(),
        rest_requests: writes.map((w, i) => ({
          id: ids[i],
          url: `${TABLE}/${encodeURIComponent(w.table)}${w.sysId ? `/${encodeURIComponent(w.sysId)}` : ''}?sysparm_exclude_reference_link=true&sysparm_fields=${encodeURIComponent(w.fields.join(','))}`,
          method: w.method,
          headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'Accept', value: 'application/json' }],
          body: Buffer.from(JSON.stringify(w.values)).toString('base64'),
          exclude_response_headers: true,
        })),
      },
    });
    const answers = new Map((res.body.serviced_requests ?? []).map((a) => [a.id, a]));
    return writes.map((w, i) => {
      const answer = answers.get(ids[i]);
      if (!answer) return undefined;
      const body = decodeBody(answer.body);
      if (answer.status_code >= 200 && answer.status_code < 300) return { ok: true, row: (body as { result?: Row } | null)?.result ?? {} };
      return { ok: false, error: answerError(answer.status_code, {}, body, this.labels(w.table)) };
    });
  }
}

interface BatchItemAnswer {
  id: string;
  status_code: number;
  body?: string;
}

function decodeBody(body: string | undefined): unknown {
  if (!body) return null;
  const text = Buffer.from(body, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The rel="next" URL of a Link header (`<url>;rel="next"`), if any. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}
