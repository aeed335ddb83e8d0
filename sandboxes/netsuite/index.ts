import { concurrencyLimit, oauth1, startSandbox, type Handler, type NewRecord, type Route, type RunningSandbox, type SandboxDefinition, type SandboxOptions, type SandboxRequest } from '../kit';
import { submitJob, IDEMPOTENCY_HEADER, jobRoutes } from './async-jobs';
import { netsuiteCatalog, netsuiteCatalogDifferences } from './catalog';
import { concurrencyExceeded, forStatus, invalidLogin, nsError } from './errors';
import { runSuiteqlRequest } from './query-service';
import { executeRecordRequest, listRecords, type RecordRequest } from './record-service';
import { ASYNC_JOBS, DELETED_RECORD, derivedFields, recordType, recordTypes } from './records';
import { isoSeconds } from './time';

/**
 * The NetSuite sandbox: SuiteTalk REST web services (record service v1 for customer and
 * salesOrder, SuiteQL query service v1, async jobs) behind Token-Based Authentication (OAuth 1.0a,
 * HMAC-SHA256, verified for real), with the account's concurrency governance limit. README.md
 * names the documentation pages and the version followed.
 * Vendor documentation followed: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/book_1559132836.html (and the pages README.md lists).
 */
export interface NetSuiteSandboxOptions {
  /** The integration record's consumer key and secret, the access token's id and secret (random when absent). */
  consumerKey?: string;
  consumerSecret?: string;
  tokenId?: string;
  tokenSecret?: string;
  /** The account id, the realm every signature names. Default 1234567_SB1 (a sandbox account). */
  accountId?: string;
  /** The user's time zone preference: how SuiteQL shows and reads date-times. Default America/Los_Angeles. */
  timeZone?: string;
  /** Concurrent requests the account allows before answering 429 (default 15: one SuiteCloud Plus license). */
  concurrencyLimit?: number;
  /** How long each request holds its concurrency slot (ms of wall time), to make concurrency observable. Default 0. */
  processingMs?: number;
  /** Sandbox time before an asynchronous job runs (ms). Default 200. */
  asyncDelayMs?: number;
}

export const DEFAULT_CONCURRENCY_LIMIT = 15;
const RECORD = '/services/rest/record/v1';
const JOB = '/services/rest/async/v1/job/:job';

function recordRequest(req: SandboxRequest): RecordRequest {
  const fields = req.query.get('fields');
  return {
    method: req.method, type: req.params.type, id: req.params.id, body: req.body,
    replace: (req.query.get('replace') ?? '').split(',').filter(Boolean),
    expand: req.query.get('expandSubResources') === 'true',
    ...(fields ? { fields: fields.split(',') } : {}),
  };
}

const recordHandler: Handler = (req, ctx) => {
  const request = recordRequest(req);
  const prefer = String(req.headers.prefer ?? '');
  if (request.method !== 'GET' && /\brespond-async\b/i.test(prefer)) {
    const key = req.headers[IDEMPOTENCY_HEADER];
    return submitJob(request, Array.isArray(key) ? key[0] : key, ctx);
  }
  return executeRecordRequest(request, ctx);
};

