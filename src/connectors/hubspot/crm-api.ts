import { cursorInBody, paginateRequests, type HttpClient } from '../../platform/http';

/** The CRM v3 object endpoints the connector uses, typed; no decisions here. */

/** A CRM object as HubSpot answers it. */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  archivedAt?: string;
  /** batch/upsert: true when the record was created. */
  new?: boolean;
  /** Echoed from the input when the caller sent one. */
  objectWriteTraceId?: string;
}

export interface BatchError {
  status?: string;
  category?: string;
  message?: string;
  context?: Record<string, string[]>;
}

export interface BatchResponse {
  status?: string;
  results: CrmRecord[];
  errors?: BatchError[];
}

export interface BatchInput {
  id?: string;
  idProperty?: string;
  properties?: Record<string, unknown>;
  objectWriteTraceId?: string;
}

export type BatchAction = 'read' | 'create' | 'update' | 'upsert' | 'archive';

export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'GT' | 'GTE' | 'LT' | 'LTE';
  value: string;
}

export interface SearchRequest {
  filterGroups: Array<{ filters: SearchFilter[] }>;
  sorts: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
  properties: string[];
  limit: number;
}

export interface SearchResponse {
  total?: number;
  results: CrmRecord[];
}

/** HubSpot's largest page for GET /crm/v3/objects/{object}. */
const LIST_PAGE_SIZE = 100;

export class CrmApi {
  constructor(private readonly http: HttpClient) {}

  async batch(object: string, action: BatchAction, body: Record<string, unknown> & { inputs: BatchInput[] }): Promise<BatchResponse> {
    const res = await this.http.request<BatchResponse | null>({ method: 'POST', path: `/crm/v3/objects/${object}/batch/${action}`, json: body });
    return { ...res.body, results: res.body?.results ?? [] };
  }

  async create(object: string, properties: Record<string, unknown>): Promise<CrmRecord> {
    return (await this.http.request<CrmRecord>({ method: 'POST', path: `/crm/v3/objects/${object}`, json: { properties } })).body;
  }

  async search(object: string, request: SearchRequest): Promise<SearchResponse> {
    const res = await this.http.request<SearchResponse | null>({ method: 'POST', path: `/crm/v3/objects/${object}/search`, json: request });
    return { results: res.body?.results ?? [], total: res.body?.total };
  }

  /** Every archived record of an object (with archivedAt), page after page. */
  archived(object: string, properties: string[]): AsyncGenerator<CrmRecord> {
    return paginateRequests<CrmRecord, string>(this.http, (after) => ({
      method: 'GET',
      path: `/crm/v3/objects/${object}`,
      query: { archived: true, limit: LIST_PAGE_SIZE, properties: properties.join(','), after },
    }), cursorInBody<CrmRecord>('results', 'paging.next.after'));
  }

  /** The cheapest authenticated call. */
  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: 1 } });
  }
}
