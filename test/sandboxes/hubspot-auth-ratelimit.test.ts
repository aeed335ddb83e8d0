import { startHubspot, tokenRequest, type HubspotHarness } from './hubspot-client';

describe('HubSpot sandbox: OAuth 2.0', () => {
  let hs: HubspotHarness;
  afterEach(async () => {
    await hs.stop();
  });

  it('refuses a call without a token with HubSpot\'s 401 body', async () => {
    hs = await startHubspot();
    const res = await hs.call('GET', '/crm/v3/objects/contacts', { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(res.body.message).toMatch(/^Authentication credentials not found/);
    expect(typeof res.body.correlationId).toBe('string');
    expect((await hs.call('GET', '/crm/v3/objects/contacts', { token: 'made-up' })).status).toBe(401);
  });

  it('issues bearer tokens that expire after their ttl on the sandbox clock; a refresh gives a new one', async () => {
    hs = await startHubspot({ accessTokenTtlSeconds: 60 });
    await hs.admin('POST', 'clock', { at: '2030-01-01T00:00:00Z', frozen: true });
    const { credentials } = (await hs.admin('GET', 'credentials')).body;
    const issued = await tokenRequest(hs.url, { grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'bearer', expires_in: 60, refresh_token: credentials.refreshToken });
    const token = issued.body.access_token as string;
    expect((await hs.call('GET', '/crm/v3/objects/contacts', { token })).status).toBe(200);

    await hs.admin('POST', 'clock', { advanceMs: 60_000 });
    const expired = await hs.call('GET', '/crm/v3/objects/contacts', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');

    const again = await tokenRequest(hs.url, { grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken });
    expect((await hs.call('GET', '/crm/v3/objects/contacts', { token: again.body.access_token })).status).toBe(200);
  });

  it('answers bad refresh tokens, client ids, secrets and grant types with HubSpot\'s 400 bodies', async () => {
    hs = await startHubspot({ clientId: 'cid', clientSecret: 'secret', refreshToken: 'rt-1' });
    const good = { grant_type: 'refresh_token', client_id: 'cid', client_secret: 'secret', refresh_token: 'rt-1' };
    const badToken = await tokenRequest(hs.url, { ...good, refresh_token: 'nope' });
    expect(badToken.status).toBe(400);
    expect(badToken.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' });
    expect((await tokenRequest(hs.url, { ...good, client_id: 'x' })).body.status).toBe('BAD_CLIENT_ID');
    expect((await tokenRequest(hs.url, { ...good, client_secret: 'x' })).body.status).toBe('BAD_CLIENT_SECRET');
    expect((await tokenRequest(hs.url, { ...good, grant_type: 'password' })).body.status).toBe('BAD_GRANT_TYPE');
    expect((await tokenRequest(hs.url, good)).status).toBe(200);
  });

  it('rotates refresh tokens when asked: the used one stops working, credentials show the new one', async () => {
    hs = await startHubspot({ rotateRefreshTokens: true });
    const { credentials } = (await hs.admin('GET', 'credentials')).body;
    const fields = { grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret };
    const first = await tokenRequest(hs.url, { ...fields, refresh_token: credentials.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(credentials.refreshToken);
    expect((await tokenRequest(hs.url, { ...fields, refresh_token: credentials.refreshToken })).body.status).toBe('BAD_REFRESH_TOKEN');
    expect((await hs.admin('GET', 'credentials')).body.credentials.refreshToken).toBe(first.body.refresh_token);
    expect((await tokenRequest(hs.url, { ...fields, refresh_token: first.body.refresh_token })).status).toBe(200);
  });
});

describe('HubSpot sandbox: rate limit', () => {
  let hs: HubspotHarness;
  afterEach(async () => {
    await hs.stop();
  });

  it('enforces 190 requests per 10 s with HubSpot\'s 429 body, headers and Retry-After', async () => {
    hs = await startHubspot({ enforceRateLimit: true });
    const token = await hs.accessToken();
    const statuses: number[] = [];
    let last: Awaited<ReturnType<HubspotHarness['call']>> | undefined;
    for (let i = 0; i < 190; i += 1) {
      last = await hs.call('GET', '/crm/v3/objects/contacts?limit=1', { token });
      statuses.push(last.status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(last?.headers.get('x-hubspot-ratelimit-max')).toBe('190');
    expect(last?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');

    const limited = await hs.call('GET', '/crm/v3/objects/contacts', { token });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(typeof limited.body.correlationId).toBe('string');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    // the token endpoint and the admin API are outside the limit
    expect((await hs.admin('GET', 'state')).status).toBe(200);
    expect(typeof (await hs.accessToken())).toBe('string');
  });

  it('lets requests through again once the window slides (small window for the test)', async () => {
    hs = await startHubspot({ enforceRateLimit: true, rateLimit: { limit: 2, windowMs: 1500 } }); // wide enough that a loaded machine sends three requests inside it
    const token = await hs.accessToken();
    expect((await hs.call('GET', '/crm/v3/objects/deals', { token })).status).toBe(200);
    expect((await hs.call('GET', '/crm/v3/objects/deals', { token })).status).toBe(200);
    expect((await hs.call('GET', '/crm/v3/objects/deals', { token })).status).toBe(429);
    let status = 429;
    const deadline = Date.now() + 10_000;
    while (status === 429 && Date.now() < deadline) status = (await hs.call('GET', '/crm/v3/objects/deals', { token })).status;
    expect(status).toBe(200);
  });

  it('counts but never refuses when enforcement is off', async () => {
    hs = await startHubspot({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const token = await hs.accessToken();
    expect((await hs.call('GET', '/crm/v3/objects/deals', { token })).status).toBe(200);
    const second = await hs.call('GET', '/crm/v3/objects/deals', { token });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
  });
});
