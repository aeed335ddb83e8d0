import type { FieldError } from '../../src/connectors/contract';
import { registerSecret, withScrubber } from '../../src/platform/credentials/redact';
import { ConnectorError, toTemporalFailure } from '../../src/platform/errors';
import {
  createHttpClient, cursorInBody, hasMoreAfterLastId, nextUrlInBody, offsetLimit, paginateRequests, type AuthPlugin, type HttpClient,
  type HttpClientOptions,
} from '../../src/platform/http';
import { noAuth } from '../../src/platform/auth';
import { loopbackServers, sendJson, sendText } from '../helpers/loopback-server';
import { failureOf } from '../helpers/connector-errors';

const startServer = loopbackServers();

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  return createHttpClient({ system: 'testsys', baseUrl, auth: noAuth, ...options });
}


describe('requests and responses', () => {
  it('joins base and path, encodes the query, sends JSON and parses a JSON answer', async () => {
    const server = await startServer((req, res) => sendJson(res, 201, { got: JSON.parse(req.body) as unknown }));
    const res = await client(`${server.url}/api/v3/`).request<{ got: unknown }>({
      method: 'post', path: '/objects/contacts',
      query: { properties: ['email', 'name'], limit: 10, archived: false, after: undefined, q: 'a b&c' },
      json: { email: 'ada@example.com' },
    });
    expect(res).toMatchObject({ status: 201, body: { got: { email: 'ada@example.com' } } });
    expect(res.headers['content-type']).toBe('application/json');
    const [received] = server.received;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/api/v3/objects/contacts');
    expect(received.rawUrl).toBe('/api/v3/objects/contacts?properties=email&properties=name&limit=10&archived=false&q=a%20b%26c');
    expect(received.headers['content-type']).toBe('application/json');
  });

  it('form-encodes Stripe-style nested keys and arrays', async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, {}));
    await client(server.url).request({
      method: 'POST', path: '/v1/customers',
      form: { email: 'a@b.c', metadata: { crm_id: '42', note: null }, items: [{ price: 'p_1', quantity: 2 }], skipped: undefined },
    });
    const [received] = server.received;
    expect(received.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(received.body)]).toEqual([
      ['email', 'a@b.c'], ['metadata[crm_id]', '42'], ['metadata[note]', ''], ['items[0][price]', 'p_1'], ['items[0][quantity]', '2'],
    ]);
  });

  it('returns text for non-JSON answers and sends a raw body as given', async () => {
    const server = await startServer((req, res) => sendText(res, 200, `<echo>${req.body}</echo>`, { 'content-type': 'application/xml' }));
    const res = await client(server.url).request<string>({ method: 'POST', path: '/ia/xml/xmlgw.phtml', body: '<request/>', headers: { 'Content-Type': 'application/xml' } });
    expect(res.body).toBe('<echo><request/></echo>');
    expect(server.received[0].headers['content-type']).toBe('application/xml');
  });

  it('an empty JSON answer is null', async () => {
    const server = await startServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(); });
    expect((await client(server.url).request({ method: 'DELETE', path: '/x' })).body).toBeNull();
  });

  it('takes the base URL from a function (known only after the token exchange)', async () => {
    const server = await startServer((req, res) => sendJson(res, 200, { path: req.path }));
    const http = client('unused', { baseUrl: async () => `${server.url}/services/data/v61.0` });
    expect((await http.request({ method: 'GET', path: 'sobjects/Account/001' })).body).toEqual({ path: '/services/data/v61.0/sobjects/Account/001' });
  });

  it('follows an absolute URL on the same origin but refuses to send credentials to another', async () => {
    const api = await startServer((req, res) => sendJson(res, 200, { path: req.path }));
    const elsewhere = await startServer((_req, res) => sendJson(res, 200, {}));
    const auth: AuthPlugin = { async apply(req) { req.headers.authorization = 'Bearer api-token-value'; } };
    const http = client(`${api.url}/v1.0`, { auth });
    expect((await http.request({ method: 'GET', path: `${api.url}/v1.0/next?page=2` })).body).toEqual({ path: '/v1.0/next' });
    const err = await failureOf(http.request({ method: 'GET', path: `${elsewhere.url}/steal` }));
    expect(err.kind).toBe('permanent');
    expect(elsewhere.received).toHaveLength(0);
  });
});

