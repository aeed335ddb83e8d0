import { withScrubber } from '../../src/platform/credentials/redact';
import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  apiKeyAuth, basicAuth, oauth1Auth, oauth2ClientCredentialsAuth, oauth2RefreshTokenAuth, sessionAuth, SingleFlightCache,
  type AccessToken, type ConnectionRef, type Session,
} from '../../src/platform/auth';
import type { Credentials } from '../../src/platform/credentials/store';
import { ConnectorError, toTemporalFailure } from '../../src/platform/errors';
import { createHttpClient, type AuthPlugin, type HttpClient } from '../../src/platform/http';
import { uniqueName } from '../helpers/stack';
import { loopbackServers, sendJson, type LoopbackServer, type ReceivedRequest } from '../helpers/loopback-server';
import { failureOf } from '../helpers/connector-errors';

const startServer = loopbackServers();

/** A credential store for one connection, as the plug-ins see it: read now, saved back on rotation. */
function memoryCredentials(initial: Credentials) {
  let current = { ...initial };
  const saves: Credentials[] = [];
  return {
    credentials: async (): Promise<Credentials> => ({ ...current }),
    saveCredentials: async (updated: Credentials): Promise<void> => { saves.push(updated); current = { ...updated }; },
    saves,
    replace(next: Credentials) { current = { ...next }; },
  };
}

function newConnection(): ConnectionRef {
  return { tenantId: uniqueName('tenant'), connectionId: uniqueName('conn') };
}

/** A clock the token caches and the token endpoint share, so "expired" needs no waiting. */
function testClock() {
  let nowMs = Date.now();
  return { now: () => nowMs, advance(ms: number) { nowMs += ms; } };
}

function clientFor(server: LoopbackServer, auth: AuthPlugin, system = 'testsys'): HttpClient {
  return createHttpClient({ system, baseUrl: server.url, auth });
}


interface TokenServerOptions {
  rotateRefreshTokens?: boolean;
  /** Answers for the token endpoint instead of issuing a token. */
  reject?: (res: ServerResponse, grant: URLSearchParams) => void;
  extra?: Record<string, unknown>;
}

/** An OAuth 2.0 token endpoint issuing at-1, at-2, ... (and rt-1, rt-2, ... when rotating). */
async function startTokenServer(options: TokenServerOptions = {}) {
  const issued: string[] = [];
  const server = await startServer((req, res) => {
    const grant = new URLSearchParams(req.body);
    if (options.reject) return options.reject(res, grant);
    const accessToken = `at-${issued.length + 1}`;
    issued.push(accessToken);
    sendJson(res, 200, {
      access_token: accessToken, token_type: 'Bearer', expires_in: 3600,
      ...(options.rotateRefreshTokens ? { refresh_token: `rt-${issued.length}` } : {}),
      ...options.extra,
    });
  });
  return { server, issued, tokenUrl: `${server.url}/oauth/token`, grants: () => server.received.map((r) => new URLSearchParams(r.body)) };
}

/** An API that accepts only the tokens `isValid` allows. */
async function startBearerApi(isValid: (token: string) => boolean) {
  return startServer((req, res) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (isValid(token)) sendJson(res, 200, { ok: true, token });
    else sendJson(res, 401, { message: 'expired or invalid token' });
  });
}

const REFRESH_CREDENTIALS = { clientId: 'client-abc', clientSecret: 'client-secret-7d1e5a9c', refreshToken: 'refresh-token-4b8f2c6e' };

