import { randomUUID } from 'node:crypto';
import { sessionAuth, type Session } from '../../src/platform/auth/session';
import { SingleFlightCache } from '../../src/platform/auth/single-flight-cache';
import { ConnectorError } from '../../src/platform/errors';
import { createHttpClient, type HttpClient } from '../../src/platform/http';
import { json, sessionLogin, startSandbox, type Reply, type RunningSandbox, type SandboxDefinition, type SandboxRequest } from '../../sandboxes/kit';

// The sandbox kit's session login against the platform's session plug-in (src/platform/auth/session.ts):
// a login call answers a session id; calls carry it; an expired or ended session is answered 401 and
// the client logs in again. Two shapes: a JSON login with a bearer session, and Sage Intacct's one
// XML endpoint where the login and every call share a path and the session travels in the body.

const errors = {
  unauthorized: (failure: string) => json(401, { error: `session ${failure}` }),
  rateLimited: () => json(429, {}),
  notFound: () => json(404, {}),
  malformedBody: () => json(400, {}),
  forStatus: (status: number) => json(status, {}),
};

function jsonSessionSandbox(): SandboxDefinition {
  return {
    system: 'session-test',
    objects: [],
    auth: sessionLogin({
      login: { path: '/api/login' },
      credentials: { username: 'integration@example.com', password: { secret: true } },
      sessionTtlSeconds: 600,
      loginResponse: (s) => json(200, { sessionId: s.sessionId, expiresIn: s.expiresIn }),
      errors: { badLogin: () => json(401, { error: 'invalid_login' }) },
    }),
    routes: [{ method: 'GET', path: '/api/things', handle: (_req, ctx) => json(200, { things: [], who: ctx.principal?.subject }) }],
    errors,
  };
}

const INTACCT_PATH = '/ia/xml/xmlgw.phtml';
const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

function intacctSandbox(): SandboxDefinition {
  const xml = (status: number, body: string): Reply => ({ status, body, headers: { 'content-type': 'application/xml' } });
  return {
    system: 'intacct-test',
    objects: [],
    auth: sessionLogin({
      login: {
        path: INTACCT_PATH,
        when: (probe) => probe.rawBody.includes('<getAPISession'),
        read: (req: SandboxRequest) => ({ userId: tag(req.rawBody, 'userid') ?? '', companyId: tag(req.rawBody, 'companyid') ?? '', password: tag(req.rawBody, 'password') ?? '' }),
      },
      readSession: (req) => tag(req.rawBody, 'sessionid'),
      credentials: { userId: 'xml_gateway', companyId: 'ACME-SBX', password: { secret: true } },
      sessionTtlSeconds: 3600,
      sliding: true,
      loginResponse: (s) => xml(200, `<response><operation><result><status>success</status><data><api><sessionid>${s.sessionId}</sessionid><sessiontimeout>${s.expiresAt}</sessiontimeout></api></data></result></operation></response>`),
      errors: { badLogin: () => xml(200, '<response><operation><authentication><status>failure</status></authentication><errormessage><error><errorno>XL03000006</errorno></error></errormessage></operation></response>') },
    }),
    routes: [{ method: 'POST', path: INTACCT_PATH, handle: () => xml(200, '<response><operation><result><status>success</status><function>readByQuery</function></result></operation></response>') }],
    errors: { ...errors, unauthorized: () => xml(200, '<response><operation><authentication><status>failure</status></authentication></operation></response>') },
  };
}

