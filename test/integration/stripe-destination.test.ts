import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startStripe, type StripeHarness } from '../sandboxes/stripe-client';
import { failureOf } from '../helpers/connector-errors';


type Logged = { method: string; path: string; status: number };

describe('Stripe destination against the sandbox', () => {
  const def = findConnector('stripe')!;
  let stripe: StripeHarness;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const requests = async (): Promise<Logged[]> => (await stripe.admin('GET', 'requests')).body.requests as Logged[];
  const state = (object: string) => stripe.state(object);
  const seed = (object: string, records: Rec[]) => stripe.seed(object, records);
  const keys = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `forge-${tag}-${i}-write`);

  beforeEach(async () => {
    stripe = await startStripe();
    ctx = await connectToSandbox(def, stripe.url);
    dest = def.destination(ctx);
  });
  afterEach(async () => {
    await stripe.stop();
  });

  it('is registered with customers, products, prices and invoices described as data', async () => {
    expect(def.objects.map((o) => o.name)).toEqual(['customers', 'products', 'prices', 'invoices']);
    for (const spec of def.objects) {
      expect(spec.naturalKeys.slice(0, 2)).toEqual(['id', 'metadata.external_id']);
      expect(spec.batchSize).toBe(25);
      expect(spec.cursor).toBe('event-id');
    }
    expect(def.objects.find((o) => o.name === 'prices')!.notes).toMatch(/new price.*deactivates the old/);
    expect(def.config.parse({})).toEqual({ baseUrl: 'https://api.stripe.com' });
    await def.check(ctx);
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /v1/customers 200']);
  });

  it('reads by id, metadata.external_id and email; deleted customers are absent', async () => {
    const [ada, gone] = await seed('customers', [
      { email: 'ada@example.com', name: 'Ada', metadata: { external_id: 'ext-ada', tier: 'gold' } },
      { email: 'gone@example.com', name: 'Gone', deleted: true },
    ]);
    const byId = await dest.read('customers', 'id', [ada, gone, 'cus_missing']);
    expect(byId.get(ada)).toMatchObject({ id: ada, email: 'ada@example.com', 'metadata.external_id': 'ext-ada', 'metadata.tier': 'gold' });
    expect(byId.get(gone)).toBeNull();
    expect(byId.get('cus_missing')).toBeNull();
    const byExternal = await dest.read('customers', 'metadata.external_id', ['ext-ada', 'ext-none']);
    expect(byExternal.get('ext-ada')).toMatchObject({ id: ada });
    expect(byExternal.get('ext-none')).toBeNull();
    expect((await dest.read('customers', 'email', ['ada@example.com'])).get('ada@example.com')).toMatchObject({ id: ada });
  });

  it('creates, updates and upserts by metadata.external_id, one form-encoded POST per record, each with its Idempotency-Key', async () => {
    const [existing] = await seed('customers', [{ email: 'old@example.com', name: 'Old', metadata: { external_id: 'e-0' } }]);
    const records = Array.from({ length: 25 }, (_, i) => ({ 'metadata.external_id': `e-${i}`, email: `p${i}@example.com`, name: `Person ${i}` }));
    const results = await dest.write('customers', 'upsert', 'metadata.external_id', records, { idempotencyKeys: keys(25, 'up') });
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(24);
    expect(results[0]).toMatchObject({ outcome: 'updated', id: existing });
    const live = await state('customers');
    expect(live).toHaveLength(25);
    expect(live.find((c) => c.id === existing)).toMatchObject({ name: 'Person 0', metadata: { external_id: 'e-0' } });
    const posts = (await requests()).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(25);
    const saved = (await state('idempotency_keys')).map((k: any) => k.id).sort();
    expect(saved).toEqual([...keys(25, 'up').slice(1), 'forge-up-0-write-update'].sort());

    const updated = await dest.write('customers', 'update', 'id', [{ id: existing, name: 'Renamed', 'metadata.tier': 'gold' }], { idempotencyKeys: ['k-upd'] });
    expect(updated).toEqual([{ index: 0, key: existing, id: existing, outcome: 'updated' }]);
    expect((await dest.read('customers', 'id', [existing])).get(existing)).toMatchObject({ name: 'Renamed', 'metadata.tier': 'gold', 'metadata.external_id': 'e-0' });
    const missing = await dest.write('customers', 'update', 'metadata.external_id', [{ 'metadata.external_id': 'nobody', name: 'x' }]);
    expect(missing[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'metadata.external_id' }] });
  });

  it('fails exactly the 3 invalid records of 25 with their parameter names, and writes the rest', async () => {
    const records: Rec[] = Array.from({ length: 25 }, (_, i) => ({ 'metadata.external_id': `v-${i}`, email: `v${i}@example.com` }));
    records[3].email = 'not-an-email';
    records[11]['metadata.note'] = 'x'.repeat(501);
    records[20].balance = 'lots';
    const results = await dest.write('customers', 'upsert', 'metadata.external_id', records, { idempotencyKeys: keys(25, 'inv') });
    const failed = results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => r.index)).toEqual([3, 11, 20]);
    expect(failed.map((r) => r.errors!.map((e) => e.field))).toEqual([['email'], ['metadata.note'], ['balance']]);
    expect(failed[0].errors![0].message).toMatch(/Invalid email address/);
    expect(await state('customers')).toHaveLength(22);
  });

  it('a 401 is permanent after exactly one request; a 429 is transient and thrown, never a record failure', async () => {
    await stripe.admin('POST', 'faults', { faults: [{ path: '/v1/customers/*', status: 401, times: 1 }] });
    const unauthorized = await failureOf(dest.read('customers', 'id', ['cus_x']));
    expect(unauthorized).toMatchObject({ kind: 'permanent', status: 401, system: 'stripe' });
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /v1/customers/cus_x 401']);

    await stripe.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/v1/customers', status: 429, times: 1 }] });
    const limited = await failureOf(dest.write('customers', 'create', 'id', [{ email: 'a@example.com' }], { idempotencyKeys: ['k-429'] }));
    expect(limited).toMatchObject({ kind: 'transient', status: 429 });
    expect(limited.retryAfterMs).toBeUndefined();
    await stripe.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/v1/customers', status: 429, retryAfter: 3, times: 1 }] });
    expect(await failureOf(dest.write('customers', 'create', 'id', [{ email: 'a@example.com' }], { idempotencyKeys: ['k-429'] }))).toMatchObject({ retryAfterMs: 3000 });
  });

  it('a write retried with the same idempotency keys (after a 500 midway) creates nothing twice', async () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ email: `r${i}@example.com`, name: `R${i}` }));
    await stripe.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/v1/customers', status: 500, times: 1 }] });
    await expect(dest.write('customers', 'create', 'id', records, { idempotencyKeys: keys(10, 'retry') })).rejects.toMatchObject({ kind: 'transient' });
    const afterFirst = (await state('customers')).length;
    expect(afterFirst).toBeGreaterThan(0);
    const second = await dest.write('customers', 'create', 'id', records, { idempotencyKeys: keys(10, 'retry') });
    expect(second.every((r) => r.outcome === 'created')).toBe(true);
    expect(await state('customers')).toHaveLength(10);
    expect(new Set(second.map((r) => r.id)).size).toBe(10);
    const third = await dest.write('customers', 'create', 'id', records, { idempotencyKeys: keys(10, 'retry') });
    expect(third.map((r) => r.id)).toEqual(second.map((r) => r.id));
    expect(await state('customers')).toHaveLength(10);
  });

  it('deletes confirmed by a read; a delete that answers 200 but keeps the record fails; restore re-creates with a new id', async () => {
    const ids = await seed('customers', [0, 1, 2].map((i) => ({ email: `d${i}@example.com`, name: `D${i}`, metadata: { external_id: `d-${i}` } })));
    const deleted = await dest.delete('customers', 'id', [ids[0], 'cus_unknown']);
    expect(deleted.map((r) => r.outcome)).toEqual(['deleted', 'deleted']);
    expect((await dest.read('customers', 'id', [ids[0]])).get(ids[0])).toBeNull();

    await stripe.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const lying = await dest.delete('customers', 'metadata.external_id', ['d-1']);
    expect(lying[0]).toMatchObject({ outcome: 'failed', id: ids[1] });
    expect(lying[0].errors![0].message).toMatch(/still there/);
    await stripe.admin('DELETE', 'faults');

    const before = (await dest.read('customers', 'id', [ids[2]])).get(ids[2])!;
    await dest.delete('customers', 'id', [ids[2]]);
    const restored = await dest.restore('customers', 'id', before, { idempotencyKey: 'k-restore' });
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe(ids[2]);
    expect((await dest.read('customers', 'metadata.external_id', ['d-2'])).get('d-2')).toMatchObject({ id: restored.id, email: 'd2@example.com', name: 'D2' });
    expect((await dest.restore('customers', 'id', before, { idempotencyKey: 'k-restore' })).id).toBe(restored.id);
  });

  it('products with prices cannot be deleted; draft invoices can, finalized ones fail', async () => {
    const [product] = await seed('products', [{ name: 'With price', active: true }]);
    await seed('prices', [{ product, currency: 'usd', unit_amount: 100, active: true }]);
    const refused = await dest.delete('products', 'id', [product]);
    expect(refused[0]).toMatchObject({ outcome: 'failed' });
    expect(refused[0].errors![0].message).toMatch(/prices/);

    const [customer] = await seed('customers', [{ email: 'inv@example.com' }]);
    const drafts = await dest.write('invoices', 'create', 'id', [{ customer, description: 'd1' }, { customer, description: 'd2' }], { idempotencyKeys: ['i-1', 'i-2'] });
    await stripe.call('POST', `/v1/invoices/${drafts[1].id}/finalize`);
    const update = await dest.write('invoices', 'update', 'id', [{ id: drafts[1].id, description: 'late' }]);
    expect(update[0]).toMatchObject({ outcome: 'failed' });
    const results = await dest.delete('invoices', 'id', [drafts[0].id!, drafts[1].id!]);
    expect(results.map((r) => r.outcome)).toEqual(['deleted', 'failed']);
  });

  it('a price "update" of unit_amount replaces the price; rolling it back reactivates the old one and deactivates the new', async () => {
    const [product] = await seed('products', [{ name: 'Plan', active: true }]);
    const created = await dest.write('prices', 'create', 'id', [{ product, currency: 'usd', unit_amount: 1000, 'recurring.interval': 'month', 'metadata.external_id': 'plan-m' }], { idempotencyKeys: ['p-1'] });
    const oldId = created[0].id!;
    const before = (await dest.read('prices', 'metadata.external_id', ['plan-m'])).get('plan-m')!;
    expect(before).toMatchObject({ id: oldId, unit_amount: 1000, 'recurring.interval': 'month', active: true });

    const byId = await dest.write('prices', 'update', 'id', [{ id: oldId, unit_amount: 1500 }]);
    expect(byId[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'unit_amount' }] });

    const replaced = await dest.write('prices', 'update', 'metadata.external_id', [{ 'metadata.external_id': 'plan-m', unit_amount: 1500, nickname: 'Monthly' }], { idempotencyKeys: ['p-2'] });
    expect(replaced[0]).toMatchObject({ outcome: 'updated' });
    const newId = replaced[0].id!;
    expect(newId).not.toBe(oldId);
    const now = (await dest.read('prices', 'metadata.external_id', ['plan-m'])).get('plan-m')!;
    expect(now).toMatchObject({ id: newId, unit_amount: 1500, nickname: 'Monthly', currency: 'usd', product, 'recurring.interval': 'month' });
    const prices = await state('prices');
    expect(prices.find((p) => p.id === oldId).active).toBe(false);
    // A retry with the same keys changes nothing more.
    await dest.write('prices', 'update', 'metadata.external_id', [{ 'metadata.external_id': 'plan-m', unit_amount: 1500, nickname: 'Monthly' }], { idempotencyKeys: ['p-2'] });
    expect(await state('prices')).toHaveLength(2);

    // The load's rollback writes the before-image of the written fields back.
    const rollback = await dest.write('prices', 'update', 'metadata.external_id', [{ 'metadata.external_id': 'plan-m', unit_amount: 1000, nickname: null }], { idempotencyKeys: ['p-3'] });
    expect(rollback[0]).toMatchObject({ outcome: 'updated', id: oldId });
    const after = await state('prices');
    expect(after).toHaveLength(2);
    expect(after.find((p) => p.id === oldId)).toMatchObject({ active: true, unit_amount: 1000 });
    expect(after.find((p) => p.id === newId)).toMatchObject({ active: false });

    // Deleting a price deactivates it; restore reactivates it.
    expect((await dest.delete('prices', 'id', [oldId]))[0].outcome).toBe('deleted');
    expect((await dest.restore('prices', 'id', before)).recreated).toBe(false);
    expect((await dest.read('prices', 'id', [oldId])).get(oldId)).toMatchObject({ active: true });
  });
});