describe('OAuth 2.0 refresh token', () => {
  it('20 parallel calls with an expired token: exactly one refresh reaches the token endpoint and all 20 succeed', async () => {
    const clock = testClock();
    const tokens = await startTokenServer();
    const api = await startBearerApi((token) => token === tokens.issued.at(-1));
    const store = memoryCredentials(REFRESH_CREDENTIALS);
    const auth = oauth2RefreshTokenAuth({
      system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...store,
      cache: new SingleFlightCache<AccessToken>(clock.now), now: clock.now,
    });
    const http = clientFor(api, auth);

    await http.request({ method: 'GET', path: '/first' });
    expect(tokens.issued).toEqual(['at-1']);
    clock.advance(3600 * 1000); // at-1 has expired

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => http.request<{ token: string }>({ method: 'GET', path: `/c/${i}` })));
    expect(tokens.issued).toEqual(['at-1', 'at-2']);
    expect(results.map((r) => r.body.token)).toEqual(Array(20).fill('at-2'));
    expect(tokens.grants().map((g) => Object.fromEntries(g))).toEqual(Array(2).fill({
      grant_type: 'refresh_token', refresh_token: REFRESH_CREDENTIALS.refreshToken,
      client_id: REFRESH_CREDENTIALS.clientId, client_secret: REFRESH_CREDENTIALS.clientSecret,
    }));
  });

  it('a rotated refresh token is saved back exactly once, before the new access token is used', async () => {
    const events: string[] = [];
    const tokens = await startTokenServer({ rotateRefreshTokens: true });
    const api = await startServer((req, res) => { events.push(`api:${String(req.headers.authorization)}`); sendJson(res, 200, {}); });
    const store = memoryCredentials({ ...REFRESH_CREDENTIALS, instanceNote: 'kept as is' });
    const cache = new SingleFlightCache<AccessToken>();
    const connection = newConnection();
    const auth = oauth2RefreshTokenAuth({
      system: 'salesforce', tokenUrl: tokens.tokenUrl, connection, cache, credentials: store.credentials,
      saveCredentials: async (updated) => { events.push('save'); await store.saveCredentials(updated); },
    });

    await Promise.all(Array.from({ length: 20 }, () => clientFor(api, auth).request({ method: 'GET', path: '/x' })));
    expect(store.saves).toEqual([{ ...REFRESH_CREDENTIALS, instanceNote: 'kept as is', refreshToken: 'rt-1' }]);
    expect(events[0]).toBe('save');
    expect(events.slice(1)).toEqual(Array(20).fill('api:Bearer at-1'));

    cache.invalidate(`${connection.tenantId}/${connection.connectionId}`);
    await clientFor(api, auth).request({ method: 'GET', path: '/y' });
    expect(tokens.grants()[1].get('refresh_token')).toBe('rt-1'); // the next refresh uses the rotated token
    expect(store.saves).toHaveLength(2);
  });

  it('a 401 drops the cached token: one refresh and one retry succeed', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi((token) => token === 'at-2'); // at-1 was revoked early
    const auth = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials(REFRESH_CREDENTIALS) });
    const res = await clientFor(api, auth).request<{ token: string }>({ method: 'GET', path: '/x' });
    expect(res.body.token).toBe('at-2');
    expect(api.received.map((r) => r.headers.authorization)).toEqual(['Bearer at-1', 'Bearer at-2']);
  });

  it('a second 401 after the refresh is permanent: one refresh, one retry, no more', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi(() => false);
    const auth = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials(REFRESH_CREDENTIALS) });
    const err = await failureOf(clientFor(api, auth).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(toTemporalFailure(err).nonRetryable).toBe(true);
    expect(tokens.issued).toEqual(['at-1', 'at-2']);
    expect(api.received).toHaveLength(2);
  });

  it('20 parallel requests rejected with the same stale token cause one refresh, not twenty', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi((token) => token !== 'at-1');
    const auth = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials(REFRESH_CREDENTIALS) });
    const http = clientFor(api, auth);
    await auth.token(); // everyone starts with at-1
    const results = await Promise.all(Array.from({ length: 20 }, () => http.request<{ token: string }>({ method: 'GET', path: '/x' })));
    expect(results.every((r) => r.body.token === 'at-2')).toBe(true);
    expect(tokens.issued).toEqual(['at-1', 'at-2']);
  });

  // As in an activity or a gateway request: the connection's secrets are scrubbed within its scope.
  it('invalid_grant is permanent, names the problem and never the refresh token or client secret', () => withScrubber(async () => {
    const tokens = await startTokenServer({
      reject: (res, grant) => sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: `refresh token ${grant.get('refresh_token')} for client secret ${grant.get('client_secret')} is expired`,
      }),
    });
    const api = await startBearerApi(() => true);
    const credentials = { clientId: 'client-ig', clientSecret: `cs-${crypto.randomUUID()}`, refreshToken: `rt-${crypto.randomUUID()}` };
    const auth = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials(credentials) });

    const err = await failureOf(clientFor(api, auth).request({ method: 'GET', path: '/x' }));
    expect(err).toMatchObject({ kind: 'permanent', system: 'hubspot', status: 400 });
    expect(err.message).toMatch(/invalid_grant/);
    expect(err.message).toMatch(/re-authoris/);
    const failure = toTemporalFailure(err);
    for (const text of [err.message, err.stack ?? '', failure.message, JSON.stringify(failure.details)]) {
      expect(text).not.toContain(credentials.refreshToken);
      expect(text).not.toContain(credentials.clientSecret);
    }
    expect(api.received).toHaveLength(0);
  }));

  it('a token endpoint that is down is transient, not a reason to re-authorise', async () => {
    const tokens = await startTokenServer({ reject: (res) => sendJson(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '5' }) });
    const api = await startBearerApi(() => true);
    const auth = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials(REFRESH_CREDENTIALS) });
    expect(await failureOf(clientFor(api, auth).request({ method: 'GET', path: '/x' }))).toMatchObject({ kind: 'transient', retryAfterMs: 5000 });
  });

  it("exposes the token response's instance_url as the client's base URL (Salesforce)", async () => {
    const api = await startServer((req, res) => sendJson(res, 200, { path: req.path, authorization: req.headers.authorization }));
    const tokens = await startTokenServer({ extra: { instance_url: api.url } });
    const auth = oauth2RefreshTokenAuth({ system: 'salesforce', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials(REFRESH_CREDENTIALS) });
    const http = createHttpClient({ system: 'salesforce', auth, baseUrl: async () => `${await auth.instanceUrl()}/services/data/v61.0` });
    const res = await http.request({ method: 'GET', path: '/sobjects/Account/001xx' });
    expect(res.body).toEqual({ path: '/services/data/v61.0/sobjects/Account/001xx', authorization: 'Bearer at-1' });
    expect(tokens.issued).toEqual(['at-1']);
  });

  it('tokens are kept per tenant and connection, never shared', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi(() => true);
    const tenantA = { tenantId: uniqueName('tenant-a'), connectionId: 'crm' };
    const tenantB = { tenantId: uniqueName('tenant-b'), connectionId: 'crm' };
    const authA = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: tenantA, ...memoryCredentials({ ...REFRESH_CREDENTIALS, refreshToken: 'rt-tenant-a' }) });
    const authB = oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: tenantB, ...memoryCredentials({ ...REFRESH_CREDENTIALS, refreshToken: 'rt-tenant-b' }) });
    const a = await clientFor(api, authA).request<{ token: string }>({ method: 'GET', path: '/x' });
    const b = await clientFor(api, authB).request<{ token: string }>({ method: 'GET', path: '/x' });
    expect(a.body.token).not.toBe(b.body.token);
    expect(tokens.grants().map((g) => g.get('refresh_token'))).toEqual(['rt-tenant-a', 'rt-tenant-b']);
  });

  it('incomplete credentials are permanent and name the missing field, not the values', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi(() => true);
    const auth = oauth2RefreshTokenAuth({
      system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(),
      ...memoryCredentials({ clientId: 'client-x', clientSecret: 'secret-value-e3b0c442' }),
    });
    const err = await failureOf(clientFor(api, auth).request({ method: 'GET', path: '/x' }));
    expect(err.kind).toBe('permanent');
    expect(err.message).toContain('refreshToken');
    expect(err.message).not.toContain('secret-value-e3b0c442');
    expect(tokens.server.received).toHaveLength(0);
  });
});