describe('statuses become the taxonomy', () => {
  it('a 400 is validation with the field names the connector reads from the body', async () => {
    const server = await startServer((_req, res) => sendJson(res, 400, { errors: [{ field: 'email', message: 'is invalid' }] }));
    const extractFields = (body: unknown): FieldError[] => (body as { errors: FieldError[] }).errors;
    const err = await failureOf(client(server.url, { extractFields }).request({ method: 'POST', path: '/contacts', json: {} }));
    expect(err).toMatchObject({ kind: 'validation', status: 400, system: 'testsys', fields: [{ field: 'email', message: 'is invalid' }] });
  });

  it.each([[403, 'permanent'], [404, 'not_found'], [409, 'conflict'], [500, 'transient'], [502, 'transient'], [504, 'transient']] as const)(
    'HTTP %i is %s', async (status, kind) => {
      const server = await startServer((_req, res) => sendJson(res, status, { message: 'no' }));
      expect(await failureOf(client(server.url).request({ method: 'GET', path: '/x' }))).toMatchObject({ kind, status });
    });

  it('statuses listed in expect are returned, not thrown', async () => {
    const server = await startServer((_req, res) => sendJson(res, 404, { message: 'not found' }));
    const res = await client(server.url).request({ method: 'GET', path: '/contacts/1', expect: [404] });
    expect(res).toMatchObject({ status: 404, body: { message: 'not found' } });
  });

  it('429 with Retry-After in seconds is transient with retryAfterMs', async () => {
    const server = await startServer((_req, res) => sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '17' }));
    const err = await failureOf(client(server.url).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 17_000 });
    expect(toTemporalFailure(err).nextRetryDelay).toBe(17_000);
  });

  it('429 with Retry-After as an HTTP-date is transient with the time left until then', async () => {
    const server = await startServer((_req, res) =>
      sendJson(res, 429, {}, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }));
    const err = await failureOf(client(server.url).request({ method: 'GET', path: '/x' }));
    expect(err.kind).toBe('transient');
    // The date has whole-second precision and the clock moves on, so only bounds can be exact.
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(err.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('Retry-After is capped by the connector', async () => {
    const server = await startServer((_req, res) => sendJson(res, 503, {}, { 'retry-after': '86400' }));
    const err = await failureOf(client(server.url, { maxRetryAfterMs: 30_000 }).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ kind: 'transient', status: 503, retryAfterMs: 30_000 });
  });

  it("a system's own verdict on a 200 answer (Slack ok:false) is honoured", async () => {
    const server = await startServer((req, res) =>
      sendJson(res, 200, req.path.endsWith('bad') ? { ok: false, error: 'channel_not_found' } : { ok: true, ts: '1.2' }));
    const classify: HttpClientOptions['classify'] = (res) => {
      const body = res.body as { ok?: boolean; error?: string };
      return body.ok === false ? new ConnectorError({ kind: 'not_found', system: 'slack', message: `slack: ${body.error}` }) : null;
    };
    const http = client(server.url, { classify });
    expect((await http.request({ method: 'POST', path: '/chat.postMessage.good' })).body).toEqual({ ok: true, ts: '1.2' });
    expect(await failureOf(http.request({ method: 'POST', path: '/chat.postMessage.bad' }))).toMatchObject({ kind: 'not_found', message: 'slack: channel_not_found' });
  });

  it('a 401 with an auth plug-in that cannot refresh is permanent at once, without a retry', async () => {
    const server = await startServer((_req, res) => sendJson(res, 401, { message: 'bad key' }));
    const err = await failureOf(client(server.url).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(server.received).toHaveLength(1);
  });

  it('a 401 with a plug-in that refreshes is retried exactly once', async () => {
    let refreshes = 0;
    const auth: AuthPlugin = {
      async apply(req) { req.headers.authorization = `Bearer token-${refreshes}`; },
      async onUnauthorized() { refreshes += 1; return true; },
    };
    const server = await startServer((_req, res) => sendJson(res, 401, { message: 'expired' }));
    const err = await failureOf(client(server.url, { auth }).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(refreshes).toBe(1);
    expect(server.received.map((r) => r.headers.authorization)).toEqual(['Bearer token-0', 'Bearer token-1']);
  });
});

describe('network failures become transient', () => {
  it('a server that never answers times out as transient', async () => {
    const server = await startServer(() => { /* never answers */ });
    const err = await failureOf(client(server.url, { timeoutMs: 300 }).request({ method: 'GET', path: '/hang' }));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/timed out/);
    expect(server.received).toHaveLength(1);
  });

  it('a per-request timeout overrides the client default', async () => {
    const server = await startServer(() => { /* never answers */ });
    const err = await failureOf(client(server.url, { timeoutMs: 60_000 }).request({ method: 'GET', path: '/hang', timeoutMs: 200 }));
    expect(err).toMatchObject({ kind: 'transient' });
  });

  it('a connection reset is transient', async () => {
    const server = await startServer((_req, _res, raw) => { raw.socket.destroy(); });
    const err = await failureOf(client(server.url).request({ method: 'GET', path: '/reset' }));
    expect(err.kind).toBe('transient');
    expect(err.status).toBeUndefined();
  });

  it('a refused connection is transient', async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, {}));
    const closedUrl = server.url;
    await server.stop();
    const err = await failureOf(client(closedUrl).request({ method: 'GET', path: '/x' }));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});

