import type { ConnectorContext, ConnectorDefinition, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startHubspot, type HubspotHarness } from '../sandboxes/hubspot-client';
import { failureOf } from '../helpers/connector-errors';

/** A connection to the sandbox, built through the connector's definition. */
function connect(def: ConnectorDefinition, hs: HubspotHarness): Promise<ConnectorContext> {
  return connectToSandbox(def, hs.url);
}


type Logged = { method: string; path: string; status: number };

describe('HubSpot destination against the sandbox', () => {
  const def = findConnector('hubspot')!;
  let hs: HubspotHarness;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const requests = async (): Promise<Logged[]> => (await hs.admin('GET', 'requests')).body.requests as Logged[];
  const calls = async (path: string): Promise<Logged[]> => (await requests()).filter((r) => r.path === path);
  const state = async (object: string): Promise<Array<{ id: string; archived: boolean; properties: Record<string, string> }>> =>
    (await hs.admin('GET', 'state')).body.objects[object];
  const seed = async (object: string, records: Rec[]): Promise<string[]> =>
    ((await hs.admin('POST', 'seed', { objects: { [object]: records } })).body.objects[object] as Array<{ id: string }>).map((r) => r.id);

  beforeEach(async () => {
    hs = await startHubspot();
    ctx = await connect(def, hs);
    dest = def.destination(ctx);
  });
  afterEach(async () => {
    await hs.stop();
  });

  it('is registered, with contacts, companies and deals described as data', () => {
    expect(def.objects.map((o) => o.name)).toEqual(['contacts', 'companies', 'deals']);
    for (const spec of def.objects) {
      expect(spec.naturalKeys[0]).toBe('hs_object_id');
      expect(spec.naturalKeys).toContain('external_id');
      expect(spec.batchSize).toBe(100);
      expect(spec.operations).toEqual(['create', 'update', 'upsert', 'delete']);
      expect(spec.fields.filter((f) => f.readOnly).map((f) => f.name)).toEqual(expect.arrayContaining(['hs_object_id', 'createdate', 'hs_lastmodifieddate']));
    }
    expect(def.config.parse({})).toEqual({ baseUrl: 'https://api.hubapi.com', appUrl: 'https://app.hubspot.com' }); // appUrl: where the consent page is
    expect(def.auth.credentials.safeParse({ clientId: 'a', clientSecret: '', refreshToken: 'r' }).success).toBe(false);
  });

  it('check() makes one cheap authenticated call', async () => {
    await def.check(ctx);
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /oauth/v1/token 200', 'GET /crm/v3/objects/contacts 200']);
  });

  it('reads present and absent records by id, email (any case) and external_id; archived ones are absent', async () => {
    const [ada, bob, gone] = await seed('contacts', [
      { email: 'ada@example.com', firstname: 'Ada', external_id: 'ext-ada' },
      { email: 'bob@example.com', firstname: 'Bob', external_id: 'ext-bob' },
      { email: 'gone@example.com', firstname: 'Gone', archived: true },
    ]);

    const byId = await dest.read('contacts', 'hs_object_id', [ada, '999999', gone], ['firstname', 'email']);
    expect(byId.get(ada)).toMatchObject({ hs_object_id: ada, email: 'ada@example.com', firstname: 'Ada' });
    expect(byId.get('999999')).toBeNull();
    expect(byId.get(gone)).toBeNull();

    const byEmail = await dest.read('contacts', 'email', ['ADA@Example.com', 'nobody@example.com', 'gone@example.com'], ['firstname']);
    expect([...byEmail.keys()]).toEqual(['ADA@Example.com', 'nobody@example.com', 'gone@example.com']);
    expect(byEmail.get('ADA@Example.com')).toMatchObject({ hs_object_id: ada, firstname: 'Ada' });
    expect(byEmail.get('nobody@example.com')).toBeNull();
    expect(byEmail.get('gone@example.com')).toBeNull();

    const byExternal = await dest.read('contacts', 'external_id', ['ext-bob', 'ext-none'], ['lastname']);
    expect(byExternal.get('ext-bob')).toMatchObject({ hs_object_id: bob, external_id: 'ext-bob', lastname: null });
    expect(byExternal.get('ext-none')).toBeNull();

    const companies = await seed('companies', [{ name: 'Acme', domain: 'acme.com' }]);
    const byDomain = await dest.read('companies', 'domain', ['acme.com', 'nope.com'], ['name']);
    expect(byDomain.get('acme.com')).toMatchObject({ hs_object_id: companies[0], name: 'Acme' });
    expect(byDomain.get('nope.com')).toBeNull();
  });

  it('reads more than 100 keys in batches of 100', async () => {
    const ids = await seed('deals', Array.from({ length: 150 }, (_, i) => ({ dealname: `deal ${i}` })));
    await hs.admin('DELETE', 'requests');
    const read = await dest.read('deals', 'hs_object_id', ids, ['dealname']);
    expect([...read.values()].filter((r) => r !== null)).toHaveLength(150);
    expect(await calls('/crm/v3/objects/deals/batch/read')).toHaveLength(2);
  });

  it('creates, updates and upserts 250 records in batches of 100 with created/updated outcomes', async () => {
    const people = Array.from({ length: 250 }, (_, i) => ({ email: `p${i}@example.com`, firstname: `P${i}`, lifecyclestage: 'lead' }));
    const created = await dest.write('contacts', 'create', 'email', people);
    expect(created).toHaveLength(250);
    expect(created.every((r, i) => r.index === i && r.key === `p${i}@example.com` && r.outcome === 'created' && /^\d+$/.test(r.id ?? ''))).toBe(true);
    expect(new Set(created.map((r) => r.id)).size).toBe(250);
    expect(await calls('/crm/v3/objects/contacts/batch/create')).toHaveLength(3);
    const stored = await state('contacts');
    expect(stored).toHaveLength(250);
    const byId = new Map(stored.map((r) => [r.id, r]));
    created.forEach((r, i) => expect(byId.get(r.id!)!.properties.email).toBe(`p${i}@example.com`));

    const updates = created.map((r, i) => ({ hs_object_id: r.id, lastname: `L${i}`, createdate: 'ignored: read-only' }));
    const updated = await dest.write('contacts', 'update', 'hs_object_id', updates);
    expect(updated.map((r) => r.outcome)).toEqual(Array(250).fill('updated'));
    expect(updated.map((r) => r.id)).toEqual(created.map((r) => r.id));
    expect(await calls('/crm/v3/objects/contacts/batch/update')).toHaveLength(3);
    expect((await dest.read('contacts', 'hs_object_id', [created[7].id!], ['lastname'])).get(created[7].id!)).toMatchObject({ lastname: 'L7' });

    const byEmail = await dest.write('contacts', 'update', 'email', [{ email: 'P3@EXAMPLE.com', jobtitle: 'CTO' }, { email: 'missing@example.com', jobtitle: 'x' }]);
    expect(byEmail[0]).toMatchObject({ index: 0, outcome: 'updated', id: created[3].id });
    expect(byEmail[1]).toMatchObject({ index: 1, outcome: 'failed', errors: [{ field: 'email', message: expect.stringContaining('missing@example.com') }] });

    // 125 that exist (updated) and 125 new ones (created), interleaved.
    const mixed = Array.from({ length: 250 }, (_, i) => ({ email: i % 2 === 0 ? `p${i}@example.com` : `new${i}@example.com`, firstname: `U${i}` }));
    const upserted = await dest.write('contacts', 'upsert', 'email', mixed);
    expect(upserted.filter((r) => r.outcome === 'created')).toHaveLength(125);
    expect(upserted.filter((r) => r.outcome === 'updated')).toHaveLength(125);
    upserted.forEach((r, i) => {
      expect(r).toMatchObject({ index: i, key: mixed[i].email, outcome: i % 2 === 0 ? 'updated' : 'created' });
      if (i % 2 === 0) expect(r.id).toBe(created[i].id);
    });
    expect(await calls('/crm/v3/objects/contacts/batch/upsert')).toHaveLength(3);
    expect(await state('contacts')).toHaveLength(375);

    const deals = await dest.write('deals', 'upsert', 'external_id', [{ external_id: 'd-1', dealname: 'One', amount: 10 }]);
    expect(deals).toEqual([expect.objectContaining({ outcome: 'created', key: 'd-1' })]);
    const byIdUpsert = await dest.write('deals', 'upsert', 'hs_object_id', [{ hs_object_id: deals[0].id, dealname: 'x' }]);
    expect(byIdUpsert[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'hs_object_id' }] });
  });

  it('isolates 3 invalid records of 100: exactly those fail, naming their properties, and the other 97 are written', async () => {
    const records: Rec[] = Array.from({ length: 100 }, (_, i) => ({ email: `ok${i}@example.com`, firstname: `Ok${i}` }));
    records[10] = { email: 'not-an-email', firstname: 'Bad' };
    records[55] = { email: 'stage@example.com', lifecyclestage: 'champion' };
    records[99] = { email: 'colour@example.com', colour: 'red' };

    const results = await dest.write('contacts', 'create', 'email', records);
    const failed = results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => r.index)).toEqual([10, 55, 99]);
    expect(failed.map((r) => r.errors!.map((e) => e.field))).toEqual([['email'], ['lifecyclestage'], ['colour']]);
    expect(failed[0].errors![0].message).toContain('not-an-email');
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(97);

    const stored = await state('contacts');
    expect(stored).toHaveLength(97);
    expect(stored.map((r) => r.properties.email).sort()).toEqual(records.filter((_, i) => ![10, 55, 99].includes(i)).map((r) => r.email).sort());
    const createCalls = await calls('/crm/v3/objects/contacts/batch/create');
    expect(createCalls.length).toBeLessThan(50); // binary splitting, not one call per record
  });

  it('a duplicate email on create fails that record on the key field; the others are created', async () => {
    await seed('contacts', [{ email: 'taken@example.com' }]);
    const results = await dest.write('contacts', 'create', 'email', [
      { email: 'free1@example.com' }, { email: 'Taken@example.com', firstname: 'Dup' }, { email: 'free2@example.com' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'failed', 'created']);
    expect(results[1].errors).toEqual([{ field: 'email', message: expect.stringContaining('already exists') }]);
    expect(await state('contacts')).toHaveLength(3);
  });

  it('a 401 is a permanent ConnectorError after exactly one token refresh and one retry', async () => {
    await def.check(ctx); // a token is held
    await hs.admin('DELETE', 'requests');
    await hs.admin('POST', 'faults', { faults: [{ path: '/crm/v3/objects/*', status: 401 }] });

    const err = await failureOf(dest.read('contacts', 'hs_object_id', ['1001']));
    expect(err).toMatchObject({ kind: 'permanent', status: 401, system: 'hubspot' });
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /crm/v3/objects/contacts/batch/read 401',
      'POST /oauth/v1/token 200',
      'POST /crm/v3/objects/contacts/batch/read 401',
    ]);
  });

  it('a 429 with Retry-After is a transient ConnectorError carrying retryAfterMs, thrown (not a record failure)', async () => {
    await hs.admin('POST', 'faults', { faults: [{ path: '/crm/v3/objects/contacts/batch/create', status: 429, retryAfter: 7, times: 1 }] });
    const err = await failureOf(dest.write('contacts', 'create', 'email', [{ email: 'a@example.com' }]));
    expect(err).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7000 });
    expect(await calls('/crm/v3/objects/contacts/batch/create')).toHaveLength(1);
    expect(await state('contacts')).toHaveLength(0);
  });

  it('deletes by email and by id, confirmed by a read; unknown keys are already deleted', async () => {
    const [ada, bob] = await seed('contacts', [{ email: 'ada@example.com' }, { email: 'bob@example.com' }]);
    const byEmail = await dest.delete('contacts', 'email', ['ADA@example.com', 'nobody@example.com']);
    expect(byEmail).toEqual([
      { index: 0, key: 'ADA@example.com', id: ada, outcome: 'deleted' },
      { index: 1, key: 'nobody@example.com', outcome: 'deleted' },
    ]);
    const byId = await dest.delete('contacts', 'hs_object_id', [bob, '424242']);
    expect(byId.map((r) => r.outcome)).toEqual(['deleted', 'deleted']);
    expect((await state('contacts')).map((r) => r.archived)).toEqual([true, true]);
    expect(await calls('/crm/v3/objects/contacts/batch/archive')).toHaveLength(2);
  });

  it('a delete that answers success but keeps the record is reported as failed', async () => {
    const [kept, other] = await seed('companies', [{ name: 'Stays', domain: 'stays.com' }, { name: 'Goes', domain: 'goes.com' }]);
    await hs.admin('POST', 'faults', { faults: [{ kind: 'delete-lies', times: 1 }] });
    const results = await dest.delete('companies', 'hs_object_id', [kept]);
    expect(results).toEqual([{
      index: 0, key: kept, id: kept, outcome: 'failed',
      errors: [{ field: 'hs_object_id', message: expect.stringMatching(/answered success.*still there/) }],
    }]);
    expect((await dest.read('companies', 'hs_object_id', [kept])).get(kept)).not.toBeNull();
    expect((await dest.delete('companies', 'domain', ['goes.com']))[0]).toMatchObject({ outcome: 'deleted', id: other });
  });

  it('restore re-creates a deleted record with a new id and its writable properties', async () => {
    const [id] = await seed('contacts', [{ email: 'back@example.com', firstname: 'Back', lastname: 'Again', external_id: 'ext-back' }]);
    const before = (await dest.read('contacts', 'email', ['back@example.com'], ['firstname', 'lastname', 'external_id', 'phone'])).get('back@example.com')!;
    expect((await dest.delete('contacts', 'email', ['back@example.com']))[0].outcome).toBe('deleted');

    const restored = await dest.restore('contacts', 'email', before);
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe(id);
    const now = (await dest.read('contacts', 'email', ['back@example.com'], ['firstname', 'lastname', 'external_id'])).get('back@example.com');
    expect(now).toMatchObject({ hs_object_id: restored.id, firstname: 'Back', lastname: 'Again', external_id: 'ext-back' });
  });

  it('restore reports a unique-value conflict clearly', async () => {
    await seed('contacts', [{ email: 'twin@example.com', firstname: 'Live' }]);
    const err = await failureOf(dest.restore('contacts', 'email', { hs_object_id: '5', email: 'twin@example.com', firstname: 'Old', createdate: '2020-01-01T00:00:00Z' }));
    expect(err.kind).toBe('conflict');
    expect(err.message).toMatch(/cannot re-create the deleted contacts record 5.*already exists/);
    expect(err.fields).toEqual([{ field: 'email', message: expect.stringContaining('already exists') }]);
  });
});