export function netsuiteSandbox(options: NetSuiteSandboxOptions = {}): SandboxDefinition {
  const zone = options.timeZone ?? 'America/Los_Angeles';
  const limit = options.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT;
  // Every API request holds one of the account's concurrent-request slots while it runs.
  const gate = concurrencyLimit({ limit, processingMs: options.processingMs, refuse: () => concurrencyExceeded(limit) });
  const jobs = jobRoutes(() => options.asyncDelayMs ?? 200);
  const route = (method: Route['method'], path: string, handle: Handler): Route => ({ method, path, handle: gate(handle) });
  const routes: Route[] = [
    route('POST', `${RECORD}/:type`, recordHandler),
    route('GET', `${RECORD}/:type`, (req, ctx) => listRecords(req.params.type, req.query, ctx)),
    ...(['GET', 'PATCH', 'PUT', 'DELETE'] as const).map((method) => route(method, `${RECORD}/:type/:id`, recordHandler)),
    route('POST', '/services/rest/query/v1/suiteql', (req, ctx) => runSuiteqlRequest(req, ctx, zone)),
    route('GET', JOB, (req, ctx) => jobs.job(req.params.job, ctx)),
    route('GET', `${JOB}/task`, (req, ctx) => jobs.tasks(req.params.job, ctx)),
    route('GET', `${JOB}/task/:task`, (req, ctx) => jobs.task(req.params.job, req.params.task, ctx)),
    route('GET', `${JOB}/task/:task/result`, (req, ctx) => jobs.result(req.params.job, req.params.task, ctx)),
  ];

  return {
    system: 'netsuite',
    objects: [...recordTypes.map((t) => t.object), DELETED_RECORD, ASYNC_JOBS],
    catalog: netsuiteCatalog,
    catalogDifferences: netsuiteCatalogDifferences,
    // TBA as the kit verifies it (RFC 5849, HMAC-SHA256 only, realm = account id, 300 s timestamp window,
    // nonces once); the kit's expire-token fault stands for the token being revoked in the UI.
    auth: oauth1({
      consumerKey: options.consumerKey, consumerSecret: options.consumerSecret, tokenId: options.tokenId, tokenSecret: options.tokenSecret,
      realm: options.accountId ?? '1234567_SB1',
    }),
    routes,
    errors: {
      unauthorized: () => invalidLogin(),
      rateLimited: () => concurrencyExceeded(limit),
      notFound: (req) => nsError(404, [{ detail: `The requested path ${req.path} does not exist.`, code: 'NONEXISTENT_ID' }]),
      malformedBody: () => nsError(400, [{ detail: 'Invalid content in the request body. The body is not valid JSON.', code: 'INVALID_CONTENT' }]),
      forStatus: (status) => forStatus(status),
    },
    presentRecord: (object, record) => {
      const type = recordType(object);
      if (!type) return { id: record.id, ...record.fields };
      // The creation stamp under the record service's name: dateCreated on a customer, createdDate on a transaction.
      const created = type.type === 'salesOrder' ? 'createdDate' : 'dateCreated';
      return { id: record.id, ...record.fields, ...derivedFields(type, record.id, record.fields), [created]: isoSeconds(record.createdAt), lastModifiedDate: isoSeconds(record.updatedAt) };
    },
    seedRecord: (object, input): NewRecord => {
      const { id, dateCreated, createdDate, lastModifiedDate, ...fields } = input;
      const created = dateCreated ?? createdDate;
      const type = recordType(object);
      if (type?.type === 'salesOrder' && fields.item && !Array.isArray(fields.item)) {
        const items = ((fields.item as { items?: Array<Record<string, unknown>> }).items ?? []);
        fields.item = items.map((l, i) => ({ line: i + 1, item: { id: String((l.item as { id: unknown }).id) }, quantity: Number(l.quantity ?? 1), rate: Number(l.rate ?? 0),
          ...(typeof l.description === 'string' ? { description: l.description } : {}) }));
      }
      for (const [name, value] of Object.entries(fields)) {
        const def = type?.fields.find((d) => d.name === name);
        if (def?.kind === 'ref' && value !== null && typeof value !== 'object') fields[name] = { id: String(value) };
      }
      return {
        ...(id === undefined ? {} : { id: String(id) }),
        ...(typeof created === 'string' ? { createdAt: created } : {}),
        ...(typeof lastModifiedDate === 'string' ? { updatedAt: lastModifiedDate } : {}),
        fields,
      };
    },
    config: (baseUrl) => ({ baseUrl, timeZone: zone }),
  };
}

export function startNetSuiteSandbox(options: NetSuiteSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(netsuiteSandbox(options), options);
}