describe('redaction', () => {
  it('a secret the server echoes back appears in no error message nor Temporal failure', () => withScrubber(async () => {
    const canary = `canary-${Date.now().toString(36)}-9f3b2e71d0`;
    registerSecret(canary);
    const auth: AuthPlugin = { async apply(req) { req.headers['x-api-key'] = canary; } };
    const server = await startServer((req, res) =>
      sendJson(res, req.path === '/400' ? 400 : 500, { message: `invalid key ${String(req.headers['x-api-key'])}`, field: String(req.headers['x-api-key']) }));
    const http = client(server.url, { auth, extractFields: (body) => [{ field: 'key', message: (body as { field: string }).field }] });
    for (const path of ['/400', '/500']) {
      const err = await failureOf(http.request({ method: 'GET', path }));
      const failure = toTemporalFailure(err);
      const everything = [err.message, err.stack, JSON.stringify(err.fields), failure.message, JSON.stringify(failure.details)].join('\n');
      expect(server.received.at(-1)?.headers['x-api-key']).toBe(canary); // it really was sent and echoed
      expect(everything).not.toContain(canary);
    }
  }));
});

describe('pagination adapters against a paging server', () => {
  const all = Array.from({ length: 7 }, (_, i) => ({ id: `r${i + 1}` }));

  async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
    const items: T[] = [];
    for await (const item of iterable) items.push(item);
    return items;
  }

  it('cursor in the body (HubSpot paging.next.after)', async () => {
    const server = await startServer((req, res) => {
      const start = Number(req.query.get('after') ?? 0);
      const next = start + 3 < all.length ? { next: { after: String(start + 3) } } : undefined;
      sendJson(res, 200, { results: all.slice(start, start + 3), ...(next ? { paging: next } : {}) });
    });
    const http = client(server.url);
    const items = await collect(paginateRequests(http, (after) => ({ method: 'GET', path: '/crm/v3/objects/contacts', query: { limit: 3, after } }),
      cursorInBody<{ id: string }>('results', 'paging.next.after')));
    expect(items).toEqual(all);
    expect(server.received.map((r) => r.query.get('after'))).toEqual([null, '3', '6']);
  });

  it('an empty next cursor ends the pages (Slack response_metadata.next_cursor)', async () => {
    const server = await startServer((req, res) => {
      const cursor = req.query.get('cursor');
      sendJson(res, 200, cursor ? { ok: true, messages: all.slice(4), response_metadata: { next_cursor: '' } }
        : { ok: true, messages: all.slice(0, 4), response_metadata: { next_cursor: 'bmV4dA==' } });
    });
    const items = await collect(paginateRequests(client(server.url), (cursor) => ({ method: 'GET', path: '/conversations.history', query: { cursor } }),
      cursorInBody<{ id: string }>('messages', 'response_metadata.next_cursor')));
    expect(items).toEqual(all);
    expect(server.received).toHaveLength(2);
  });

  it('has_more with starting_after the last id (Stripe)', async () => {
    const server = await startServer((req, res) => {
      const after = req.query.get('starting_after');
      const start = after ? all.findIndex((r) => r.id === after) + 1 : 0;
      sendJson(res, 200, { object: 'list', data: all.slice(start, start + 2), has_more: start + 2 < all.length });
    });
    const items = await collect(paginateRequests(client(server.url),
      (startingAfter) => ({ method: 'GET', path: '/v1/customers', query: { limit: 2, starting_after: startingAfter } }),
      hasMoreAfterLastId<{ id: string }>()));
    expect(items).toEqual(all);
    expect(server.received.map((r) => r.query.get('starting_after'))).toEqual([null, 'r2', 'r4', 'r6']);
  });

  it('a next-page URL (Salesforce nextRecordsUrl, Graph @odata.nextLink)', async () => {
    const server = await startServer((req, res) => {
      const page = Number(req.query.get('page') ?? 0);
      const more = (page + 1) * 4 < all.length;
      sendJson(res, 200, {
        value: all.slice(page * 4, page * 4 + 4),
        ...(more ? { '@odata.nextLink': `${server.url}/v1.0/teams/messages?page=${page + 1}` } : {}),
        records: all.slice(page * 4, page * 4 + 4),
        ...(more ? { nextRecordsUrl: `/v1.0/teams/messages?page=${page + 1}` } : {}),
      });
    });
    const http = client(`${server.url}/v1.0`);
    const graph = await collect(paginateRequests(http, (link) => ({ method: 'GET', path: link ?? '/teams/messages' }),
      nextUrlInBody<{ id: string }>('value', ['@odata.nextLink'])));
    expect(graph).toEqual(all);
    const salesforce = await collect(paginateRequests(http, (link) => ({ method: 'GET', path: link ? `${server.url}${link}` : '/teams/messages' }),
      nextUrlInBody<{ id: string }>('records', 'nextRecordsUrl')));
    expect(salesforce).toEqual(all);
  });

  it('offset and limit', async () => {
    const server = await startServer((req, res) => {
      const offset = Number(req.query.get('offset'));
      sendJson(res, 200, { items: all.slice(offset, offset + 3) });
    });
    const items = await collect(paginateRequests(client(server.url),
      (offset) => ({ method: 'GET', path: '/services/rest/record/v1/customer', query: { limit: 3, offset: offset ?? 0 } }),
      offsetLimit<{ id: string }>('items', 3)));
    expect(items).toEqual(all);
    expect(server.received.map((r) => r.query.get('offset'))).toEqual(['0', '3', '6']);
  });
});