describe('OAuth 2.0 client credentials', () => {
  it('sends the grant with its scope, caches the token and fetches it once for parallel calls', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi((token) => token === 'at-1');
    const auth = oauth2ClientCredentialsAuth({
      system: 'dynamics', tokenUrl: tokens.tokenUrl, connection: newConnection(), scope: 'https://org.crm.dynamics.com/.default',
      credentials: async () => ({ clientId: 'app-id', clientSecret: 'app-secret-9a8b7c' }),
    });
    const http = clientFor(api, auth);
    await Promise.all(Array.from({ length: 10 }, () => http.request({ method: 'GET', path: '/api/data/v9.2/accounts' })));
    await http.request({ method: 'GET', path: '/api/data/v9.2/contacts' });
    expect(tokens.issued).toEqual(['at-1']);
    expect(Object.fromEntries(tokens.grants()[0])).toEqual({
      grant_type: 'client_credentials', scope: 'https://org.crm.dynamics.com/.default', client_id: 'app-id', client_secret: 'app-secret-9a8b7c',
    });
    expect(api.received).toHaveLength(11);
  });

  it('a rejected client is permanent', async () => {
    const tokens = await startTokenServer({ reject: (res) => sendJson(res, 401, { error: 'invalid_client' }) });
    const api = await startBearerApi(() => true);
    const auth = oauth2ClientCredentialsAuth({
      system: 'marketo', tokenUrl: tokens.tokenUrl, connection: newConnection(), credentials: async () => ({ clientId: 'id', clientSecret: 'wrong-secret' }),
    });
    const err = await failureOf(clientFor(api, auth).request({ method: 'GET', path: '/rest/v1/leads.json' }));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(err.message).toMatch(/invalid_client/);
  });
});

