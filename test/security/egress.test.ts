import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { buildConnectorContext } from '../../src/connectors/context';
import { salesforceConnector } from '../../src/connectors/salesforce';
import { createHttpClient } from '../../src/platform/http';
import { noAuth } from '../../src/platform/auth';
import {
  configureEgress, createEgressDispatcher, egressUrl, egressUrlProblem, parseEgressAllowlist,
} from '../../src/platform/network';
import { InMemoryCredentialStore } from '../helpers/sandbox-connection';
import { loopbackServers, sendJson } from '../helpers/loopback-server';

const serve = loopbackServers();

/** A server on another loopback address (127.0.0.2): reachable, but not on the allowlist below. */
async function victimOn(host: string): Promise<{ url: string; hits: string[]; stop(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => { hits.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`); res.end('{}'); });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, hits,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('egress policy', () => {
  afterAll(() => configureEgress(process.env.FORGE_EGRESS_ALLOW));

  it('the base-URL schema names what is wrong, and accepts public https URLs', () => {
    configureEgress('');
    const schema = egressUrl('https://api.stripe.com');
    expect(schema.parse(undefined)).toBe('https://api.stripe.com');
    expect(schema.safeParse('https://api.hubapi.com').success).toBe(true);
    for (const [url, why] of [
      ['ftp://example.com', /http or https/], ['https://u:p@example.com', /user name or password/], ['https://example.com/?a=1', /query/],
      ['https://example.com/#', /fragment/], ['http://2130706433', /loopback/], ['http://[::ffff:a9fe:a9fe]', /linkLocal/],
      ['http://0x0a.0.0.1', /private/], ['http://[fd00::1]', /uniqueLocal/], ['not a url', /absolute/],
    ] as const) {
      const parsed = schema.safeParse(url);
      expect({ url, ok: parsed.success }).toEqual({ url, ok: false });
      expect(parsed.error!.issues[0].message).toMatch(why);
    }
  });

  it('an allowlist names hosts or CIDRs and refuses anything else', () => {
    const policy = parseEgressAllowlist('127.0.0.1, sandbox.internal 10.1.0.0/16 [::1]');
    expect(egressUrlProblem('http://127.0.0.1:9', { policy })).toBeNull();
    expect(egressUrlProblem('http://10.1.2.3', { policy })).toBeNull();
    expect(egressUrlProblem('http://[::1]:80', { policy })).toBeNull();
    expect(egressUrlProblem('http://10.2.0.1', { policy })).toMatch(/private/);
    expect(egressUrlProblem('http://127.0.0.2', { policy })).toMatch(/loopback/);
    expect(() => parseEgressAllowlist('127.0.0.1/99')).toThrow(/FORGE_EGRESS_ALLOW/);
    expect(() => parseEgressAllowlist('http://x')).toThrow(/FORGE_EGRESS_ALLOW/);
  });

  it('checks the address DNS answers at connect time, so a name that rebinds to a private address is refused', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { ok: true }));
    const port = new URL(server.url).port;
    let answer = '127.0.0.1';
    const fakeDns = ((_hostname: string, _options: dns.LookupOptions, cb: (e: null, a: dns.LookupAddress[]) => void) => {
      cb(null, [{ address: answer, family: answer.includes(':') ? 6 : 4 }]);
    }) as unknown as typeof dns.lookup;
    const policy = parseEgressAllowlist('127.0.0.1');
    const dispatcher = createEgressDispatcher({ policy: () => policy, lookup: fakeDns });
    // Allowed address: the socket connects to exactly what was checked.
    const ok = await request(`http://rebind.test:${port}/first`, { dispatcher });
    expect(ok.statusCode).toBe(200);
    await ok.body.text();
    await dispatcher.close();
    // The same name now answers a private address: refused before any byte is sent.
    for (const rebound of ['10.0.0.7', '169.254.169.254', '::1', '::ffff:127.0.0.2']) {
      answer = rebound;
      const fresh = createEgressDispatcher({ policy: () => policy, lookup: fakeDns });
      await expect(request(`http://rebind.test:${port}/second`, { dispatcher: fresh })).rejects.toMatchObject({ code: 'ERR_EGRESS_REFUSED' });
      await fresh.close();
    }
    expect(server.received.map((r) => r.path)).toEqual(['/first']);
  });

  it('refuses literal addresses in every spelling at connect time too (not only in the schema)', async () => {
    const victim = await victimOn('127.0.0.2');
    const port = new URL(victim.url).port;
    configureEgress('127.0.0.1');
    try {
      for (const host of ['127.0.0.2', '2130706434', '0x7f000002', '0177.0.0.2', '[::ffff:127.0.0.2]', '[::ffff:7f00:2]']) {
        const client = createHttpClient({ system: 'probe', baseUrl: `http://${host}:${port}`, auth: noAuth });
        await expect(client.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/refused/) });
        // The dispatcher alone (no URL check before it) refuses the same connection.
        const dispatcher = createEgressDispatcher({ policy: () => parseEgressAllowlist('127.0.0.1') });
        await expect(request(`http://${host}:${port}/y`, { dispatcher })).rejects.toMatchObject({ code: 'ERR_EGRESS_REFUSED' });
        await dispatcher.close();
      }
      expect(victim.hits).toEqual([]);
    } finally {
      await victim.stop();
    }
  });

  it("does not follow a redirect to an internal address, and refuses Salesforce's instance_url when it names one", async () => {
    const victim = await victimOn('127.0.0.2');
    configureEgress('127.0.0.1');
    try {
      const login = await serve((req, res) => {
        if (req.path === '/redirect') {
          res.writeHead(307, { location: `${victim.url}/steal` });
          res.end();
          return;
        }
        sendJson(res, 200, { access_token: 'access-token-for-ssrf-test-0001', instance_url: victim.url, token_type: 'Bearer' });
      });
      const client = createHttpClient({ system: 'probe', baseUrl: login.url, auth: noAuth });
      await expect(client.request({ method: 'GET', path: '/redirect' })).rejects.toMatchObject({ kind: 'permanent', status: 307 });

      const store = new InMemoryCredentialStore();
      await store.put('tn_ssrf', 'cn_ssrf', { clientId: 'client-id', clientSecret: 'client-secret-ssrf-0001', refreshToken: 'refresh-token-ssrf-0001' });
      const ctx = buildConnectorContext(salesforceConnector, { tenantId: 'tn_ssrf', connectionId: 'cn_ssrf', config: { loginUrl: login.url } }, store);
      await expect(salesforceConnector.check(ctx)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/refused/) });
      expect(login.received.map((r) => r.path)).toEqual(['/redirect', '/services/oauth2/token']);
      expect(victim.hits).toEqual([]);
    } finally {
      await victim.stop();
    }
  });
});
