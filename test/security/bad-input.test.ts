import fc from 'fast-check';
import { seedConnection, seedLoad, startGateway, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';

// Every endpoint, attacked with what a client can send: random JSON, malformed JSON, deep nesting,
// huge numbers, odd ids and query strings. No answer may be a 5xx, an error must name a field,
// and nothing the client sent may be echoed back from a body that did not parse.
const CANARY = 'xoxb-canary-7f3a9c1e5b2d4086';

describe('bad input never answers 5xx', () => {
  let gw: TestGateway;
  let tenant: { id: string; apiKey: string };
  let ids: { connection: string; load: string; capture: string };
  const answers: Array<{ method: string; path: string; status: number }> = [];

  beforeAll(async () => {
    gw = await startGateway();
    tenant = await gw.createTenant();
    const connection = await seedConnection(gw.pool, tenant.id);
    const load = await seedLoad(gw.pool, tenant.id, connection, { status: 'completed', records: [{ status: 'created' }] });
    const capture = uniqueName('cp_seed');
    await gw.pool.query(`INSERT INTO captures (id, tenant_id, connection_id, connector, object, interval_seconds, status, stopped_at)
      VALUES ($1, $2, $3, 'hubspot', 'contacts', 60, 'stopped', now())`, [capture, tenant.id, connection]);
    ids = { connection, load, capture };
  });
  afterAll(async () => { await gw?.close(); });

  async function send(method: string, path: string, init: { body?: string; key?: string | null; contentType?: string } = {}) {
    const headers: Record<string, string> = {};
    const key = init.key === undefined ? tenant.apiKey : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
    const res = await fetch(`${gw.url}${path}`, { method, headers, body: init.body });
    const text = await res.text();
    answers.push({ method, path: path.slice(0, 80), status: res.status });
    let body: any;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status, text, body };
  }

  const routes = () => [
    ['POST', '/v1/connections'], ['POST', '/v1/loads'], ['POST', '/v1/captures'], ['POST', '/v1/bridges'],
    ['POST', `/v1/connections/${ids.connection}/test`], ['POST', `/v1/loads/${ids.load}/cancel`], ['POST', `/v1/loads/${ids.load}/rollback`],
    ['POST', `/v1/captures/${ids.capture}/pause`], ['POST', `/v1/captures/${ids.capture}/resume`], ['POST', '/codec/decode'],
  ] as const;

  it('random JSON bodies on every POST: 4xx naming fields, never 5xx', async () => {
    for (const [method, path] of routes()) {
      await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const res = await send(method, path, { body: JSON.stringify(value) });
        expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
        if (res.status === 400) expect(res.body.error.code).toBeDefined();
      }), { numRuns: 25 });
    }
  });

  it('bodies shaped like the real ones, with wrong types in each field', async () => {
    const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const shapes = {
      '/v1/connections': fc.record({ connector: fc.oneof(fc.constantFrom('stripe', 'hubspot', 'slack', 'salesforce', 'teams'), anything), name: anything,
        credentials: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), anything), config: anything }, { requiredKeys: [] }),
      '/v1/loads': fc.record({ connectionId: fc.oneof(fc.constant(ids.connection), anything), object: fc.oneof(fc.constant('contacts'), anything),
        operation: fc.oneof(fc.constantFrom('create', 'update', 'upsert', 'delete'), anything), naturalKey: anything,
        records: fc.oneof(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }), anything),
        options: fc.oneof(fc.record({ dryRun: anything, verify: anything, onError: anything, rollbackWindowSeconds: fc.oneof(fc.integer(), fc.double(), anything) }, { requiredKeys: [] }), anything),
      }, { requiredKeys: [] }),
      '/v1/captures': fc.record({ connectionId: fc.oneof(fc.constant(ids.connection), anything), object: anything,
        intervalSeconds: fc.oneof(fc.integer(), fc.double(), anything), options: anything }, { requiredKeys: [] }),
      '/v1/bridges': fc.record({ slackConnectionId: anything, slackChannel: anything, teamsConnectionId: anything, teamsChannel: anything }, { requiredKeys: [] }),
    };
    for (const [path, arb] of Object.entries(shapes)) {
      await fc.assert(fc.asyncProperty(arb, async (value) => {
        const res = await send('POST', path, { body: JSON.stringify(value) });
        expect({ path, value, status: res.status < 500 }).toEqual({ path, value, status: true });
        if (res.status === 400) expect(Array.isArray(res.body.error.fields) || typeof res.body.error.message === 'string').toBe(true);
      }), { numRuns: 40 });
    }
  });

  it('malformed JSON: 400, and the body is never echoed back', async () => {
    for (const body of [`{"botToken": "${CANARY}"`, `{"credentials": {"apiKey": "${CANARY}"}}}`, `${CANARY}`, `{"a": ${CANARY}}`, '\u0000', '[']) {
      for (const path of ['/v1/connections', '/v1/loads', '/v1/captures']) {
        const res = await send('POST', path, { body });
        expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
        expect(res.text).not.toContain(CANARY);
        expect(res.body.error.code).toBe('invalid_json');
      }
    }
  });

  it('deep nesting, huge bodies and too many values: 4xx, not 5xx', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const cases: Array<[string, string]> = [
      ['/v1/connections', `{"connector":"stripe","name":"x","credentials":{"apiKey":"sk_test_12345678","n":${deepObject(5000)}},"config":{}}`],
      ['/v1/connections', `{"connector":"stripe","name":"x","credentials":{"apiKey":"sk_test_12345678"},"config":{"n":${deep(5000)}}}`],
      ['/v1/loads', `{"connectionId":"${ids.connection}","object":"contacts","operation":"upsert","records":[{"email":"a@b.c","x":${deepObject(3000)}}]}`],
      ['/v1/connections', JSON.stringify({ connector: 'stripe', name: 'many', credentials: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v'])), config: {} })],
      ['/v1/connections', JSON.stringify({ connector: 'stripe', name: 'x'.repeat(2_000_000), credentials: {}, config: {} })],
      ['/v1/captures', JSON.stringify({ connectionId: ids.connection, object: 'contacts', intervalSeconds: 1e308 })],
    ];
    for (const [path, body] of cases) {
      const res = await send('POST', path, { body });
      expect({ path, len: body.length, status: res.status >= 400 && res.status < 500 }).toEqual({ path, len: body.length, status: true });
    }
    const tooLarge = await send('POST', '/v1/loads', { body: JSON.stringify({ records: [{ blob: 'x'.repeat(70 * 1024 * 1024) }] }) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
  });

  it('odd ids, query strings and numbers: 4xx, not 5xx', async () => {
    const paths = [
      `/v1/loads/${ids.load}/records?after=3000000000`, `/v1/loads/${ids.load}/records?after=-5`, `/v1/loads/${ids.load}/records?limit=1e400`,
      `/v1/loads/${ids.load}/records?status=created&status=failed`,
      `/v1/stream?connectionId=${ids.connection}&after=99999999999999999999`, '/v1/stream?connectionId[]=a', '/v1/stream',
      `/v1/stream?connectionId=${ids.connection}&limit=0`, `/v1/connections/${'x'.repeat(5000)}`, '/v1/connections/%00', '/v1/connections/..%2F..%2Fetc',
      '/v1/loads/%F0%9F%92%A9', '/v1/captures/%E0%A4%A', '/v1/bridges/' + encodeURIComponent('\u0000\u202e'),
    ];
    for (const path of paths) {
      const res = await send('GET', path);
      expect({ path, status: res.status >= 400 && res.status < 500 }).toEqual({ path, status: true });
    }
    // An unknown query parameter is ignored (not an error), but never a 5xx either.
    expect((await send('GET', `/v1/loads/${ids.load}/records?after[a]=1&x=%ff`)).status).toBe(200);
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30 }), async (id, q) => {
      const res = await send('GET', `/v1/loads/${encodeURIComponent(id) || 'x'}/records?after=${encodeURIComponent(q)}&limit=${encodeURIComponent(q)}`);
      expect({ id, q, status: res.status < 500 }).toEqual({ id, q, status: true });
      const stream = await send('GET', `/v1/stream?connectionId=${encodeURIComponent(id)}&after=${encodeURIComponent(q)}`);
      expect({ id, q, status: stream.status < 500 }).toEqual({ id, q, status: true });
    }), { numRuns: 60 });
  });

  it('summary: not one 5xx', () => {
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.length).toBeGreaterThan(300);
  });
});
