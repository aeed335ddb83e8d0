import { nestParams } from '../../sandboxes/stripe/form';
import { formPairs } from '../../src/platform/http';
import { checkAgainstStripeSpec, startStripe, type Exchange, type StripeHarness } from './stripe-client';

describe('Stripe sandbox', () => {
  let stripe: StripeHarness;
  let exchanges: Exchange[] = [];
  beforeEach(async () => {
    stripe = await startStripe();
    exchanges = [];
  });
  afterEach(async () => {
    await stripe.stop();
  });

  /**
   * Keeps the request and the answer, for checkAgainstStripeSpec. The request is checked with its
   * typed values (the form's strings carry no types); that the sandbox reads the form back into the
   * same structure is checked here.
   */
  function conforms(operationId: string, method: string, path: string, form: Record<string, unknown> | undefined, res: { status: number; body: unknown }, query: Record<string, string> = {}): void {
    const body = form;
    if (form) expect(JSON.stringify(nestParams(Object.fromEntries(formPairs(form))))).toBe(JSON.stringify(form, (_k, v: unknown) => (typeof v === 'number' ? String(v) : v)));
    exchanges.push({ operationId, request: { method, path, query, ...(body ? { body } : {}) }, response: { status: res.status, body: res.body } });
  }

  function expectConformance(operations: string[]): void {
    const results = checkAgainstStripeSpec(exchanges);
    expect(results.map((r) => r.operationId)).toEqual(operations);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
  }

  it('answers create, update, retrieve and delete of a customer as the OpenAPI description says', async () => {
    const form = { email: 'ada@example.com', name: 'Ada', metadata: { external_id: 'ext-1' } };
    const created = await stripe.call('POST', '/v1/customers', { form });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: 'customer', email: 'ada@example.com', metadata: { external_id: 'ext-1' }, livemode: false });
    expect(created.body.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(Math.abs(created.body.created - Date.now() / 1000)).toBeLessThan(5);
    conforms('PostCustomers', 'post', '/v1/customers', form, created);

    const id = created.body.id as string;
    const update = { name: 'Ada L.', metadata: { tier: 'gold', external_id: '' } };
    const updated = await stripe.call('POST', `/v1/customers/${id}`, { form: update });
    expect(updated.body).toMatchObject({ name: 'Ada L.', metadata: { tier: 'gold' } });
    expect(updated.body.metadata.external_id).toBeUndefined();
    conforms('PostCustomersCustomer', 'post', `/v1/customers/${id}`, update, updated);

    const read = await stripe.call('GET', `/v1/customers/${id}`);
    conforms('GetCustomersCustomer', 'get', `/v1/customers/${id}`, undefined, read);

    const deleted = await stripe.call('DELETE', `/v1/customers/${id}`);
    expect(deleted.body).toEqual({ id, object: 'customer', deleted: true });
    conforms('DeleteCustomersCustomer', 'delete', `/v1/customers/${id}`, undefined, deleted);
    const stub = await stripe.call('GET', `/v1/customers/${id}`);
    expect(stub.body).toEqual({ id, object: 'customer', deleted: true });
    conforms('GetCustomersCustomer', 'get', `/v1/customers/${id}`, undefined, stub);
    expectConformance(['PostCustomers', 'PostCustomersCustomer', 'GetCustomersCustomer', 'DeleteCustomersCustomer', 'GetCustomersCustomer']);

    // The check itself catches a wrong answer and a wrong request.
    exchanges = [
      { operationId: 'GetCustomersCustomer', request: { method: 'get', path: `/v1/customers/${id}` }, response: { status: 200, body: { ...read.body, email: 42 } } },
      { operationId: 'PostCustomers', request: { method: 'post', path: '/v1/customers', body: { bogus: 'x' } }, response: created },
    ];
    expect(checkAgainstStripeSpec(exchanges).map((r) => r.errors.length > 0)).toEqual([true, true]);
  });

  it('creates prices per the description and refuses changes to their immutable fields', async () => {
    const product = await stripe.call('POST', '/v1/products', { form: { name: 'Widget' } });
    expect(product.body.id).toMatch(/^prod_/);
    const form = { product: product.body.id, currency: 'usd', unit_amount: 1200, recurring: { interval: 'month' }, metadata: { external_id: 'p-1' } };
    const price = await stripe.call('POST', '/v1/prices', { form });
    expect(price.body).toMatchObject({ object: 'price', unit_amount: 1200, type: 'recurring', recurring: { interval: 'month', interval_count: 1 }, active: true });
    conforms('PostPrices', 'post', '/v1/prices', form, price);

    const change = await stripe.call('POST', `/v1/prices/${price.body.id}`, { form: { unit_amount: 1500 } });
    expect(change.status).toBe(400);
    expect(change.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'unit_amount' });
    expect((await stripe.call('DELETE', `/v1/prices/${price.body.id}`)).status).toBe(404);
    const productDelete = await stripe.call('DELETE', `/v1/products/${product.body.id}`);
    expect(productDelete.status).toBe(400);
    expect(productDelete.body.error.message).toMatch(/prices/);
    // Checked last: the check blocks this process for seconds, and the sandbox runs in it.
    expectConformance(['PostPrices']);
  });

  it('lists events newest first, filtered by type and created, paged with starting_after', async () => {
    const a = await stripe.call('POST', '/v1/customers', { form: { name: 'A' } });
    await stripe.call('POST', `/v1/customers/${a.body.id}`, { form: { name: 'A2' } });
    await stripe.call('POST', '/v1/products', { form: { name: 'P' } });
    await stripe.call('DELETE', `/v1/customers/${a.body.id}`);
    const query = { type: 'customer.*', limit: '2' };
    const first = await stripe.call('GET', `/v1/events?${new URLSearchParams(query)}`);
    conforms('GetEvents', 'get', '/v1/events', undefined, first, query);
    expect(first.body.data.map((e: any) => e.type)).toEqual(['customer.deleted', 'customer.updated']);
    expect(first.body.has_more).toBe(true);
    expect(first.body.data[1].data.previous_attributes).toEqual({ name: 'A' });
    const second = await stripe.call('GET', `/v1/events?${new URLSearchParams({ ...query, starting_after: first.body.data[1].id })}`);
    expect(second.body.data.map((e: any) => e.type)).toEqual(['customer.created']);
    expect(second.body.has_more).toBe(false);
    expect(second.body.data[0].id).toMatch(/^evt_/);
    const future = await stripe.call('GET', `/v1/events?${new URLSearchParams({ 'created[gte]': String(Math.floor(Date.now() / 1000) + 60) })}`);
    expect(future.body.data).toEqual([]);

    // Events older than 30 days are gone from the list.
    await stripe.admin('POST', 'clock', { advanceMs: 31 * 24 * 3600 * 1000 });
    expect((await stripe.call('GET', '/v1/events')).body.data).toEqual([]);
    expectConformance(['GetEvents']);
  });

  it('honours Idempotency-Key: same parameters replay, different ones are refused, validation errors are not saved, keys live 24 h', async () => {
    const form = { email: 'idem@example.com' };
    const first = await stripe.call('POST', '/v1/customers', { form, idempotencyKey: 'k-1' });
    const again = await stripe.call('POST', '/v1/customers', { form, idempotencyKey: 'k-1' });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect((await stripe.admin('GET', 'state')).body.objects.customers).toHaveLength(1);

    const other = await stripe.call('POST', '/v1/customers', { form: { email: 'other@example.com' }, idempotencyKey: 'k-1' });
    expect(other.status).toBe(400);
    expect(other.body.error.type).toBe('idempotency_error');

    const invalid = await stripe.call('POST', '/v1/customers', { form: { email: 'not-an-email' }, idempotencyKey: 'k-2' });
    expect(invalid.body.error).toMatchObject({ code: 'email_invalid', param: 'email' });
    const fixedSameKey = await stripe.call('POST', '/v1/customers', { form: { email: 'fixed@example.com' }, idempotencyKey: 'k-2' });
    expect(fixedSameKey.status).toBe(200);

    await stripe.admin('POST', 'clock', { advanceMs: 24 * 3600 * 1000 + 1000 });
    const afterExpiry = await stripe.call('POST', '/v1/customers', { form, idempotencyKey: 'k-1' });
    expect(afterExpiry.headers.get('idempotent-replayed')).toBeNull();
    expect(afterExpiry.body.id).not.toBe(first.body.id);
  });

  it('searches by metadata once the index has caught up, refuses bad keys with 401 and answers Stripe 429 bodies when rate limited', async () => {
    const created = await stripe.call('POST', '/v1/customers', { form: { email: 'x@example.com', metadata: { external_id: "o'brien" } } });
    const search = () => stripe.call('GET', `/v1/customers/search?${new URLSearchParams({ query: "metadata['external_id']:'o\\'brien'" })}`);
    expect((await search()).body.data).toEqual([]); // Stripe's index trails writes: not searchable yet
    await stripe.admin('POST', 'clock', { advanceMs: 61_000 });
    const found = await search();
    expect(found.body).toMatchObject({ object: 'search_result', has_more: false });
    expect(found.body.data.map((c: any) => c.id)).toEqual([created.body.id]);
    // A change is searchable only after the lag too: until then the search matches the old version.
    await stripe.call('POST', `/v1/customers/${created.body.id}`, { form: { metadata: { external_id: 'renamed' } } });
    expect((await search()).body.data).toHaveLength(1);
    await stripe.admin('POST', 'clock', { advanceMs: 61_000 });
    expect((await search()).body.data).toEqual([]);
    const bad = await stripe.call('GET', `/v1/customers/search?${new URLSearchParams({ query: 'nonsense(' })}`);
    expect(bad.body.error.param).toBe('query');

    const unauthorized = await stripe.call('GET', '/v1/customers', { key: 'sk_test_wrong' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body.error.type).toBe('invalid_request_error');

    const limited = await startStripe({ enforceRateLimit: true, rateLimit: { limit: 3, windowMs: 60_000 } });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await limited.call('GET', '/v1/customers'));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers[3].body.error).toMatchObject({ code: 'rate_limit' });
    } finally {
      await limited.stop();
    }
  });
});
