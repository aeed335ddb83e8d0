import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// A dry run whose snapshot fails (the system refuses the credentials) must end `failed` with the
// reason, not stay `running` forever; cancelling it afterwards is then a plain 409.
describe('a failed dry run', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });

  it('ends failed, with the reason', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/oauth/v1/token', status: 401 }, { kind: 'expire-token' }] });
    const res = await h.api('POST', '/v1/loads', {
      connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email',
      records: [{ email: 'dry@example.com', firstname: 'Dry' }], options: { dryRun: true },
    });
    expect(res.status).toBe(202);
    const done = await h.waitForLoad(res.body.id, ['failed', 'completed'], 30_000);
    expect(done.status).toBe('failed');
    expect(JSON.stringify(done.error)).toMatch(/401|refused|re-authorised/);
    const cancel = await h.api('POST', `/v1/loads/${res.body.id}/cancel`);
    expect(cancel.status).toBe(409);
  });
});
