import type { ChangeEvent, ConnectorContext } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { stripeSource } from '../../src/connectors/stripe/source';
import { StripeApi } from '../../src/connectors/stripe/stripe-api';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startStripe, type StripeHarness } from '../sandboxes/stripe-client';

describe('Stripe source (Events API) against the sandbox', () => {
  const def = findConnector('stripe')!;
  let stripe: StripeHarness;
  let ctx: ConnectorContext;

  beforeEach(async () => {
    stripe = await startStripe();
    ctx = await connectToSandbox(def, stripe.url);
  });
  afterEach(async () => {
    await stripe.stop();
  });

  /** Polls until caught up, as the capture workflow does; answers every change and the last cursor. */
  async function drain(source = def.source(ctx), from: unknown = null): Promise<{ changes: ChangeEvent[]; cursor: unknown }> {
    const changes: ChangeEvent[] = [];
    let cursor = from;
    for (let polls = 0; polls < 50; polls++) {
      const page = await source.capture('customers', cursor);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor };
    }
    throw new Error('capture did not catch up');
  }

  it('captures creates, updates and deletes oldest first, exactly once, resuming from its cursor', async () => {
    // Many events in one second: the cursor has to tell them apart by the ids it has seen.
    await stripe.admin('POST', 'clock', { frozen: true });
    const a = (await stripe.call('POST', '/v1/customers', { form: { name: 'A' } })).body.id as string;
    const b = (await stripe.call('POST', '/v1/customers', { form: { name: 'B' } })).body.id as string;
    await stripe.call('POST', '/v1/products', { form: { name: 'not a customer' } });
    await stripe.call('POST', `/v1/customers/${a}`, { form: { name: 'A2' } });
    const first = await drain();
    expect(first.changes.map((c) => `${c.recordId === a ? 'a' : 'b'}:${c.op}:${String(c.data?.name)}`)).toEqual(['a:upsert:A', 'b:upsert:B', 'a:upsert:A2']);
    expect(first.changes.every((c) => c.version.startsWith('evt_') && c.object === 'customers')).toBe(true);

    await stripe.call('POST', `/v1/customers/${b}`, { form: { metadata: { tier: 'gold' } } });
    await stripe.call('DELETE', `/v1/customers/${a}`);
    await stripe.admin('POST', 'clock', { advanceMs: 2000 });
    const c = (await stripe.call('POST', '/v1/customers', { form: { name: 'C' } })).body.id as string;
    const second = await drain(def.source(ctx), first.cursor);
    expect(second.changes.map((x) => `${x.recordId}:${x.op}`)).toEqual([`${b}:upsert`, `${a}:delete`, `${c}:upsert`]);
    expect(second.changes[0].data).toMatchObject({ 'metadata.tier': 'gold' });
    expect(second.changes[1].data).toBeNull();

    const again = await drain(def.source(ctx), second.cursor);
    expect(again.changes).toEqual([]);
    expect(again.cursor).toEqual(second.cursor);
    const versions = [...first.changes, ...second.changes].map((x) => x.version);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('pages back through more than 100 events and emits at most a budget per poll, in order', async () => {
    for (let i = 0; i < 130; i++) await stripe.call('POST', '/v1/customers', { form: { name: `N${i}` } });
    const source = stripeSource(new StripeApi(ctx.http), { maxChangesPerPoll: 50 });
    const pages: number[] = [];
    const changes: ChangeEvent[] = [];
    let cursor: unknown = null;
    for (;;) {
      const page = await source.capture('customers', cursor);
      pages.push(page.changes.length);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(pages).toEqual([50, 50, 30]);
    expect(changes.map((x) => x.data?.name)).toEqual(Array.from({ length: 130 }, (_, i) => `N${i}`));
  });

  it('refuses, clearly and for good, a cursor older than Stripe keeps events (30 days)', async () => {
    const old = { created: Math.floor(Date.now() / 1000) - 31 * 24 * 3600, seen: [] };
    await expect(def.source(ctx).capture('customers', old)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/30 days/) });
  });
});
