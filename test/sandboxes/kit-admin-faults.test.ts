import { waitUntil } from '../helpers/wait';
import { startHubspot, type HubspotHarness } from './hubspot-client';

/** The shared admin API and fault injection, driven through the HubSpot sandbox over HTTP. */
describe('sandbox kit: admin API and faults', () => {
  let hs: HubspotHarness;
  beforeEach(async () => {
    hs = await startHubspot();
  });
  afterEach(async () => {
    await hs.stop();
  });

  it('listens on 127.0.0.1 on a free port', () => {
    expect(hs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hs.sandbox.port).toBeGreaterThan(0);
  });

  it('seeds, shows state, resets', async () => {
    const seeded = await hs.admin('POST', 'seed', {
      objects: { contacts: [{ properties: { email: 'ada@example.com', firstname: 'Ada' } }, { email: 'bob@example.com' }], companies: [{ id: '77', name: 'Acme', domain: 'acme.com' }] },
    });
    expect(seeded.status).toBe(200);
    expect(seeded.body.objects.contacts).toHaveLength(2);
    const state = await hs.admin('GET', 'state');
    expect(Object.keys(state.body.objects).sort()).toEqual(['companies', 'contacts', 'deals']);
    expect(state.body.objects.contacts.map((c: any) => c.properties.email)).toEqual(['ada@example.com', 'bob@example.com']);
    expect(state.body.objects.companies[0]).toMatchObject({ id: '77', archived: false, properties: { name: 'Acme', domain: 'acme.com', hs_object_id: '77' } });

    const read = await hs.api('GET', '/crm/v3/objects/companies/77?properties=name');
    expect(read.body.properties.name).toBe('Acme');

    expect((await hs.admin('POST', 'reset')).status).toBe(200);
    const after = await hs.admin('GET', 'state');
    expect(after.body.objects).toEqual({ contacts: [], companies: [], deals: [] });
    expect((await hs.admin('GET', 'requests')).body.requests).toEqual([]);
  });

  it('refuses seeds for unknown objects or with invalid values', async () => {
    expect((await hs.admin('POST', 'seed', { objects: { tickets: [{}] } })).status).toBe(400);
    const bad = await hs.admin('POST', 'seed', { objects: { contacts: [{ email: 'not-an-email' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('email');
  });

  it('logs API requests (method, path, status), newest last, and never admin ones', async () => {
    await hs.call('GET', '/crm/v3/objects/contacts', { token: null });
    await hs.api('GET', '/crm/v3/objects/deals?limit=5');
    const { requests } = (await hs.admin('GET', 'requests')).body;
    expect(requests.map((r: any) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/crm/v3/objects/contacts', 401],
      ['POST', '/oauth/v1/token', 200],
      ['GET', '/crm/v3/objects/deals', 200],
    ]);
    expect(requests[2].query).toBe('limit=5');
  });

  it('hands out credentials in the connector shape and the config', async () => {
    const { body } = await hs.admin('GET', 'credentials');
    expect(Object.keys(body.credentials).sort()).toEqual(['clientId', 'clientSecret', 'refreshToken']);
    expect(body.config).toEqual({ baseUrl: hs.url, appUrl: hs.url });
  });

  it('injects a status with a body, a number of times, then stops', async () => {
    await hs.admin('POST', 'faults', { faults: [{ method: 'GET', path: '/crm/v3/objects/contacts', status: 503, body: { oops: true }, times: 2 }] });
    const first = await hs.api('GET', '/crm/v3/objects/contacts');
    const second = await hs.api('GET', '/crm/v3/objects/contacts');
    const third = await hs.api('GET', '/crm/v3/objects/contacts');
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect(first.body).toEqual({ oops: true });
    expect((await hs.admin('GET', 'faults')).body.faults).toEqual([]);
  });


  it('lets the first `after` matching requests through, then applies the fault', async () => {
    await hs.admin('POST', 'faults', { faults: [{ method: 'GET', path: '/crm/v3/objects/contacts', status: 401, after: 2, times: 1 }] });
    const other = await hs.api('GET', '/crm/v3/objects/companies');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await hs.api('GET', '/crm/v3/objects/contacts')).status);
    expect(other.status).toBe(200);
    expect(answers).toEqual([200, 200, 401, 200]);
    expect((await hs.admin('GET', 'faults')).body.faults).toEqual([]);
  });
  it("answers a fault without a body with the system's own error body, before auth", async () => {
    await hs.admin('POST', 'faults', { faults: [{ path: '/crm/v3/objects/*', status: 502 }] });
    const res = await hs.call('GET', '/crm/v3/objects/contacts', { token: null });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
    expect(typeof res.body.correlationId).toBe('string');
  });

  it('sends Retry-After as seconds or as an HTTP-date', async () => {
    const date = 'Wed, 21 Oct 2037 07:28:00 GMT';
    await hs.admin('POST', 'faults', {
      faults: [
        { path: '/crm/v3/objects/contacts', status: 429, retryAfter: 7, times: 1 },
        { path: '/crm/v3/objects/deals', status: 503, retryAfter: date, times: 1 },
      ],
    });
    const seconds = await hs.api('GET', '/crm/v3/objects/contacts');
    const httpDate = await hs.api('GET', '/crm/v3/objects/deals');
    expect(seconds.status).toBe(429);
    expect(seconds.headers.get('retry-after')).toBe('7');
    expect(httpDate.status).toBe(503);
    expect(httpDate.headers.get('retry-after')).toBe(date);
  });

  it('matches paths by prefix and by regular expression, and by method', async () => {
    await hs.admin('POST', 'faults', {
      faults: [
        { path: '^/crm/v3/objects/[^/]+/batch/', status: 500 },
        { method: 'DELETE', path: '/crm/v3/*', status: 409 },
      ],
    });
    expect((await hs.api('POST', '/crm/v3/objects/deals/batch/read', { inputs: [] })).status).toBe(500);
    expect((await hs.api('POST', '/crm/v3/objects/deals/search', {})).status).toBe(200);
    expect((await hs.api('DELETE', '/crm/v3/objects/deals/1')).status).toBe(409);
    expect((await hs.api('GET', '/crm/v3/objects/deals')).status).toBe(200);
  });

  it('matches by what the body carries (one endpoint for every call, as GraphQL has)', async () => {
    await hs.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/crm/v3/objects/deals/search', bodyMatches: '"dealname"', status: 500 }] });
    expect((await hs.api('POST', '/crm/v3/objects/deals/search', { properties: ['amount'] })).status).toBe(200);
    expect((await hs.api('POST', '/crm/v3/objects/deals/search', { properties: ['dealname'] })).status).toBe(500);
  });

  it('rejects invalid fault specs', async () => {
    expect((await hs.admin('POST', 'faults', { faults: [{ bodyMatches: '[' }] })).status).toBe(400);
    expect((await hs.admin('POST', 'faults', { faults: [{ status: 99 }] })).status).toBe(400);
    expect((await hs.admin('POST', 'faults', { faults: [{ kind: 'stale-read', status: 500 }] })).status).toBe(400);
    expect((await hs.admin('POST', 'faults', { faults: [{ path: '^(' }] })).status).toBe(400);
  });

  it('delays answers by latencyMs for the given number of requests', async () => {
    await hs.api('GET', '/crm/v3/objects/contacts'); // token fetched outside the measurement
    await hs.admin('POST', 'faults', { faults: [{ path: '/crm/v3/objects/contacts', latencyMs: 300, times: 1 }] });
    const started = performance.now();
    expect((await hs.api('GET', '/crm/v3/objects/contacts')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await hs.admin('GET', 'faults')).body.faults).toEqual([]);
  });

  it('lists a request it holds as in flight until it is answered, then in the log', async () => {
    await hs.api('GET', '/crm/v3/objects/contacts'); // token fetched before
    await hs.admin('DELETE', 'requests');
    await hs.admin('POST', 'faults', { faults: [{ path: '/crm/v3/objects/contacts', latencyMs: 2_000, times: 1 }] });
    const held = hs.api('GET', '/crm/v3/objects/contacts?limit=3');
    await waitUntil(async () => (await hs.admin('GET', 'requests')).body.inFlight.length > 0, 1_800);
    const during = (await hs.admin('GET', 'requests')).body;
    expect(during).toMatchObject({ requests: [], inFlight: [{ method: 'GET', path: '/crm/v3/objects/contacts', query: 'limit=3', receivedAt: expect.any(String) }] });
    expect((await held).status).toBe(200);
    const after = (await hs.admin('GET', 'requests')).body;
    expect(after.inFlight).toEqual([]);
    expect(after.requests.map((r: any) => [r.path, r.status])).toEqual([['/crm/v3/objects/contacts', 200]]);
  });

  it('delete-lies: the archive answers 204 and the record stays', async () => {
    const seeded = await hs.admin('POST', 'seed', { objects: { contacts: [{ email: 'stay@example.com' }, { email: 'go@example.com' }] } });
    const [stay, go] = seeded.body.objects.contacts.map((c: any) => c.id);
    await hs.admin('POST', 'faults', { faults: [{ kind: 'delete-lies', times: 1 }] });
    expect((await hs.api('POST', '/crm/v3/objects/contacts/batch/archive', { inputs: [{ id: stay }] })).status).toBe(204);
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${stay}`)).status).toBe(200);
    // the fault was used once: the next delete is real
    expect((await hs.api('DELETE', `/crm/v3/objects/contacts/${go}`)).status).toBe(204);
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${go}`)).status).toBe(404);
  });

  it('stale-read: reads answer the previous version within the window, the new one after it', async () => {
    await hs.admin('POST', 'clock', { at: '2030-01-01T00:00:00.000Z', frozen: true });
    const seeded = await hs.admin('POST', 'seed', { objects: { contacts: [{ email: 'v1@example.com', firstname: 'One' }] } });
    const id = seeded.body.objects.contacts[0].id;
    await hs.admin('POST', 'faults', { faults: [{ kind: 'stale-read', windowMs: 5000 }] });
    expect((await hs.api('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { firstname: 'Two' } })).status).toBe(200);
    const created = await hs.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'new@example.com' } });

    expect((await hs.api('GET', `/crm/v3/objects/contacts/${id}?properties=firstname`)).body.properties.firstname).toBe('One');
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${created.body.id}`)).status).toBe(404);
    const batch = await hs.api('POST', '/crm/v3/objects/contacts/batch/read', { properties: ['firstname'], inputs: [{ id }] });
    expect(batch.body.results[0].properties.firstname).toBe('One');

    await hs.admin('POST', 'clock', { advanceMs: 5000 });
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${id}?properties=firstname`)).body.properties.firstname).toBe('Two');
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${created.body.id}`)).status).toBe(200);
  });

  it('expire-token posted alone expires every access token at once; a refresh brings a working one', async () => {
    const token = await hs.accessToken();
    expect((await hs.call('GET', '/crm/v3/objects/contacts', { token })).status).toBe(200);
    const posted = await hs.admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    expect(posted.body.accessTokensExpired).toBe(true);
    const refused = await hs.call('GET', '/crm/v3/objects/contacts', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.category).toBe('EXPIRED_AUTHENTICATION');
    const fresh = await hs.accessToken();
    expect((await hs.call('GET', '/crm/v3/objects/contacts', { token: fresh })).status).toBe(200);
  });

  it('expire-token with a path fires on the matching request (once by default)', async () => {
    const token = await hs.accessToken();
    await hs.admin('POST', 'faults', { faults: [{ kind: 'expire-token', method: 'POST', path: '/crm/v3/objects/contacts/batch/create' }] });
    expect((await hs.call('GET', '/crm/v3/objects/contacts', { token })).status).toBe(200);
    expect((await hs.call('POST', '/crm/v3/objects/contacts/batch/create', { token, body: { inputs: [] } })).status).toBe(401);
    const fresh = await hs.accessToken();
    expect((await hs.call('POST', '/crm/v3/objects/contacts/batch/create', { token: fresh, body: { inputs: [] } })).status).toBe(201);
  });

  it('clock: frozen time gives many changes one timestamp; it can be set and released', async () => {
    const at = '2031-05-06T07:08:09.000Z';
    expect((await hs.admin('POST', 'clock', { at, frozen: true })).body).toEqual({ now: at, frozen: true });
    const created = await hs.api('POST', '/crm/v3/objects/deals/batch/create', { inputs: [{ properties: { dealname: 'a' } }, { properties: { dealname: 'b' } }] });
    expect(created.body.results.map((r: any) => r.createdAt)).toEqual([at, at]);
    const updated = await hs.api('PATCH', `/crm/v3/objects/deals/${created.body.results[0].id}`, { properties: { dealname: 'a2' } });
    expect(updated.body.updatedAt).toBe(at);
    expect(updated.body.properties.hs_lastmodifieddate).toBe(at);

    const moved = await hs.admin('POST', 'clock', { advanceMs: 60_000 });
    expect(moved.body.now).toBe('2031-05-06T07:09:09.000Z');
    const running = await hs.admin('POST', 'clock', { frozen: false });
    expect(running.body.frozen).toBe(false);
    expect((await hs.admin('GET', 'clock')).body.now >= '2031-05-06T07:09:09.000Z').toBe(true);
    expect((await hs.admin('POST', 'clock', { at: 'yesterday-ish' })).status).toBe(400);
  });

  it('admin routes are never faulted, authenticated or rate limited', async () => {
    await hs.admin('POST', 'faults', { faults: [{ status: 500 }, { latencyMs: 2000 }] });
    const started = performance.now();
    expect((await hs.admin('GET', 'state')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
