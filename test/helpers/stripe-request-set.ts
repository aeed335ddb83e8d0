import type { ConnectorContext, ConnectorDefinition, Rec } from '../../src/connectors/contract';
import { objectSpec } from '../../src/connectors/contract';
import { restoreImage, writtenFields } from '../../src/platform/load/compare';

/** One step of the request set: what the connector did, and whether it worked against this server. */
export interface StepOutcome {
  step: string;
  ok: boolean;
  error?: string;
}

/**
 * The Stripe connector's whole request set, driven through the connector itself (no request is
 * written by hand): the connection check; reads by id, metadata.external_id and email; create,
 * update, upsert and delete of customers, products, prices and invoices with nested metadata and
 * addresses; the rollback writes a load sends (metadata keys set back and unset, an address
 * restored whole, a price reactivated), restores that re-create (an invoice with its line items),
 * and capture. Each step runs whatever the previous ones answered (stripe-mock answers fixtures,
 * not state); a step that throws is recorded and the next runs.
 */
export async function exerciseStripeConnector(def: ConnectorDefinition, ctx: ConnectorContext, tag: string): Promise<StepOutcome[]> {
  const dest = def.destination(ctx);
  const outcomes: StepOutcome[] = [];
  const state: Record<string, string> = {};
  const spec = (object: string) => objectSpec(def, object)!;
  const step = async (name: string, run: () => Promise<unknown>) => {
    try {
      await run();
      outcomes.push({ step: name, ok: true });
    } catch (err) {
      outcomes.push({ step: name, ok: false, error: (err as Error).message });
    }
  };
  const idOf = (results: Array<{ id?: string; outcome: string; errors?: unknown }>, i = 0): string => {
    const result = results[i];
    if (!result || result.outcome === 'failed' || !result.id) throw new Error(`no id: ${JSON.stringify(result)}`);
    return result.id;
  };
  /** The record, or (a server without state) what it would be: later steps still send their requests. */
  const readOr = async (object: string, keyField: string, key: string, otherwise: Rec): Promise<Rec> =>
    (await dest.read(object, keyField, [key])).get(key) ?? { ...otherwise, [keyField]: key };
  /** A load's rollback of an update: the before-image of the fields it wrote, written back. */
  const rollBack = async (object: string, keyField: string, before: Rec, written: Rec) => {
    const image = { ...restoreImage(before, writtenFields(written, spec(object))), [keyField]: before[keyField] };
    const [result] = await dest.write(object, 'update', keyField, [image], { idempotencyKeys: [`${tag}-restore-${object}-${String(before[keyField])}`] });
    if (result.outcome === 'failed') throw new Error(JSON.stringify(result.errors));
  };
  const ext = (name: string) => `${tag}-${name}`;

  await step('check', () => def.check(ctx));

  // Customers: nested metadata and address, upsert by external id, the rollback of an update, delete and re-create.
  await step('customer create', async () => {
    state.customer = idOf(await dest.write('customers', 'create', 'id', [{
      email: `${tag}@example.com`, name: 'Ada', metadata: { external_id: ext('c1'), tier: 'gold' }, address: { line1: '1 Main St', city: 'Lyon', country: 'FR' },
    }], { idempotencyKeys: [`${tag}-c1`] }));
  });
  await step('customer reads', async () => {
    await dest.read('customers', 'id', [state.customer]);
    await dest.read('customers', 'metadata.external_id', [ext('c1'), ext('nobody')]);
    await dest.read('customers', 'email', [`${tag}@example.com`]);
  });
  const change = { 'metadata.external_id': ext('c1'), name: 'Ada L.', metadata: { tier: 'silver', added: 'yes' }, 'address.city': 'Paris', description: 'vip' };
  let customerBefore: Rec = {};
  await step('customer upsert (nested metadata and address)', async () => {
    customerBefore = await readOr('customers', 'metadata.external_id', ext('c1'), {
      id: state.customer, name: 'Ada', 'metadata.tier': 'gold', address: { city: 'Lyon', country: 'FR', line1: '1 Main St', line2: null, postal_code: null, state: null },
    });
    const results = await dest.write('customers', 'upsert', 'metadata.external_id', [change, { 'metadata.external_id': ext('c2'), email: `${tag}-2@example.com` }],
      { idempotencyKeys: [`${tag}-up-1`, `${tag}-up-2`] });
    state.customer2 = idOf(results, 1);
  });
  await step('customer rollback of the upsert', () => rollBack('customers', 'id', customerBefore, change));
  await step('customer delete and re-create', async () => {
    const before = await readOr('customers', 'id', state.customer2, { email: `${tag}-2@example.com`, 'metadata.external_id': ext('c2') });
    const [deleted] = await dest.delete('customers', 'metadata.external_id', [ext('c2')], { idempotencyKeys: [`${tag}-del-c2`] });
    if (deleted.outcome !== 'deleted') throw new Error(JSON.stringify(deleted));
    await dest.restore('customers', 'metadata.external_id', before, { idempotencyKey: `${tag}-recreate-c2` });
  });

  // Products: create, update that blanks a field, its rollback.
  await step('product create and update', async () => {
    state.product = idOf(await dest.write('products', 'create', 'id', [{ name: 'Widget', description: 'A widget', 'metadata.external_id': ext('p1') }],
      { idempotencyKeys: [`${tag}-p1`] }));
    const before = await readOr('products', 'id', state.product, { name: 'Widget', description: 'A widget', unit_label: null });
    const update = { id: state.product, description: null, unit_label: 'seat' };
    const [updated] = await dest.write('products', 'update', 'id', [update], { idempotencyKeys: [`${tag}-p1-upd`] });
    if (updated.outcome === 'failed') throw new Error(JSON.stringify(updated.errors));
    await rollBack('products', 'id', before, update);
  });

  // Prices: create, nickname update, replacement by external id and its rollback (reactivation), delete and restore.
  await step('price create and update', async () => {
    state.price = idOf(await dest.write('prices', 'create', 'id', [{
      product: state.product, currency: 'usd', unit_amount: 1200, recurring: { interval: 'month' }, 'metadata.external_id': ext('plan'), tax_behavior: 'exclusive',
    }], { idempotencyKeys: [`${tag}-price`] }));
    await dest.write('prices', 'update', 'metadata.external_id', [{ 'metadata.external_id': ext('plan'), nickname: 'Monthly' }], { idempotencyKeys: [`${tag}-price-nick`] });
  });
  await step('price replacement and its rollback', async () => {
    const before = await readOr('prices', 'metadata.external_id', ext('plan'), {
      id: state.price, product: state.product, currency: 'usd', unit_amount: 1200, 'recurring.interval': 'month', active: true,
    });
    const change = { 'metadata.external_id': ext('plan'), unit_amount: 1500 };
    const [replaced] = await dest.write('prices', 'update', 'metadata.external_id', [change], { idempotencyKeys: [`${tag}-price-replace`] });
    if (replaced.outcome === 'failed') throw new Error(JSON.stringify(replaced.errors));
    await rollBack('prices', 'metadata.external_id', before, change);
  });
  await step('price delete and restore', async () => {
    const before = await readOr('prices', 'id', state.price, { product: state.product, currency: 'usd', unit_amount: 1200, 'recurring.interval': 'month' });
    await dest.delete('prices', 'id', [state.price], { idempotencyKeys: [`${tag}-price-del`] });
    await dest.restore('prices', 'id', before, { idempotencyKey: `${tag}-price-restore` });
  });

  // Invoices: a draft with line items, updated and rolled back, deleted and re-created with its lines.
  await step('invoice create and update', async () => {
    state.invoice = idOf(await dest.write('invoices', 'create', 'id', [{
      customer: state.customer, collection_method: 'send_invoice', due_date: 1_900_000_000, description: 'draft', metadata: { external_id: ext('inv') },
    }], { idempotencyKeys: [`${tag}-inv`] }));
    const before = await readOr('invoices', 'id', state.invoice, { customer: state.customer, footer: null });
    const update = { id: state.invoice, footer: 'Thanks', 'metadata.po': '42' };
    await dest.write('invoices', 'update', 'id', [update], { idempotencyKeys: [`${tag}-inv-upd`] });
    await rollBack('invoices', 'id', before, update);
  });
  await step('updates whose images blank fields Stripe cannot blank (they are left out, never sent as \'\')', async () => {
    await dest.write('invoices', 'update', 'id', [{ id: state.invoice, due_date: null, auto_advance: null, description: null }], { idempotencyKeys: [`${tag}-inv-blank`] });
    await dest.write('prices', 'update', 'id', [{ id: state.price, tax_behavior: null, nickname: null }], { idempotencyKeys: [`${tag}-price-blank`] });
  });
  await step('invoice delete and re-create with its lines', async () => {
    const read = await readOr('invoices', 'id', state.invoice, { customer: state.customer, collection_method: 'send_invoice', due_date: 1_900_000_000 });
    const before = {
      ...read,
      lines: [
        { amount: 2400, currency: 'usd', description: 'Seats', quantity: 2, price: state.price, metadata: { seat: 'yes' } },
        { amount: 500, currency: 'usd', description: 'Setup', quantity: 1, price: null, metadata: {} },
      ],
    };
    await dest.delete('invoices', 'id', [state.invoice], { idempotencyKeys: [`${tag}-inv-del`] });
    await dest.restore('invoices', 'id', before, { idempotencyKey: `${tag}-inv-restore` });
  });

  await step('capture', async () => {
    const source = def.source(ctx);
    for (const object of ['customers', 'products', 'prices', 'invoices']) await source.capture(object, null);
  });
  return outcomes;
}
