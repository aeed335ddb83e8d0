import type { ChangeEvent, ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { inStoredKeyOrder } from '../../src/connectors/kit';
import { NetSuiteApi } from '../../src/connectors/netsuite/api';
import { netsuiteSource } from '../../src/connectors/netsuite/source';
import { findConnector } from '../../src/connectors/registry';
import { startNetSuiteSandbox } from '../../sandboxes/netsuite';
import type { RunningSandbox } from '../../sandboxes/kit';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

// The NetSuite connector against its sandbox, through the registered definition (TBA signing,
// config parsing, object catalog), one test per quirk of issue 13.

type Logged = { method: string; path: string; status: number; query: string };

describe('NetSuite connector against the sandbox', () => {
  const def = findConnector('netsuite')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const admin = sandboxAdmin(() => sandbox.url);
  const requests = async (): Promise<Logged[]> => (await admin('GET', 'requests')).requests;
  const state = async (object: string): Promise<Rec[]> => (await admin('GET', 'state')).objects[object];
  const seed = async (object: string, records: Rec[]): Promise<string[]> => ((await admin('POST', 'seed', { objects: { [object]: records } })).objects[object] as Rec[]).map((r) => String(r.id));
  const customers = (n: number, tag: string, from = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ externalId: `${tag}-${from + i}`, companyName: `${tag} ${from + i}`, email: `c${from + i}@example.com` }));

  beforeAll(async () => {
    sandbox = await startNetSuiteSandbox({ timeZone: 'America/Los_Angeles' });
  });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    ctx = await connectToSandbox(def, sandbox.url);
    dest = def.destination(ctx);
  });

  it('is registered with TBA (oauth1) credentials, a typed config and customer + salesOrder as data', async () => {
    expect(def.auth.scheme).toBe('oauth1');
    expect(def.objects.map((o) => o.name)).toEqual(['customer', 'salesOrder']);
    for (const spec of def.objects) expect(spec).toMatchObject({ naturalKeys: ['id', 'externalId'], cursor: 'timestamp', batchSize: 50 });
    expect(def.config.parse({ baseUrl: 'https://1234567-sb1.suitetalk.api.netsuite.com' })).toEqual({ baseUrl: 'https://1234567-sb1.suitetalk.api.netsuite.com', timeZone: 'UTC', concurrency: 4, respondAsync: false });
    const badConfig = await failureOf(Promise.resolve().then(() => def.check({ ...ctx, config: { timeZone: 'Mars/Olympus' } })));
    expect(badConfig.fields?.map((f) => f.field).sort()).toEqual(['config.baseUrl', 'config.timeZone']);
    await def.check(ctx);
    const [probe] = await requests();
    expect(probe).toMatchObject({ method: 'POST', path: '/services/rest/query/v1/suiteql', status: 200, query: 'limit=1&offset=0' });
  });

  it('a bad token secret is a permanent 401 INVALID_LOGIN, sent once', async () => {
    await ctx.saveCredentials({ ...(await ctx.credentials()), tokenSecret: 'wrong' });
    const err = await failureOf(def.check(ctx));
    expect(err).toMatchObject({ kind: 'permanent', status: 401, code: 'INVALID_LOGIN' });
    expect(await requests()).toHaveLength(1);
  });

  it('reads by id and externalId through SuiteQL: nulls for empty columns, T/F as booleans, references as { id }, date-times back in UTC', async () => {
    const [id] = await seed('customer', [{ externalId: 'ext-1', companyName: 'Acme', isPerson: false, subsidiary: { id: '1' }, lastModifiedDate: '2024-07-01T03:30:00.000Z' }]);
    const byId = await dest.read('customer', 'id', [id, '999999', 'not-a-number']);
    expect(byId.get(id)).toEqual({
      id, externalId: 'ext-1', entityId: `CUST${id}`, companyName: 'Acme', isPerson: false, firstName: null, lastName: null, email: null, phone: null,
      comments: null, subsidiary: { id: '1' }, dateCreated: expect.stringMatching(/Z$/), lastModifiedDate: '2024-07-01T03:30:00Z',
    });
    expect(byId.get('999999')).toBeNull();
    expect(byId.get('not-a-number')).toBeNull();
    expect((await dest.read('customer', 'externalId', ['ext-1', 'nope'])).get('ext-1')).toMatchObject({ id });
    const queries = (await requests()).filter((r) => r.path.endsWith('/suiteql'));
    expect(queries).toHaveLength(2); // one query per batch of keys, not one per key
    expect(await failureOf(dest.read('customer', 'email', ['a@b.c']))).toMatchObject({ kind: 'permanent', fields: [{ field: 'naturalKey' }] });
  });

  it('creates (204 + Location), updates by externalId and upserts by eid:, one request per record; upsert by id is refused', async () => {
    const [existing] = await seed('customer', [{ externalId: 'u-0', companyName: 'Old', email: 'old@example.com' }]);
    const created = await dest.write('customer', 'create', 'externalId', customers(3, 'new'));
    expect(created.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
    expect(created.every((r) => /^\d+$/.test(r.id ?? ''))).toBe(true);

    const upserted = await dest.write('customer', 'upsert', 'externalId', [{ externalId: 'u-0', companyName: 'Renamed' }, { externalId: 'u-1', companyName: 'Fresh' }]);
    expect(upserted).toEqual([
      { index: 0, key: 'u-0', id: existing, outcome: 'updated' },
      { index: 1, key: 'u-1', id: expect.stringMatching(/^\d+$/), outcome: 'created' },
    ]);
    const puts = (await requests()).filter((r) => r.method === 'PUT').map((r) => r.path);
    expect(puts).toEqual(['/services/rest/record/v1/customer/eid:u-0', '/services/rest/record/v1/customer/eid:u-1']);

    const updated = await dest.write('customer', 'update', 'externalId', [{ externalId: 'u-0', phone: '555', email: null }, { externalId: 'ghost', phone: '1' }]);
    expect(updated[0]).toEqual({ index: 0, key: 'u-0', id: existing, outcome: 'updated' });
    expect(updated[1]).toMatchObject({ outcome: 'failed', errors: [{ field: 'externalId', message: expect.stringMatching(/no customer record/) }] });
    expect((await dest.read('customer', 'id', [existing])).get(existing)).toMatchObject({ companyName: 'Renamed', phone: '555', email: null });

    const byId = await dest.write('customer', 'upsert', 'id', [{ id: existing, companyName: 'x' }]);
    expect(byId[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'id', message: expect.stringMatching(/external ID only/) }] });
  });

  it('fails exactly the records NetSuite refuses, naming the field from o:errorPath, and writes the rest', async () => {
    const records = customers(6, 'v');
    delete records[1].companyName;
    records[4].email = 'not-an-email';
    const results = await dest.write('customer', 'create', 'externalId', records);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'failed', 'created', 'created', 'failed', 'created']);
    expect(results[1].errors).toEqual([{ field: 'companyName', message: 'USER_ERROR: Error while accessing a resource. Please enter value(s) for: Company Name.' }]);
    expect(results[4].errors?.map((e) => e.field)).toEqual(['email']);
    expect(await state('customer')).toHaveLength(4);
  });

  it('writes a sales order’s item lines exactly (?replace=item) and reads them back as written', async () => {
    const [customer] = await seed('customer', [{ externalId: 'buyer', companyName: 'Buyer' }]);
    const order = { externalId: 'SO-1', entity: { id: customer }, tranDate: '2024-03-01', memo: 'first', item: { items: [{ item: { id: '7' }, quantity: 2, rate: 10 }] } };
    const [created] = await dest.write('salesOrder', 'create', 'externalId', [order]);
    expect(created.outcome).toBe('created');
    const lines = { items: [{ item: { id: '8' }, quantity: 1, rate: 5 }, { item: { id: '9' }, quantity: 3, rate: 1, description: 'spare' }] };
    await dest.write('salesOrder', 'update', 'externalId', [{ externalId: 'SO-1', item: lines }]);
    const patch = (await requests()).find((r) => r.method === 'PATCH');
    expect(patch?.query).toBe('replace=item');
    const read = (await dest.read('salesOrder', 'externalId', ['SO-1'], ['externalId', 'item'])).get('SO-1');
    expect(read).toMatchObject({ id: created.id, entity: { id: customer }, tranDate: '2024-03-01', total: 8, tranId: `SO${created.id}`, item: lines });
    // Verify compares nested values as JSON text, against the load's records as Postgres jsonb keeps them.
    expect(JSON.stringify(read!.item)).toBe(JSON.stringify(inStoredKeyOrder(lines)));
    const bodyOnly = (await dest.read('salesOrder', 'externalId', ['SO-1'], ['externalId', 'memo'])).get('SO-1');
    expect(bodyOnly).not.toHaveProperty('item');
  });

  it('holds to its concurrency: within the account limit it writes, beyond it NetSuite answers 429 (transient)', async () => {
    const limited = await startNetSuiteSandbox({ ...(await ctx.credentials()) as Record<string, string>, concurrencyLimit: 2, processingMs: 150 });
    try {
      const base = await connectToSandbox(def, limited.url);
      const within = def.destination({ ...base, config: { ...base.config, concurrency: 2 } });
      expect((await within.write('customer', 'create', 'externalId', customers(6, 'ok'))).every((r) => r.outcome === 'created')).toBe(true);
      const beyond = def.destination({ ...base, config: { ...base.config, concurrency: 4 } });
      const err = await failureOf(beyond.write('customer', 'create', 'externalId', customers(6, 'burst')));
      expect(err).toMatchObject({ kind: 'transient', status: 429, code: 'CONCURRENCY_LIMIT_EXCEEDED' });
    } finally {
      await limited.stop();
    }
  });

  it('writes as async jobs when configured: 202, the job polled with heartbeats, per-record results from the task result', async () => {
    const beats: unknown[] = [];
    const asyncDest = def.destination({ ...ctx, config: { ...ctx.config, respondAsync: true }, heartbeat: (p) => beats.push(p) });
    const records = customers(3, 'job');
    records[2].email = 'broken';
    const results = await asyncDest.write('customer', 'create', 'externalId', records, { idempotencyKeys: ['k-0', 'k-1', 'k-2'] });
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'failed']);
    expect(results[2].errors?.map((e) => e.field)).toEqual(['email']);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats[0]).toMatchObject({ job: expect.stringMatching(/\/async\/v1\/job\/\d+$/) });
    const posts = (await requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/customer'));
    expect(posts.map((r) => r.status)).toEqual([202, 202, 202]);
    expect((await state('customer')).map((c) => c.externalId).sort()).toEqual(['job-0', 'job-1']);
    // A retried submission with the same idempotency key finds the job it created: nothing is written twice.
    await asyncDest.write('customer', 'create', 'externalId', records.slice(0, 1), { idempotencyKeys: ['k-0'] });
    expect(await state('customer')).toHaveLength(2);
  });

  it('deletes confirmed by a read; a delete that answers 204 but keeps the record fails', async () => {
    await seed('customer', customers(3, 'd'));
    const deleted = await dest.delete('customer', 'externalId', ['d-0', 'd-1', 'gone']);
    expect(deleted.map((r) => r.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    expect((await state('customer')).map((c) => c.externalId)).toEqual(['d-2']);
    await admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const kept = await dest.delete('customer', 'externalId', ['d-2']);
    expect(kept[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'externalId', message: expect.stringMatching(/still there/) }] });
  });

  it('restores a deleted record by re-creating it: a new internal id, the same externalId and fields; a retried restore does not duplicate', async () => {
    const [customer] = await seed('customer', [{ externalId: 'buyer', companyName: 'Buyer' }]);
    const [orderId] = await seed('salesOrder', [{ externalId: 'SO-9', entity: { id: customer }, tranDate: '2024-01-31', memo: 'keep me', item: { items: [{ item: { id: '4' }, quantity: 5, rate: 2 }] } }]);
    const before = (await dest.read('salesOrder', 'externalId', ['SO-9'], ['externalId'])).get('SO-9')!;
    expect(before.item).toEqual({ items: [{ item: { id: '4' }, quantity: 5, rate: 2 }] }); // a delete's snapshot carries the sublist
    await dest.delete('salesOrder', 'externalId', ['SO-9']);
    const restored = await dest.restore('salesOrder', 'externalId', before);
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe(orderId);
    const back = (await dest.read('salesOrder', 'externalId', ['SO-9'])).get('SO-9')!;
    expect(back).toMatchObject({ id: restored.id, externalId: 'SO-9', memo: 'keep me', tranDate: '2024-01-31', entity: { id: customer }, item: before.item });
    expect(await dest.restore('salesOrder', 'externalId', before)).toEqual({ id: restored.id, recreated: true });
    expect(await state('salesOrder')).toHaveLength(1);
  });

  describe('capture', () => {
    const captured = async (source: ReturnType<typeof netsuiteSource>, cursor: unknown = null): Promise<{ changes: ChangeEvent[]; cursor: unknown }> => {
      const changes: ChangeEvent[] = [];
      let at = cursor;
      for (let i = 0; i < 50; i++) {
        const page = await source.capture('customer', at);
        changes.push(...page.changes);
        at = page.cursor;
        if (!page.hasMore) break;
      }
      return { changes, cursor: at };
    };

    it('reads creates, updates and deletes in order, by SuiteQL keyset on lastmodifieddate and the deletedrecord log', async () => {
      // The account clock stays within TBA's five minutes of real time (or every signature is refused).
      const base = Math.floor(Date.now() / 1000) * 1000 - 120_000;
      await admin('POST', 'clock', { at: new Date(base).toISOString(), frozen: true });
      await seed('customer', Array.from({ length: 5 }, (_, i) => ({ id: String(10 + i), externalId: `cap-${i}`, companyName: `C${i}`, lastModifiedDate: new Date(base - 60_000).toISOString() })));
      const now = () => base + 30_000;
      const source = netsuiteSource(new NetSuiteApi(ctx.http, { respondAsync: false }), { timeZone: 'America/Los_Angeles', maxChangesPerPoll: 2, now });
      const first = await captured(source);
      expect(first.changes.map((c) => `${c.op} ${c.recordId}`)).toEqual(['upsert 10', 'upsert 11', 'upsert 12', 'upsert 13', 'upsert 14']);
      expect(first.changes[0]).toMatchObject({ object: 'customer', occurredAt: `${new Date(base - 60_000).toISOString().slice(0, 19)}Z`, data: expect.objectContaining({ externalId: 'cap-0' }) });

      await admin('POST', 'clock', { advanceMs: 1_000 });
      await dest.write('customer', 'update', 'externalId', [{ externalId: 'cap-3', phone: '1' }]);
      await admin('POST', 'clock', { advanceMs: 1_000 });
      await dest.delete('customer', 'externalId', ['cap-1']);
      const settledNow = () => base + 60_000;
      const later = netsuiteSource(new NetSuiteApi(ctx.http, { respondAsync: false }), { timeZone: 'America/Los_Angeles', maxChangesPerPoll: 2, now: settledNow });
      const second = await captured(later, first.cursor);
      expect(second.changes.map((c) => `${c.op} ${c.recordId}`)).toEqual(['upsert 13', 'delete 11']);
      expect(second.changes[1]).toMatchObject({ data: null, version: expect.stringMatching(/\/deleted$/) });
      expect((await captured(later, second.cursor)).changes).toEqual([]);
    });

    it('leaves the last seconds for a later poll (settle margin), and refuses a cursor it did not write', async () => {
      const source = def.source(ctx);
      await seed('customer', customers(2, 'fresh'));
      const page = await source.capture('customer', null);
      expect(page.changes).toEqual([]); // modified this very second: not settled yet
      expect(await failureOf(source.capture('customer', { at: 5 }))).toMatchObject({ kind: 'permanent' });
      await admin('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString() });
      await seed('customer', customers(1, 'old'));
      await admin('POST', 'clock', { at: new Date().toISOString() });
      expect((await source.capture('customer', null)).changes.map((c) => (c.data as Rec).externalId)).toEqual(['old-0']);
    });
  });
});
