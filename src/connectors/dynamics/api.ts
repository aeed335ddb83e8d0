import type { HttpClient } from '../../platform/http';
import { answerError } from './errors';
import { encodeBatch, parseBatchResponse, type BatchAnswer, type BatchOperation } from './multipart';

/** The Dataverse Web API endpoints the connector uses; no decisions here. */

export type Row = Record<string, unknown>;

/** Largest page Dataverse serves (odata.maxpagesize). */
export const MAX_PAGE_SIZE = 5000;

export interface ChangesPage {
  rows: Row[];
  nextLink?: string;
  deltaLink?: string;
}

interface CollectionBody {
  value?: Row[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

export class DataverseApi {
  /** `servicePath`: the Web API's path under the environment URL (for $batch request lines). */
  constructor(private readonly http: HttpClient, readonly servicePath: string) {}

  /** GET {entitySet}?$select&$filter, following @odata.nextLink to the end. */
  async query(entitySet: string, select: string[], filter: string): Promise<Row[]> {
    const rows: Row[] = [];
    let path: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const res = await this.http.request<CollectionBody>(path
        ? { method: 'GET', path, headers: { prefer: `odata.maxpagesize=${MAX_PAGE_SIZE}` } }
        : { method: 'GET', path: entitySet, query: { $select: select.join(','), $filter: filter }, headers: { prefer: `odata.maxpagesize=${MAX_PAGE_SIZE}` } });
      rows.push(...(res.body?.value ?? []));
      path = res.body?.['@odata.nextLink'];
      if (!path) break;
    }
    return rows;
  }

  /**
   * POST $batch. `atomic`: one changeset (all or nothing); otherwise each request on its own with
   * odata.continue-on-error, one answer each. A refusal of the batch itself (auth, limits, a
   * malformed body) is thrown; answers to the requests are returned, failures included.
   */
  async batch(ops: BatchOperation[], atomic: boolean): Promise<BatchAnswer[]> {
    const { body, contentType } = encodeBatch(ops.map((op) => ({ ...op, url: `${this.servicePath}/${op.url}` })), atomic);
    const res = await this.http.request<string>({
      method: 'POST', path: '$batch', body,
      headers: { 'content-type': contentType, accept: 'application/json', ...(atomic ? {} : { prefer: 'odata.continue-on-error' }) },
      expect: [400],
    });
    const answers = parseBatchResponse(res.headers['content-type'] ?? '', String(res.body ?? ''));
    if (answers.length === 0 && res.status >= 400) throw answerError(res.status, res.headers, res.body);
    return answers;
  }

  /** One write outside a batch (a retried update with a fresh ETag). */
  async write(op: BatchOperation): Promise<BatchAnswer> {
    const res = await this.http.request({ method: op.method, path: op.url, headers: op.headers, json: op.body });
    return { status: res.status, headers: res.headers, body: res.body };
  }

  /** DELETE one row; 404 counts as already gone. */
  async remove(path: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path, expect: [404] });
  }

  /** A change-tracking page: the first read of the table (Prefer: odata.track-changes) or a nextLink / deltaLink followed. */
  async changes(entitySet: string, select: string[], link: string | null, pageSize: number): Promise<ChangesPage> {
    const prefer = `odata.track-changes, odata.maxpagesize=${Math.min(Math.max(pageSize, 1), MAX_PAGE_SIZE)}`;
    const res = await this.http.request<CollectionBody>(link
      ? { method: 'GET', path: link, headers: { prefer } }
      : { method: 'GET', path: entitySet, query: { $select: select.join(',') }, headers: { prefer } });
    return { rows: res.body?.value ?? [], nextLink: res.body?.['@odata.nextLink'], deltaLink: res.body?.['@odata.deltaLink'] };
  }

  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: 'WhoAmI' });
  }
}