describe('API key', () => {
  it('goes in a header with an optional prefix, read from the store at each use', async () => {
    const api = await startServer((_req, res) => sendJson(res, 200, {}));
    const store = memoryCredentials({ apiKey: 'sk_test_first0000000000' });
    const stripe = clientFor(api, apiKeyAuth({ system: 'stripe', credentials: store.credentials, placement: { in: 'header', name: 'Authorization', prefix: 'Bearer ' } }));
    await stripe.request({ method: 'GET', path: '/v1/customers' });
    store.replace({ apiKey: 'sk_test_rolled0000000000' });
    await stripe.request({ method: 'GET', path: '/v1/customers' });
    expect(api.received.map((r) => r.headers.authorization)).toEqual(['Bearer sk_test_first0000000000', 'Bearer sk_test_rolled0000000000']);
  });

  it('goes in a custom header or a query parameter', async () => {
    const api = await startServer((_req, res) => sendJson(res, 200, {}));
    const credentials = async () => ({ apiKey: 'shpat_key&value=1' });
    await clientFor(api, apiKeyAuth({ system: 'shopify', credentials, placement: { in: 'header', name: 'X-Shopify-Access-Token' } }))
      .request({ method: 'GET', path: '/admin/api/2025-01/products.json' });
    await clientFor(api, apiKeyAuth({ system: 'legacy', credentials, placement: { in: 'query', name: 'api_key' } }))
      .request({ method: 'GET', path: '/items', query: { page: 2 } });
    expect(api.received[0].headers['x-shopify-access-token']).toBe('shpat_key&value=1');
    expect(api.received[1].query.get('api_key')).toBe('shpat_key&value=1');
    expect(api.received[1].query.get('page')).toBe('2');
  });
});

describe('Basic', () => {
  it('sends user:password, and its base64 form never appears in an error that echoes it', () => withScrubber(async () => {
    const api = await startServer((req, res) =>
      req.path === '/echo' ? sendJson(res, 500, { youSent: req.headers.authorization?.replace('Basic ', '') }) : sendJson(res, 200, {}));
    const password = `api-token-${crypto.randomUUID()}`;
    const http = clientFor(api, basicAuth({ system: 'jira', credentials: async () => ({ username: 'ada@example.com', password }) }));
    await http.request({ method: 'GET', path: '/rest/api/3/myself' });
    const [scheme, encoded] = String(api.received[0].headers.authorization).split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(encoded, 'base64').toString()).toBe(`ada@example.com:${password}`);

    const err = await failureOf(http.request({ method: 'GET', path: '/echo' }));
    expect(err.message).toContain('youSent');
    expect(err.message).not.toContain(encoded);
    expect(err.message).not.toContain(password);
  }));
});

