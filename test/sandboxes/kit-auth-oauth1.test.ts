import { oauth1Auth } from '../../src/platform/auth/oauth1';
import { createHttpClient, type AuthPlugin, type HttpClient } from '../../src/platform/http';
import { json, oauth1, percentEncode, signatureBaseString, startSandbox, type RunningSandbox, type SandboxDefinition } from '../../sandboxes/kit';

// The sandbox kit's OAuth 1.0a (NetSuite TBA) against real signatures: the platform's client
// (src/platform/auth/oauth1.ts, the oauth-1.0a npm package, HMAC-SHA256) signs, the sandbox checks.
// The base string is also checked against RFC 5849's own worked example, independently of both.

const REALM = '1234567_SB1';

function echoSandbox(): SandboxDefinition {
  const echo = (req: { method: string; query: URLSearchParams; body: unknown }, ctx: { principal?: { subject: string } }) =>
    json(200, { method: req.method, query: Object.fromEntries(req.query), body: req.body ?? null, principal: ctx.principal?.subject });
  return {
    system: 'oauth1-test',
    objects: [],
    auth: oauth1({ realm: REALM }),
    routes: [
      { method: 'GET', path: '/services/rest/record/v1/customer', handle: echo },
      { method: 'POST', path: '/services/rest/record/v1/customer', handle: echo },
      { method: 'POST', path: '/app/site/hosting/restlet.nl', handle: echo },
    ],
    errors: {
      unauthorized: (failure) => json(401, { type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2', title: 'Unauthorized', status: 401,
        'o:errorDetails': [{ detail: `Invalid login attempt (${failure}).`, 'o:errorCode': 'INVALID_LOGIN_ATTEMPT' }] }),
      rateLimited: () => json(429, {}),
      notFound: () => json(404, {}),
      malformedBody: () => json(400, {}),
      forStatus: (status) => json(status, {}),
    },
  };
}

describe('sandbox kit: OAuth 1.0a (HMAC-SHA256, NetSuite TBA)', () => {
  let sandbox: RunningSandbox;
  let credentials: Record<string, string>;
  /** The Authorization headers the platform's client sent, newest last. */
  let sent: string[];
  let client: HttpClient;

  const clientFor = (creds: () => Record<string, string>): HttpClient => {
    const plugin = oauth1Auth({ system: 'netsuite', credentials: async () => creds() });
    const recording: AuthPlugin = { async apply(req) { await plugin.apply(req); sent.push(req.headers.authorization); } };
    return createHttpClient({ system: 'netsuite', baseUrl: sandbox.url, auth: recording });
  };
  const raw = async (method: string, path: string, authorization: string, body?: string) => {
    const res = await fetch(`${sandbox.url}${path}`, { method, headers: { authorization, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, body });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };

  beforeEach(async () => {
    sandbox = await startSandbox(echoSandbox());
    credentials = sandbox.credentials().credentials as Record<string, string>;
    sent = [];
    client = clientFor(() => credentials);
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it("rebuilds RFC 5849's example base string (§3.4.1.1) exactly", () => {
    const params: Array<[string, string]> = [
      ['b5', '=%3D'], ['a3', 'a'], ['c@', ''], ['a2', 'r b'], // the query, decoded
      ['oauth_consumer_key', '9djdj82h48djs9d2'], ['oauth_token', 'kkk9d7dh3k39sjv7'], ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'], ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''], ['a3', '2 q'], // the form body, decoded
    ];
    expect(signatureBaseString('POST', 'http://example.com/request', params)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7');
    expect(percentEncode("!*'()~ é")).toBe('%21%2A%27%28%29~%20%C3%A9');
  });

  it('hands out NetSuite-shaped credentials: consumer key/secret, token id/secret, account id as realm', () => {
    expect(Object.keys(credentials).sort()).toEqual(['accountId', 'consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret']);
    expect(credentials.accountId).toBe(REALM);
  });

  it('accepts requests the platform client signs: a query, a form body, a JSON body', async () => {
    const get = await client.request<any>({ method: 'GET', path: '/services/rest/record/v1/customer', query: { q: 'email IS "a+b@example.com"', limit: 5 } });
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ query: { q: 'email IS "a+b@example.com"', limit: '5' }, principal: expect.stringContaining(REALM) });
    const form = await client.request<any>({ method: 'POST', path: '/app/site/hosting/restlet.nl', query: { script: '12', deploy: '1' }, form: { name: 'Ada & Bob', tags: 'a b' } });
    expect(form.body.body).toEqual({ name: 'Ada & Bob', tags: 'a b' });
    const posted = await client.request<any>({ method: 'POST', path: '/services/rest/record/v1/customer', json: { companyName: 'Acme' } });
    expect(posted.body.body).toEqual({ companyName: 'Acme' });
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(new RegExp(`^OAuth realm="${REALM}", .*oauth_signature_method="HMAC-SHA256"`));
  });

  it('refuses a bad signature, another realm, an unknown token, a changed query: 401', async () => {
    await client.request({ method: 'GET', path: '/services/rest/record/v1/customer', query: { limit: 5 } });
    const header = sent[0];
    const tampered = header.replace(/oauth_signature="([^"]+)"/, (_m, sig: string) => `oauth_signature="${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}"`);
    expect((await raw('GET', '/services/rest/record/v1/customer?limit=5', tampered)).status).toBe(401);

    await client.request({ method: 'GET', path: '/services/rest/record/v1/customer', query: { limit: 5 } });
    expect((await raw('GET', '/services/rest/record/v1/customer?limit=6', sent[1])).status).toBe(401); // signed for limit=5

    const other = clientFor(() => ({ ...credentials, accountId: '7654321' }));
    await expect(other.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).rejects.toMatchObject({ kind: 'permanent', status: 401 });
    const stranger = clientFor(() => ({ ...credentials, tokenId: 'sbx-tid-unknown' }));
    await expect(stranger.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).rejects.toMatchObject({ status: 401 });
    const wrongSecret = clientFor(() => ({ ...credentials, tokenSecret: 'not-the-secret' }));
    await expect(wrongSecret.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a replayed request (its nonce was used): 401', async () => {
    await client.request({ method: 'POST', path: '/app/site/hosting/restlet.nl', form: { a: '1' } });
    const replay = await raw('POST', '/app/site/hosting/restlet.nl', sent[0], 'a=1');
    expect(replay.status).toBe(401);
    expect(JSON.stringify(replay.body)).toMatch(/INVALID_LOGIN_ATTEMPT/);
  });

  it('refuses a timestamp outside the 5-minute window, either way', async () => {
    sandbox.clock.set(Date.now() + 6 * 60_000, false);
    await expect(client.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).rejects.toMatchObject({ status: 401 });
    sandbox.clock.set(Date.now() - 6 * 60_000, false);
    await expect(client.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).rejects.toMatchObject({ status: 401 });
    sandbox.clock.set(Date.now() + 4 * 60_000, false);
    expect((await client.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).status).toBe(200);
  });

  it('expire-token revokes the access token; the credentials hand out a new one', async () => {
    const before = { ...credentials };
    const posted = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [{ kind: 'expire-token' }] }) });
    expect(posted.status).toBe(200);
    await expect(client.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).rejects.toMatchObject({ status: 401 });
    credentials = sandbox.credentials().credentials as Record<string, string>;
    expect(credentials.tokenId).not.toBe(before.tokenId);
    expect(credentials.consumerKey).toBe(before.consumerKey);
    expect((await client.request({ method: 'GET', path: '/services/rest/record/v1/customer' })).status).toBe(200);
  });
});
