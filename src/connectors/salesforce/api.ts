import { nextUrlInBody, paginateRequests, type HttpClient } from '../../platform/http';
import { escapeXml, SOAP_SESSION_PLACEHOLDER } from './auth';
import type { RecordError } from './errors';

/** The Salesforce endpoints the connector uses, typed; no decisions here. */

/** A record as the REST API answers it. */
export type SObjectRecord = { attributes?: { type: string; url?: string } } & Record<string, unknown>;

/** One result of an sObject Collections write or delete, in input order. */
export interface SaveResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
  /** Upserts: true when the record was created. */
  created?: boolean;
}

export interface DescribeField {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  externalId: boolean;
  idLookup?: boolean;
}

export interface DescribeResult {
  name: string;
  custom: boolean;
  undeletable?: boolean;
  fields: DescribeField[];
}

export interface UndeleteResult {
  id: string;
  success: boolean;
  errors: RecordError[];
}

export class SalesforceApi {
  private readonly describes = new Map<string, Promise<DescribeResult>>();

  constructor(private readonly http: HttpClient, readonly apiVersion: string) {}

  private path(rest: string): string {
    return `/services/data/v${this.apiVersion}${rest}`;
  }

  /** POST /composite/sobjects: creates, up to 200 records, each with attributes.type. */
  async create(records: SObjectRecord[]): Promise<SaveResult[]> {
    return (await this.http.request<SaveResult[]>({ method: 'POST', path: this.path('/composite/sobjects'), json: { allOrNone: false, records } })).body;
  }

  /** PATCH /composite/sobjects: updates by Id. */
  async update(records: SObjectRecord[]): Promise<SaveResult[]> {
    return (await this.http.request<SaveResult[]>({ method: 'PATCH', path: this.path('/composite/sobjects'), json: { allOrNone: false, records } })).body;
  }

  /** PATCH /composite/sobjects/{SObject}/{ExternalIdField}: upserts; results carry `created`. */
  async upsert(object: string, externalIdField: string, records: SObjectRecord[]): Promise<SaveResult[]> {
    const path = this.path(`/composite/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(externalIdField)}`);
    return (await this.http.request<SaveResult[]>({ method: 'PATCH', path, json: { allOrNone: false, records } })).body;
  }

  /** DELETE /composite/sobjects?ids=&allOrNone=false: to the recycle bin. */
  async delete(ids: string[]): Promise<SaveResult[]> {
    return (await this.http.request<SaveResult[]>({ method: 'DELETE', path: this.path('/composite/sobjects'), query: { ids: ids.join(','), allOrNone: 'false' } })).body;
  }

  /** GET /composite/sobjects/{SObject}?ids=&fields=: one entry per id, null when missing or deleted. */
  async retrieve(object: string, ids: string[], fields: string[]): Promise<Array<SObjectRecord | null>> {
    const res = await this.http.request<Array<SObjectRecord | null>>({
      method: 'GET', path: this.path(`/composite/sobjects/${encodeURIComponent(object)}`), query: { ids: ids.join(','), fields: fields.join(',') },
    });
    return res.body;
  }

  /** Every record of a SOQL query, page after page (nextRecordsUrl); queryAll includes deleted records. */
  query(soql: string, options: { includeDeleted?: boolean } = {}): AsyncGenerator<SObjectRecord> {
    const resource = options.includeDeleted ? 'queryAll' : 'query';
    return paginateRequests<SObjectRecord, string>(this.http, (next) => (next
      ? { method: 'GET', path: next }
      : { method: 'GET', path: this.path(`/${resource}`), query: { q: soql } }), nextUrlInBody<SObjectRecord>('records', 'nextRecordsUrl'));
  }

  async queryAll(soql: string, options: { includeDeleted?: boolean } = {}): Promise<SObjectRecord[]> {
    const records: SObjectRecord[] = [];
    for await (const record of this.query(soql, options)) records.push(record);
    return records;
  }

  /** GET /sobjects/{SObject}/describe, once per object and client. */
  describe(object: string): Promise<DescribeResult> {
    let described = this.describes.get(object);
    if (!described) {
      described = this.http.request<DescribeResult>({ method: 'GET', path: this.path(`/sobjects/${encodeURIComponent(object)}/describe`) }).then((r) => r.body);
      described.catch(() => this.describes.delete(object));
      this.describes.set(object, described);
    }
    return described;
  }

  /** SOAP undelete(): brings records back from the recycle bin (REST has no undelete resource). */
  async undelete(ids: string[]): Promise<UndeleteResult[]> {
    const body = '<?xml version="1.0" encoding="utf-8"?>'
      + '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">'
      + `<soapenv:Header><urn:SessionHeader><urn:sessionId>${SOAP_SESSION_PLACEHOLDER}</urn:sessionId></urn:SessionHeader></soapenv:Header>`
      + `<soapenv:Body><urn:undelete>${ids.map((id) => `<urn:ids>${escapeXml(id)}</urn:ids>`).join('')}</urn:undelete></soapenv:Body>`
      + '</soapenv:Envelope>';
    const res = await this.http.request<string>({
      method: 'POST', path: `/services/Soap/u/${this.apiVersion}`, body, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'undelete' },
    });
    return parseUndeleteResponse(String(res.body));
  }

  /** The cheapest authenticated call. */
  async probe(): Promise<void> {
    await this.http.request({ method: 'GET', path: this.path('/query'), query: { q: 'SELECT Id FROM Account LIMIT 1' } });
  }
}

function parseUndeleteResponse(xml: string): UndeleteResult[] {
  return [...xml.matchAll(/<(?:\w+:)?result>([\s\S]*?)<\/(?:\w+:)?result>/g)].map((m) => {
    const result = m[1] ?? '';
    const errors = [...result.matchAll(/<(?:\w+:)?errors>([\s\S]*?)<\/(?:\w+:)?errors>/g)].map((e) => ({
      statusCode: textOf(e[1] ?? '', 'statusCode') ?? 'UNKNOWN',
      message: textOf(e[1] ?? '', 'message') ?? '',
      fields: [...(e[1] ?? '').matchAll(/<(?:\w+:)?fields>([^<]*)<\/(?:\w+:)?fields>/g)].map((f) => f[1] ?? ''),
    }));
    return { id: textOf(result.replace(/<(?:\w+:)?errors>[\s\S]*?<\/(?:\w+:)?errors>/g, ''), 'id') ?? '', success: textOf(result, 'success') === 'true', errors };
  });
}

function textOf(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`).exec(xml);
  return m?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