describe('sandbox kit: session login', () => {
  let sandbox: RunningSandbox;
  afterEach(async () => {
    await sandbox?.stop();
  });

  /** The platform's session plug-in over a JSON login; counts the logins it makes. */
  function jsonClient(credentials: () => Record<string, unknown>): { client: HttpClient; logins: () => number } {
    let logins = 0;
    const auth = sessionAuth({
      connection: { tenantId: `t-${randomUUID()}`, connectionId: `c-${randomUUID()}` },
      credentials: async () => credentials(),
      cache: new SingleFlightCache<Session>(),
      login: async (c) => {
        logins++;
        const res = await fetch(`${sandbox.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c) });
        const body = (await res.json()) as { sessionId?: string; expiresIn?: number };
        if (!body.sessionId) throw new ConnectorError({ kind: 'permanent', system: 'session-test', status: res.status, message: 'login refused' });
        return { sessionId: body.sessionId, expiresAt: Date.now() + (body.expiresIn ?? 0) * 1000 };
      },
    });
    return { client: createHttpClient({ system: 'session-test', baseUrl: sandbox.url, auth }), logins: () => logins };
  }

  it('a login answers a session id the calls then carry; a wrong password is refused', async () => {
    sandbox = await startSandbox(jsonSessionSandbox());
    const credentials = sandbox.credentials().credentials;
    expect(Object.keys(credentials).sort()).toEqual(['password', 'username']);
    const { client, logins } = jsonClient(() => credentials);
    expect((await client.request<any>({ method: 'GET', path: '/api/things' })).body).toEqual({ things: [], who: 'integration@example.com' });
    await client.request({ method: 'GET', path: '/api/things' });
    expect(logins()).toBe(1);
    const wrong = jsonClient(() => ({ ...credentials, password: 'nope' }));
    await expect(wrong.client.request({ method: 'GET', path: '/api/things' })).rejects.toMatchObject({ kind: 'permanent' });
    expect((await fetch(`${sandbox.url}/api/things`, { headers: { authorization: 'Bearer never-issued' } })).status).toBe(401);
    expect((await fetch(`${sandbox.url}/api/things`)).status).toBe(401);
  });

  it('an expired session is answered 401; the client logs in again once and goes on', async () => {
    sandbox = await startSandbox(jsonSessionSandbox());
    const { client, logins } = jsonClient(() => sandbox.credentials().credentials);
    await client.request({ method: 'GET', path: '/api/things' });
    sandbox.clock.advance(601_000); // past the 600 s lifetime on the sandbox clock; the client still thinks it valid
    expect((await client.request({ method: 'GET', path: '/api/things' })).status).toBe(200);
    expect(logins()).toBe(2);
    expect(sandbox.requests.list().map((r) => `${r.path} ${r.status}`)).toEqual(['/api/login 200', '/api/things 200', '/api/things 401', '/api/login 200', '/api/things 200']);
  });

  it('the expire-token fault ends every session at once', async () => {
    sandbox = await startSandbox(jsonSessionSandbox());
    const { client, logins } = jsonClient(() => sandbox.credentials().credentials);
    await client.request({ method: 'GET', path: '/api/things' });
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [{ kind: 'expire-token' }] }) });
    expect((await client.request({ method: 'GET', path: '/api/things' })).status).toBe(200);
    expect(logins()).toBe(2);
  });

  it('Sage Intacct style: login and calls share one XML endpoint; the session travels in the body and slides', async () => {
    sandbox = await startSandbox(intacctSandbox());
    const { userId, companyId, password } = sandbox.credentials().credentials as Record<string, string>;
    const post = async (body: string) => {
      const res = await fetch(`${sandbox.url}${INTACCT_PATH}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
      return res.text();
    };
    const login = (pw: string) => `<request><operation><authentication><login><userid>${userId}</userid><companyid>${companyId}</companyid><password>${pw}</password></login></authentication><content><function controlid="1"><getAPISession/></function></content></operation></request>`;
    const call = (session: string) => `<request><operation><authentication><sessionid>${session}</sessionid></authentication><content><function controlid="2"><readByQuery><object>CUSTOMER</object></readByQuery></function></content></operation></request>`;

    expect(await post(login('wrong'))).toMatch(/XL03000006/);
    const session = tag(await post(login(password)), 'sessionid')!;
    expect(session).toBeTruthy();
    expect(await post(call(session))).toMatch(/readByQuery/);
    sandbox.clock.advance(3_000_000); // 50 minutes: used just now, the session slides on
    expect(await post(call(session))).toMatch(/readByQuery/);
    sandbox.clock.advance(3_000_000);
    expect(await post(call(session))).toMatch(/readByQuery/);
    sandbox.clock.advance(3_700_000); // idle longer than the timeout
    expect(await post(call(session))).toMatch(/<status>failure<\/status>/);
    expect(await post(call('never-issued'))).toMatch(/<status>failure<\/status>/);
  });
});
