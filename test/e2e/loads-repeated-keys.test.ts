import { workflowIds } from '../../src/platform/temporal';
import { seedConnection, startGateway, type TestGateway } from '../helpers/gateway';
import { waitFor } from '../helpers/wait';

type Tenant = { id: string; apiKey: string };
type Problem = { field: string; message: string };

/**
 * POST /v1/loads refuses a load two of whose records carry the same natural key (as the system
 * matches it), naming the key, the value and the lines, before anything is stored or started.
 */
describe('loads whose natural key repeats', () => {
  let gw: TestGateway;
  let tenant: Tenant;
  let hubspot: string;
  let salesforce: string;
  const accepted: string[] = [];

  beforeAll(async () => {
    gw = await startGateway();
    tenant = await gw.createTenant();
    hubspot = await seedConnection(gw.pool, tenant.id, 'hubspot');
    salesforce = await seedConnection(gw.pool, tenant.id, 'salesforce');
  });
  afterAll(async () => {
    for (const id of accepted) await gw.temporal.workflow.getHandle(workflowIds.load(tenant.id, id)).terminate('test over').catch(() => {});
    await gw.close();
  });

  async function postJson(body: Record<string, unknown>) {
    return gw.call('POST', '/v1/loads', { key: tenant.apiKey, body: { connectionId: hubspot, ...body } });
  }

  async function postStreamed(query: Record<string, string>, contentType: string, body: string) {
    const q = new URLSearchParams({ connectionId: hubspot, ...query });
    const res = await fetch(`${gw.url}/v1/loads?${q}`, {
      method: 'POST', headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': contentType }, body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function stored(): Promise<{ loads: number; records: number }> {
    const { rows } = await gw.pool.query(
      `SELECT (SELECT count(*) FROM loads WHERE tenant_id = $1)::int AS loads,
              (SELECT count(*) FROM load_records r JOIN loads l ON l.id = r.load_id WHERE l.tenant_id = $1)::int AS records`,
      [tenant.id]);
    return rows[0];
  }

  function problems(res: { status: number; body: any }): Problem[] {
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    return res.body.error.fields;
  }

  it('refuses a JSON body, naming the records by index, and stores nothing', async () => {
    const before = await stored();
    const res = await postJson({ object: 'contacts', operation: 'upsert', naturalKey: 'email', records: [
      { email: 'a@example.com' }, { email: 'dup@example.com', firstname: 'First' }, { email: 'b@example.com' },
      { email: 'c@example.com' }, { email: 'dup@example.com', firstname: 'Second' },
    ] });
    expect(problems(res)).toEqual([
      { field: 'records.4.email', message: "naturalKey 'email': records 1 and 4 both have 'dup@example.com'" },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('refuses an NDJSON body, naming the lines (blank lines counted), and stores nothing', async () => {
    const before = await stored();
    const body = ['{"email":"a@example.com"}', '{"email":"dup@example.com"}', '', '{"email":"b@example.com"}', '',
      '{"email":"dup@example.com","firstname":"again"}', '{"email":"c@example.com"}'].join('\n');
    const res = await postStreamed({ object: 'contacts', operation: 'upsert', naturalKey: 'email' }, 'application/x-ndjson', `${body}\n`);
    expect(problems(res)).toEqual([
      { field: 'line 6', message: "naturalKey 'email': lines 2 and 6 both have 'dup@example.com'" },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('refuses a CSV body, naming the lines and the key column, and stores nothing', async () => {
    // A record spanning lines 3-4 is line 4, as the CSV reader names a bad record's line.
    const before = await stored();
    const csv = 'domain,name\nx.example,X\ndup.example,"Two\nlines"\ny.example,Y\ndup.example,Again\n';
    const res = await postStreamed({ object: 'companies', operation: 'upsert', naturalKey: 'domain' }, 'text/csv', csv);
    expect(problems(res)).toEqual([
      { field: 'line 6, column domain', message: "naturalKey 'domain': lines 4 and 6 both have 'dup.example'" },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('refuses a dry run the same way', async () => {
    const res = await postStreamed({ object: 'contacts', operation: 'upsert', naturalKey: 'email', dryRun: 'true' }, 'application/x-ndjson',
      '{"email":"d@example.com"}\n{"email":"d@example.com"}\n');
    expect(problems(res)).toEqual([{ field: 'line 2', message: "naturalKey 'email': lines 1 and 2 both have 'd@example.com'" }]);
  });

  it('refuses every operation, delete included: each one finds its record by the key', async () => {
    for (const operation of ['create', 'update', 'delete']) {
      const res = await postStreamed({ object: 'contacts', operation, naturalKey: 'email' }, 'application/x-ndjson',
        '{"email":"e@example.com"}\n{"email":"e@example.com"}\n');
      expect(problems(res).map((p) => p.field)).toEqual(['line 2']);
    }
  });

  it('compares a key the system matches without case without case, and trimmed', async () => {
    const res = await postStreamed({ object: 'contacts', operation: 'upsert', naturalKey: 'email' }, 'application/x-ndjson',
      ['{"email":"Ann@Example.com"}', '{"email":"bob@example.com"}', '{"email":"ann@example.COM "}', '{"email":"  ANN@EXAMPLE.COM"}',
        '{"email":"Émile@example.com"}', '{"email":"émile@example.com"}'].join('\n'));
    expect(problems(res)).toEqual([
      { field: 'line 3', message:
        "naturalKey 'email': lines 1, 3 and 4 all have 'Ann@Example.com' (also written 'ann@example.COM' and 'ANN@EXAMPLE.COM': email is matched without case)" },
      { field: 'line 6', message: "naturalKey 'email': lines 5 and 6 both have 'Émile@example.com' (also written 'émile@example.com': email is matched without case)" },
    ]);

    const json = await gw.call('POST', '/v1/loads', { key: tenant.apiKey, body: { connectionId: salesforce, object: 'Account', operation: 'upsert',
      naturalKey: 'External_Id__c', records: [{ External_Id__c: 'ext-7', Name: 'A' }, { External_Id__c: 'EXT-7', Name: 'B' }] } });
    expect(problems(json)).toEqual([{ field: 'records.1.External_Id__c',
      message: "naturalKey 'External_Id__c': records 0 and 1 both have 'ext-7' (also written 'EXT-7': External_Id__c is matched without case)" }]);
  });

  it('compares Salesforce ids by their 15-character form, with case, trimmed: an 18-character id is the same record', async () => {
    const distinct = await gw.call('POST', '/v1/loads', { key: tenant.apiKey, body: { connectionId: salesforce, object: 'Account', operation: 'update',
      naturalKey: 'Id', records: [{ Id: '001000000000abc', Name: 'lower' }, { Id: '001000000000ABC', Name: 'upper' }] } });
    expect(distinct.status).toBe(202);
    accepted.push(distinct.body.id);

    const repeated = await gw.call('POST', '/v1/loads', { key: tenant.apiKey, body: { connectionId: salesforce, object: 'Account', operation: 'update',
      naturalKey: 'Id', records: [{ Id: '001000000000abc', Name: 'one' }, { Id: ' 001000000000abc ', Name: 'two' }] } });
    expect(problems(repeated)).toEqual([{ field: 'records.1.Id',
      message: "naturalKey 'Id': records 0 and 1 both have '001000000000abc' (also written ' 001000000000abc ': Id is matched by its first 15 characters)" }]);

    // '001000000000abcAAA' is the 18-character form of '001000000000abc' (AAA: no capital letter in any block of five).
    const longForm = await gw.call('POST', '/v1/loads', { key: tenant.apiKey, body: { connectionId: salesforce, object: 'Account', operation: 'update',
      naturalKey: 'Id', records: [{ Id: '001000000000abc', Name: 'short' }, { Id: '001000000000ABC', Name: 'other' }, { Id: '001000000000abcAAA', Name: 'long' }] } });
    expect(problems(longForm)).toEqual([{ field: 'records.2.Id',
      message: "naturalKey 'Id': records 0 and 2 both have '001000000000abc' (also written '001000000000abcAAA': Id is matched by its first 15 characters)" }]);
  });

  it('lists the first ten repeated keys and the first records of each, counting the rest', async () => {
    const lines = [
      ...Array.from({ length: 8 }, () => '{"email":"often@example.com"}'),
      ...Array.from({ length: 12 }, (_, i) => `{"email":"k${i}@example.com"}`),
      ...Array.from({ length: 12 }, (_, i) => `{"email":"k${i}@example.com"}`),
    ];
    const fields = problems(await postStreamed({ object: 'contacts', operation: 'upsert', naturalKey: 'email' }, 'application/x-ndjson', lines.join('\n')));
    expect(fields).toHaveLength(11);
    expect(fields[0]).toEqual({ field: 'line 2', message: "naturalKey 'email': lines 1, 2, 3, 4, 5 and 3 more all have 'often@example.com'" });
    expect(fields[1]).toEqual({ field: 'line 21', message: "naturalKey 'email': lines 9 and 21 both have 'k0@example.com'" });
    expect(fields[9]).toEqual({ field: 'line 29', message: "naturalKey 'email': lines 17 and 29 both have 'k8@example.com'" });
    expect(fields[10]).toEqual({ field: 'naturalKey', message: "naturalKey 'email': 3 more values repeat (the first 10 are listed)" });
  });

  it('accepts loads whose keys are distinct, and started a workflow for none of the refused ones', async () => {
    const ndjson = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ email: `distinct-${i}@example.com` })).join('\n');
    const res = await postStreamed({ object: 'contacts', operation: 'upsert', naturalKey: 'email' }, 'application/x-ndjson', ndjson);
    expect(res.status).toBe(202);
    accepted.push(res.body.id);
    const { rows } = await gw.pool.query('SELECT count(*)::int AS n FROM load_records WHERE load_id = $1', [res.body.id]);
    expect(rows[0].n).toBe(2_000);

    // The refused loads were posted before these two: once these are visible, a refused one started would be too.
    const visible = await waitFor('the accepted loads in Temporal visibility', async () => {
      const ids: string[] = [];
      for await (const w of gw.temporal.workflow.list({ query: `ForgeTenant = '${tenant.id}'` })) ids.push(w.workflowId);
      return ids.length >= accepted.length ? ids : undefined;
    });
    expect(visible.sort()).toEqual(accepted.map((id) => workflowIds.load(tenant.id, id)).sort());
    expect((await stored()).loads).toBe(accepted.length);
  });
});
