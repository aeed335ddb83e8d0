import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

/** POST /v1/loads with records streamed as NDJSON or CSV, the target in the query string. */
describe('streamed loads (NDJSON, CSV)', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });

  async function post(query: Record<string, string>, contentType: string, body: string) {
    const q = new URLSearchParams({ connectionId: h.connectionId, ...query });
    const res = await fetch(`${h.gatewayUrl}/v1/loads?${q}`, {
      method: 'POST', headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': contentType }, body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  }

  async function loadsOfTenant(): Promise<number> {
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: h.config.DATABASE_URL });
    await pg.connect();
    try {
      return (await pg.query('SELECT count(*)::int AS n FROM loads WHERE tenant_id = $1', [h.tenantId])).rows[0].n;
    } finally {
      await pg.end();
    }
  }

  it('loads NDJSON records, one per line, through the saga', async () => {
    const lines = Array.from({ length: 1_500 }, (_, i) => JSON.stringify({ email: `nd-${i}@example.com`, firstname: `N${i}` }));
    const res = await post({ object: 'contacts', operation: 'upsert', naturalKey: 'email' }, 'application/x-ndjson', `${lines.join('\n')}\n`);
    expect(res.status).toBe(202);
    const done = await h.waitForLoad(res.body.id, ['completed', 'failed', 'rolled_back']);
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ total: 1_500, created: 1_500, verified: 1_500, failed: 0 });
  });

  it('types CSV cells by the object\'s fields, empty cells clearing', async () => {
    const csv = 'domain,name,numberofemployees,city\ncsv-a.example,"Acme, Inc.",12,\ncsv-b.example,Beta,7,Lyon\n';
    const res = await post({ object: 'companies', operation: 'upsert', naturalKey: 'domain', dryRun: 'true' }, 'text/csv', csv);
    expect(res.status).toBe(202);
    const done = await h.waitForLoad(res.body.id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const records = await h.allRecords(res.body.id);
    expect(records.map((r) => r.plan.diff)).toEqual([
      { domain: { from: null, to: 'csv-a.example' }, name: { from: null, to: 'Acme, Inc.' }, numberofemployees: { from: null, to: 12 } },
      { domain: { from: null, to: 'csv-b.example' }, name: { from: null, to: 'Beta' }, numberofemployees: { from: null, to: 7 }, city: { from: null, to: 'Lyon' } },
    ]);
  });

  it('refuses a bad line naming its line and column, and stores nothing', async () => {
    const before = await loadsOfTenant();
    const cases: Array<[string, string, string, RegExp]> = [
      ['text/csv', 'domain,numberofemployees\nok.example,3\nbad.example,twelve\n', 'line 3, column numberofemployees', /must be a number/],
      ['text/csv', 'domain,colour\nx.example,red\n', 'line 1, column colour', /no field colour/],
      ['application/x-ndjson', '{"domain":"a.example"}\n{"domain":\n', 'line 2', /not valid JSON/],
      ['application/x-ndjson', '{"domain":"a.example"}\n{"name":"no key"}\n', 'line 2', /natural key domain is missing/],
    ];
    for (const [type, body, field, message] of cases) {
      const res = await post({ object: 'companies', operation: 'upsert', naturalKey: 'domain' }, type, body);
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    const badQuery = await post({ object: 'companies', operation: 'merge' }, 'text/csv', 'domain\nx.example\n');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['operation']);
    expect(await loadsOfTenant()).toBe(before);
  });
});