/** An independent OAuth 1.0a HMAC-SHA256 check (RFC 5849 §3.4), written from the RFC, not the library. */
function verifyOAuth1(req: ReceivedRequest, baseUrl: string, consumerSecret: string, tokenSecret: string) {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const header = String(req.headers.authorization);
  expect(header.startsWith('OAuth ')).toBe(true);
  const fields = Object.fromEntries([...header.slice(6).matchAll(/([\w]+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2])]));
  const params: Array<[string, string]> = Object.entries(fields).filter(([k]) => k !== 'realm' && k !== 'oauth_signature');
  params.push(...req.query);
  if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) params.push(...new URLSearchParams(req.body));
  const normalized = params.map(([k, v]) => [enc(k), enc(v)]).sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const baseString = [req.method, enc(`${baseUrl}${req.path}`), enc(normalized)].join('&');
  const expected = crypto.createHmac('sha256', `${enc(consumerSecret)}&${enc(tokenSecret)}`).update(baseString).digest('base64');
  return { fields, valid: fields.oauth_signature === expected };
}

describe('OAuth 1.0a (NetSuite TBA)', () => {
  it('signs each request with HMAC-SHA256 that the server can recompute, realm = account id', async () => {
    const secrets = { consumerSecret: 'consumer-secret-1f2e', tokenSecret: 'token-secret-3d4c' };
    const verdicts: Array<ReturnType<typeof verifyOAuth1>> = [];
    const api = await startServer((req, res) => {
      const verdict = verifyOAuth1(req, api.url, secrets.consumerSecret, secrets.tokenSecret);
      verdicts.push(verdict);
      sendJson(res, verdict.valid ? 200 : 401, {});
    });
    const auth = oauth1Auth({
      system: 'netsuite',
      credentials: async () => ({ consumerKey: 'ck-123', tokenId: 'tk-456', accountId: '1234567_SB1', ...secrets }),
    });
    const http = clientFor(api, auth, 'netsuite');
    await http.request({ method: 'GET', path: '/services/rest/record/v1/customer', query: { q: "email START_WITH 'a b'", limit: 5, fields: ['id', 'email'] } });
    await http.request({ method: 'POST', path: '/services/rest/query/v1/suiteql', json: { q: 'SELECT id FROM customer' } });
    await http.request({ method: 'POST', path: '/app/site/hosting/restlet.nl', query: { script: 12, deploy: 1 }, form: { name: 'Ada & Co', tags: ['x', 'y z'] } });

    expect(verdicts.map((v) => v.valid)).toEqual([true, true, true]);
    for (const { fields } of verdicts) {
      expect(fields).toMatchObject({ realm: '1234567_SB1', oauth_consumer_key: 'ck-123', oauth_token: 'tk-456', oauth_signature_method: 'HMAC-SHA256', oauth_version: '1.0' });
    }
    expect(new Set(verdicts.map((v) => v.fields.oauth_nonce)).size).toBe(3);
  });
});

