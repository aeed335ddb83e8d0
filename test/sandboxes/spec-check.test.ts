import fs from 'node:fs';
import path from 'node:path';
import { sandboxes } from '../../sandboxes/registry';
import { checkAgainstSpec, unexplained } from '../helpers/spec-check';

// The sandbox kit's spec check (sandboxes/kit/spec-check): every sandbox whose vendor publishes a
// description declares it (GraphQL systems: their introspection schema, which they execute against),
// and the check tells a conforming exchange from one that is not, for each
// format (OpenAPI 3, Swagger 2.0 converted, Postman request templates).
const SPECS = path.resolve(__dirname, '../../../shared/specs');

describe('sandbox kit: checks against published API descriptions', () => {
  it('every sandbox whose system has a description under ../shared/specs declares it', () => {
    const published = fs.existsSync(SPECS) ? fs.readdirSync(SPECS).filter((d) => fs.statSync(path.join(SPECS, d)).isDirectory()) : [];
    const missing = Object.entries(sandboxes).filter(([system, build]) => published.includes(system) && !build().spec && !build().graphqlSchema).map(([system]) => system);
    expect(missing).toEqual([]);
    for (const [system, build] of Object.entries(sandboxes)) {
      const { spec, graphqlSchema } = build();
      if (spec) expect({ system, exists: fs.existsSync(path.join(SPECS, spec.dir)) }).toEqual({ system, exists: true });
      if (graphqlSchema) expect({ system, exists: fs.existsSync(path.join(SPECS, graphqlSchema.dir, graphqlSchema.file)) }).toEqual({ system, exists: true });
    }
  });

  it('Swagger 2.0 (Slack): a conforming post passes; a missing ts, an unknown method and an unknown argument do not', () => {
    const message = { type: 'message', text: 'hi', ts: '1503435956.000247', user: 'U0SBXBOT01' };
    const verdicts = checkAgainstSpec('slack', [
      { request: { method: 'POST', path: '/chat.postMessage', body: { channel: 'C0SPEC0001', text: 'hi' }, contentType: 'application/json' }, response: { status: 200, body: { ok: true, channel: 'C0SPEC0001', ts: message.ts, message } } },
      { response: { status: 200, body: { ok: true, channel: 'C0SPEC0001', message } }, operationId: 'chat_postMessage' },
      { request: { method: 'POST', path: '/chat.postEverywhere', body: {} } },
      { request: { method: 'GET', path: '/conversations.history', query: { channel: 'C0SPEC0001', frobnicate: '1' } } },
      { errorAnswer: true, operationId: 'chat_postMessage', response: { status: 200, body: { ok: false, error: 'no_text' } } },
    ]);
    const errors = verdicts.map((v) => v.errors.filter((e) => !/header must have required property 'token'/.test(e)));
    expect(errors[0]).toEqual([]);
    expect(errors[1].join()).toMatch(/required property 'ts'/);
    expect(errors[2]).toEqual(['no operation in the description for POST /chat.postEverywhere']);
    expect(errors[3].join()).toMatch(/frobnicate/);
    expect(errors[4]).toEqual([]);
  });

  it('OpenAPI 3 (Stripe): a form body is read with the types the description gives; a wrong type is caught', () => {
    const customer = { id: 'cus_1', object: 'customer', created: 1700000000, livemode: false, metadata: {}, email: null, name: 'A', description: null, phone: null,
      address: null, balance: 0, currency: null, default_source: null, delinquent: false, discount: null, invoice_prefix: 'SBX0001', preferred_locales: [],
      shipping: null, tax_exempt: 'none', test_clock: null };
    const [ok, wrong] = checkAgainstSpec('stripe', [
      { request: { method: 'POST', path: '/v1/customers', body: { name: 'A', balance: '100' }, contentType: 'application/x-www-form-urlencoded' }, response: { status: 200, body: customer } },
      { request: { method: 'POST', path: '/v1/customers', body: { balance: 'lots' }, contentType: 'application/x-www-form-urlencoded' }, response: { status: 200, body: { ...customer, balance: '0' } } },
    ]);
    expect(ok.errors).toEqual([]);
    expect(wrong.errors.join()).toMatch(/balance/);
  });

  it('Postman templates (Salesforce): method and path, variables matching any segment', () => {
    const [query, create, made] = checkAgainstSpec('salesforce', [
      { request: { method: 'GET', path: '/services/data/v62.0/queryAll/', query: { q: 'SELECT Id FROM Contact' } } },
      { request: { method: 'POST', path: '/services/data/v62.0/composite/sobjects' } },
      { request: { method: 'POST', path: '/services/data/v62.0/composite/nonsense' } },
    ]);
    expect([query.errors, create.errors]).toEqual([[], []]);
    expect(create.operationId).toBe('composite/sobject_collections_create');
    expect(made.errors).toEqual(['no operation in the description for POST /services/data/v62.0/composite/nonsense']);
  });

  it('a listed deviation explains only the errors it names', () => {
    const source = { dir: 'x', format: 'openapi3' as const, files: [], knownDeviations: [{ request: /^PATCH \/a$/, error: /must be object/, why: 'because' }] };
    expect(unexplained(source, [{ request: 'PATCH /a', errors: ['/ must be object'] }, { request: 'PATCH /a', errors: ['/x must be string'] }, { request: 'GET /a', errors: ['/ must be object'] }]))
      .toEqual(['PATCH /a: /x must be string', 'GET /a: / must be object']);
  });
});
