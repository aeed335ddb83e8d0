import { startGateway, type TestGateway } from '../helpers/gateway';
import { startLoopbackServer, sendJson, type LoopbackServer } from '../helpers/loopback-server';
import { uniqueName } from '../helpers/stack';

// A tenant aims connections at internal addresses. With an empty allowlist none of them may be
// reached: the connection is refused (400 naming config.baseUrl) or its check fails with a refusal,
// the victim server receives nothing, and nothing answers 5xx.
const CANARY = 'sk_test_ssrfcanary7f3a9c1e5b2d4086';

describe('SSRF: a tenant cannot make connectors reach internal addresses', () => {
  let gw: TestGateway;
  let tenant: { id: string; apiKey: string };
  let victim: LoopbackServer;
  let port: number;

  beforeAll(async () => {
    gw = await startGateway({ FORGE_EGRESS_ALLOW: '' });
    tenant = await gw.createTenant();
    victim = await startLoopbackServer((_req, res) => sendJson(res, 500, { secret: 'internal-vault-answer' }));
    port = Number(new URL(victim.url).port);
  });
  afterAll(async () => {
    await victim?.stop();
    await gw?.close();
  });

  const variants = (): Array<[string, string]> => [
    ['loopback', `http://127.0.0.1:${port}`],
    ['loopback, short form', `http://127.1:${port}`],
    ['decimal IPv4', `http://2130706433:${port}`],
    ['hex IPv4', `http://0x7f000001:${port}`],
    ['dotted hex', `http://0x7f.0x0.0x0.0x1:${port}`],
    ['octal IPv4', `http://0177.0.0.1:${port}`],
    ['unspecified 0.0.0.0 (reaches loopback on Linux)', `http://0.0.0.0:${port}`],
    ['IPv6 loopback', `http://[::1]:${port}`],
    ['IPv4-mapped IPv6', `http://[::ffff:127.0.0.1]:${port}`],
    ['IPv4-mapped IPv6, hex', `http://[::ffff:7f00:1]:${port}`],
    ['a name resolving to loopback', `http://localhost:${port}`],
    ['link-local metadata', 'http://169.254.169.254'],
    ['private 10/8', 'http://10.0.0.1'],
    ['private 192.168/16', 'http://192.168.1.1'],
    ['unique-local IPv6', 'http://[fc00::1]'],
    ['link-local IPv6', 'http://[fe80::1]'],
    ['NAT64 embedding loopback', 'http://[64:ff9b::7f00:1]'],
    ['userinfo', `http://user:pass@127.0.0.1:${port}`],
    ['userinfo on a public host', 'https://user:pass@api.stripe.com'],
    ['fragment that swallows the path', 'https://api.stripe.com/#'],
    ['query that swallows the path', 'https://api.stripe.com/?x='],
    ['non-http scheme', 'file:///etc/passwd'],
    ['gopher', `gopher://127.0.0.1:${port}/_x`],
  ];

  it.each([0])('refuses every variant at creation or at connect time (%#)', async () => {
    const outcomes: Array<{ name: string; outcome: string }> = [];
    for (const [name, baseUrl] of variants()) {
      const created = await gw.call('POST', '/v1/connections', {
        key: tenant.apiKey, body: { connector: 'stripe', name: uniqueName('ssrf'), credentials: { apiKey: CANARY }, config: { baseUrl } },
      });
      expect({ name, status: created.status < 500 }).toEqual({ name, status: true });
      expect(created.text).not.toContain(CANARY);
      if (created.status === 400) {
        expect({ name, fields: created.body.error.fields.map((f: { field: string }) => f.field) }).toEqual({ name, fields: ['config.baseUrl'] });
        outcomes.push({ name, outcome: 'refused at creation' });
        continue;
      }
      expect({ name, status: created.status }).toEqual({ name, status: 201 });
      const tested = await gw.call('POST', `/v1/connections/${created.body.id}/test`, { key: tenant.apiKey });
      expect({ name, status: tested.status }).toEqual({ name, status: 200 });
      expect({ name, ok: tested.body.ok, refused: /refused/i.test(tested.body.error?.message ?? '') })
        .toEqual({ name, ok: false, refused: true });
      expect(tested.text).not.toContain('internal-vault-answer');
      outcomes.push({ name, outcome: 'refused at connect time' });
    }
    expect(victim.received).toEqual([]);
    expect(outcomes.length).toBe(variants().length);
  });
});