describe('session login (Sage Intacct style)', () => {
  function loginServer() {
    let sessions = 0;
    return {
      logins: () => sessions,
      login: async (credentials: Credentials): Promise<Session> => {
        expect(credentials).toMatchObject({ senderId: 'sender', userPassword: 'user-password-77aa' });
        sessions += 1;
        return { sessionId: `session-${sessions}`, expiresAt: Date.now() + 3600_000 };
      },
    };
  }

  it('logs in once for parallel calls, attaches the session, and logs in again once after a 401', async () => {
    const valid = new Set(['session-1']);
    const api = await startServer((req, res) => {
      const sessionId = String(req.headers.authorization).replace('Bearer ', '');
      sendJson(res, valid.has(sessionId) ? 200 : 401, { sessionId });
    });
    const system = loginServer();
    const auth = sessionAuth({
      connection: newConnection(), login: system.login, cache: new SingleFlightCache<Session>(),
      credentials: async () => ({ senderId: 'sender', senderPassword: 'sender-password-99bb', userId: 'u', userPassword: 'user-password-77aa', companyId: 'c' }),
    });
    const http = clientFor(api, auth, 'sage-intacct');
    await Promise.all(Array.from({ length: 10 }, () => http.request({ method: 'GET', path: '/x' })));
    expect(system.logins()).toBe(1);

    valid.clear(); // the session expired on the server side
    valid.add('session-2');
    const res = await http.request<{ sessionId: string }>({ method: 'GET', path: '/x' });
    expect(res.body.sessionId).toBe('session-2');
    expect(system.logins()).toBe(2);
  });

  it('can put the session inside the body, and a "session expired" answer in a 200 counts as a 401', async () => {
    const api = await startServer((req, res) => {
      const ok = req.body.includes('<sessionid>session-2</sessionid>');
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(ok ? '<response><status>success</status></response>' : '<response><status>failure</status><errorno>XL03000006</errorno></response>');
    });
    const system = loginServer();
    const auth = sessionAuth({
      connection: newConnection(), login: system.login,
      credentials: async () => ({ senderId: 'sender', userPassword: 'user-password-77aa' }),
      attach: (req, sessionId) => { req.body = req.body?.replace('<sessionid/>', `<sessionid>${sessionId}</sessionid>`); },
    });
    const http = createHttpClient({
      system: 'sage-intacct', baseUrl: api.url, auth,
      classify: (r) => (String(r.body).includes('XL03000006')
        ? new ConnectorError({ kind: 'permanent', system: 'sage-intacct', status: 401, message: 'sage-intacct: session expired' }) : null),
    });
    const res = await http.request<string>({ method: 'POST', path: '/ia/xml/xmlgw.phtml', body: '<request><sessionid/><function/></request>', headers: { 'content-type': 'application/xml' } });
    expect(res.body).toContain('success');
    expect(system.logins()).toBe(2);
    expect(api.received.map((r) => r.body)).toEqual([
      '<request><sessionid>session-1</sessionid><function/></request>',
      '<request><sessionid>session-2</sessionid><function/></request>',
    ]);
  });
});

describe('credentials never come from the environment', () => {
  const tempting: Record<string, string> = {
    HUBSPOT_ACCESS_TOKEN: 'env-hubspot-access-token-d41d8cd9',
    OAUTH_REFRESH_TOKEN: 'env-refresh-token-8f00b204',
    OAUTH_CLIENT_SECRET: 'env-client-secret-e9800998',
    STRIPE_API_KEY: 'sk_test_envkey0000000000',
    API_KEY: 'env-api-key-ecf8427e',
    ACCESS_TOKEN: 'env-access-token-0f343b09',
  };
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [name, value] of Object.entries(tempting)) { saved[name] = process.env[name]; process.env[name] = value; }
  });
  afterEach(() => {
    for (const name of Object.keys(tempting)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('no plug-in sends a value planted in process.env, even when the store lacks a field', async () => {
    const tokens = await startTokenServer();
    const api = await startBearerApi(() => true);
    const connection = newConnection();
    await clientFor(api, oauth2RefreshTokenAuth({ system: 'hubspot', tokenUrl: tokens.tokenUrl, connection, ...memoryCredentials(REFRESH_CREDENTIALS) }))
      .request({ method: 'GET', path: '/crm/v3/objects/contacts' });
    await clientFor(api, oauth2ClientCredentialsAuth({ system: 'graph', tokenUrl: tokens.tokenUrl, connection: newConnection(), credentials: async () => ({ clientId: 'a', clientSecret: 'b-secret' }) }))
      .request({ method: 'GET', path: '/v1.0/teams' });
    await clientFor(api, apiKeyAuth({ system: 'stripe', credentials: async () => ({ apiKey: 'sk_test_store000000000000' }), placement: { in: 'header', name: 'authorization', prefix: 'Bearer ' } }))
      .request({ method: 'GET', path: '/v1/customers' });
    await clientFor(api, basicAuth({ system: 'jira', credentials: async () => ({ username: 'u', password: 'p-store' }) }))
      .request({ method: 'GET', path: '/rest/api/3/myself' });
    const missing = await failureOf(clientFor(api, oauth2RefreshTokenAuth({
      system: 'hubspot', tokenUrl: tokens.tokenUrl, connection: newConnection(), ...memoryCredentials({ clientId: 'c', clientSecret: 'd-secret' }),
    })).request({ method: 'GET', path: '/x' }));
    expect(missing.kind).toBe('permanent');

    expect(api.received.length).toBeGreaterThanOrEqual(4);
    const everything = `${api.everythingReceived()}\n${tokens.server.everythingReceived()}`;
    for (const value of Object.values(tempting)) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
    }
  });
});
