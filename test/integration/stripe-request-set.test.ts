import { randomUUID } from 'node:crypto';
import { buildConnectorContext } from '../../src/connectors/context';
import type { ConnectorContext } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { STRIPE_API_VERSION } from '../../src/connectors/stripe/objects';
import { ensureStripeMock, startStripeMock, stripeMockUnavailable, STRIPE_MOCK_VERSION, type RunningStripeMock } from '../../scripts/services/stripe-mock-binary';
import { nestParams } from '../../sandboxes/stripe/form';
import { InMemoryCredentialStore } from '../helpers/sandbox-connection';
import { startRecordingProxy, type ProxiedExchange, type RecordingProxy } from '../helpers/recording-proxy';
import { exerciseStripeConnector } from '../helpers/stripe-request-set';
import { checkAgainstStripeVersionSpec, startStripe, type StripeHarness } from '../sandboxes/stripe-client';

// The Stripe connector's whole request set (test/helpers/stripe-request-set.ts), sent through a
// recording proxy: to stripe-mock, Stripe's own stand-in that validates every request against
// Stripe's OpenAPI description of the version the connector pins; and to our sandbox, whose every
// request and answer is then checked against that same description.

jest.setTimeout(300_000);
const def = findConnector('stripe')!;
const unavailable = stripeMockUnavailable();
if (unavailable) process.stdout.write(`\n[stripe-mock] SKIPPED: ${unavailable}\n`);
const withStripeMock = unavailable ? describe.skip : describe;

async function connect(baseUrl: string, credentials: Record<string, unknown>): Promise<ConnectorContext> {
  const store = new InMemoryCredentialStore();
  const ids = { tenantId: `t-${randomUUID()}`, connectionId: `c-${randomUUID()}` };
  await store.put(ids.tenantId, ids.connectionId, credentials);
  return buildConnectorContext(def, { ...ids, config: def.config.parse({ baseUrl }) }, store);
}

const line = (x: ProxiedExchange) => `${x.method} ${x.path} ${x.status}`;

withStripeMock(`Stripe connector against stripe-mock ${STRIPE_MOCK_VERSION}`, () => {
  let mock: RunningStripeMock;
  let proxy: RecordingProxy;
  beforeAll(async () => {
    mock = await startStripeMock((m) => process.stdout.write(`[stripe-mock] ${m}\n`));
    proxy = await startRecordingProxy(mock.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await mock?.stop();
  });

  it('accepts every request of the connector\'s request set', async () => {
    const ctx = await connect(proxy.url, { apiKey: 'sk_test_123' });
    const steps = await exerciseStripeConnector(def, ctx, `mock-${Date.now()}`);
    const accepted = proxy.exchanges.filter((x) => x.status < 400);
    const refused = proxy.exchanges.filter((x) => x.status >= 400);
    process.stdout.write(`\n[stripe-mock ${STRIPE_MOCK_VERSION}] accepted ${accepted.length} of ${proxy.exchanges.length} requests `
      + `(${new Set(proxy.exchanges.map((x) => `${x.method} ${x.path.replace(/\/(cus|prod|price|in|ii|evt)_[A-Za-z0-9]+/g, '/{id}')}`)).size} distinct endpoints); `
      + `${steps.filter((s) => s.ok).length} of ${steps.length} steps ran through (the mock keeps no state)\n`);
    process.stdout.write(steps.filter((s) => !s.ok).map((s) => `  step "${s.step}" stopped: ${s.error}\n`).join(''));
    expect(proxy.exchanges.length).toBeGreaterThan(40);
    expect(proxy.exchanges.every((x) => x.headers['stripe-version'] === STRIPE_API_VERSION)).toBe(true);
    expect(refused.map((x) => `${line(x)} ${JSON.stringify(x.response)} <- ${x.body}`)).toEqual([]);
  });
});

describe('Stripe connector against the sandbox, checked against the pinned version\'s description', () => {
  let stripe: StripeHarness;
  let proxy: RecordingProxy;
  beforeAll(async () => {
    stripe = await startStripe();
    proxy = await startRecordingProxy(stripe.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await stripe?.stop();
  });

  it('runs every step, and every request and answer conforms to Stripe\'s description of that version', async () => {
    const ctx = await connect(proxy.url, { apiKey: stripe.apiKey });
    const steps = await exerciseStripeConnector(def, ctx, 'sbx');
    expect(steps.filter((s) => !s.ok)).toEqual([]);
    // 404 is how a read by id learns that a delete went through; nothing else is refused.
    expect(proxy.exchanges.filter((x) => x.status >= 400 && !(x.method === 'GET' && x.status === 404)).map(line)).toEqual([]);
    expect(proxy.exchanges.every((x) => x.headers['stripe-version'] === STRIPE_API_VERSION)).toBe(true);
    if (unavailable) {
      process.stdout.write(`\n[stripe spec] the check against ${STRIPE_API_VERSION}'s description SKIPPED: ${unavailable}\n`);
      return;
    }
    const form = (raw: string) => nestParams(Object.fromEntries(new URLSearchParams(raw)));
    const results = checkAgainstStripeVersionSpec(ensureStripeMock().spec, proxy.exchanges.map((x) => ({
      request: {
        method: x.method, path: x.path, query: form(x.query.toString()) as Record<string, string>,
        ...(x.method === 'POST' ? { body: form(x.body), contentType: 'application/x-www-form-urlencoded' } : {}),
      },
      response: { status: x.status, body: x.response },
    })));
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
    process.stdout.write(`\n[stripe spec] ${results.length} exchanges with the sandbox conform to ${STRIPE_API_VERSION}'s description\n`);
  });
});
