import { startFreshbooksSandbox } from '../../sandboxes/freshbooks';
import { startGoogleSheetsSandbox } from '../../sandboxes/google-sheets';
import { startQuickbooksSandbox, QUICKBOOKS_SANDBOX_REALM } from '../../sandboxes/quickbooks';
import type { RunningSandbox } from '../../sandboxes/kit';
import { startShopifySandbox } from '../../sandboxes/shopify';
import { startSlackSandbox } from '../../sandboxes/slack';
import { SANDBOX_TENANT_ID, startTeamsSandbox } from '../../sandboxes/teams';
import { startWorkdaySandbox } from '../../sandboxes/workday';
import { answerConsent, openCallback } from '../helpers/consent-page';
import { startGateway, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';

// Connect flows whose providers add a quirk: Intuit names the company (realmId) in the callback and
// rotates refresh tokens; Shopify signs the callback (hmac) and names the shop, and answers an
// offline access token instead of a refresh token.
jest.setTimeout(120_000);

const SLACK_APP = { clientId: '1000000001.4242424242', clientSecret: 'slack-connect-test-secret-0123456789' };
const SHOPIFY_APP = { clientId: 'sbx-shopify-app-connect', clientSecret: 'shpss_connect-test-secret-0123456789' };

describe('connect flows with provider quirks', () => {
  let gw: TestGateway;
  let quickbooks: RunningSandbox;
  let shopify: RunningSandbox;
  let google: RunningSandbox;
  let freshbooks: RunningSandbox;
  let slack: RunningSandbox;
  let teams: RunningSandbox;
  let workday: RunningSandbox;
  let tenant: { id: string; apiKey: string };

  beforeAll(async () => {
    quickbooks = await startQuickbooksSandbox();
    shopify = await startShopifySandbox({ appClientId: SHOPIFY_APP.clientId, appClientSecret: SHOPIFY_APP.clientSecret });
    google = await startGoogleSheetsSandbox();
    freshbooks = await startFreshbooksSandbox();
    teams = await startTeamsSandbox();
    workday = await startWorkdaySandbox();
    slack = await startSlackSandbox({ appClientId: SLACK_APP.clientId, appClientSecret: SLACK_APP.clientSecret });
    const client = (s: RunningSandbox) => {
      const { clientId, clientSecret } = s.credentials().credentials as { clientId: string; clientSecret: string };
      return { clientId, clientSecret };
    };
    gw = await startGateway({
      oauthClients: { quickbooks: client(quickbooks), shopify: SHOPIFY_APP, 'google-sheets': client(google), freshbooks: client(freshbooks), slack: SLACK_APP, teams: client(teams), workday: client(workday) },
    });
    tenant = await gw.createTenant();
  });
  afterAll(async () => {
    await gw?.close();
    await quickbooks?.stop();
    await shopify?.stop();
    await google?.stop();
    await freshbooks?.stop();
    await slack?.stop();
    await teams?.stop();
    await workday?.stop();
  });

  async function connect(connector: string, config: Record<string, unknown>, tamper?: (callback: URL) => void) {
    const res = await gw.call('POST', '/v1/connect/sessions', { key: tenant.apiKey, body: { connector, name: uniqueName(connector), config } });
    expect(res.status).toBe(201);
    const location = await answerConsent(res.body.authorizationUrl, 'allow');
    tamper?.(location);
    const page = await openCallback(location);
    const session = (await gw.call('GET', `/v1/connect/sessions/${res.body.id}`, { key: tenant.apiKey })).body;
    return { authorizationUrl: new URL(res.body.authorizationUrl), location, page, session };
  }
  const test = async (id: string) => (await gw.call('POST', `/v1/connections/${id}/test`, { key: tenant.apiKey })).body;

  it('QuickBooks: starts without a realmId, keeps the one Intuit sends back, and survives rotating refresh tokens', async () => {
    const { realmId, ...sessionConfig } = quickbooks.credentials().config;
    expect(realmId).toBe(QUICKBOOKS_SANDBOX_REALM);
    const done = await connect('quickbooks', sessionConfig);
    expect(done.authorizationUrl.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
    expect(done.location.searchParams.get('realmId')).toBe(QUICKBOOKS_SANDBOX_REALM);
    expect(done.page.status).toBe(200);
    expect(done.session.status).toBe('connected');
    const connection = (await gw.call('GET', `/v1/connections/${done.session.connectionId}`, { key: tenant.apiKey })).body;
    expect(connection.config).toMatchObject({ realmId: QUICKBOOKS_SANDBOX_REALM });
    // Each check refreshes (Intuit rotates the refresh token): the second works only if the first saved the new one.
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
    quickbooks.auth.expireAccessTokens();
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
  });

  it('QuickBooks: a callback without realmId fails and creates nothing', async () => {
    const { realmId: _realm, ...sessionConfig } = quickbooks.credentials().config;
    const done = await connect('quickbooks', sessionConfig, (callback) => callback.searchParams.delete('realmId'));
    expect(done.page.status).toBe(400);
    expect(done.session).toMatchObject({ status: 'failed', error: expect.stringContaining('realmId') });
    expect(done.session.connectionId).toBeUndefined();
  });

  it('Shopify: installs the app on the shop by consent; the offline token is the connection\'s access token', async () => {
    const done = await connect('shopify', shopify.credentials().config);
    expect(done.authorizationUrl.pathname).toBe('/admin/oauth/authorize');
    expect(done.authorizationUrl.searchParams.get('scope')).toBe('read_products,write_products,read_customers,write_customers');
    expect(done.location.searchParams.get('hmac')).toMatch(/^[0-9a-f]{64}$/);
    expect(done.page.status).toBe(200);
    expect(done.session.status).toBe('connected');
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
  });

  it.each([
    ['a tampered parameter', (callback: URL) => callback.searchParams.set('timestamp', '1')],
    ['a missing hmac', (callback: URL) => callback.searchParams.delete('hmac')],
  ])('Shopify: a callback with %s is refused before the code is used', async (_case, tamper) => {
    let code = '';
    const done = await connect('shopify', shopify.credentials().config, (callback) => {
      code = callback.searchParams.get('code')!;
      tamper(callback);
    });
    expect(done.page.status).toBe(400);
    expect(done.session).toMatchObject({ status: 'failed', error: expect.stringContaining('hmac') });
    // The code was never spent: the app could still redeem it (nothing was sent to Shopify).
    const redeem = await fetch(`${shopify.url}/admin/oauth/access_token`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: SHOPIFY_APP.clientId, client_secret: SHOPIFY_APP.clientSecret, code }),
    });
    expect(redeem.status).toBe(200);
  });

  it('Shopify: a correctly signed callback naming another shop is refused', async () => {
    const otherShop = await startShopifySandbox({ appClientId: SHOPIFY_APP.clientId, appClientSecret: SHOPIFY_APP.clientSecret });
    try {
      const res = await gw.call('POST', '/v1/connect/sessions', { key: tenant.apiKey, body: { connector: 'shopify', name: uniqueName('shopify'), config: shopify.credentials().config } });
      // The consent happens on the other shop, which signs its own name with the same app secret.
      const elsewhere = new URL(res.body.authorizationUrl);
      const onOther = new URL(`${elsewhere.pathname}${elsewhere.search}`, otherShop.url);
      const page = await openCallback(await answerConsent(onOther.toString(), 'allow'));
      expect(page.status).toBe(400);
      expect((await gw.call('GET', `/v1/connect/sessions/${res.body.id}`, { key: tenant.apiKey })).body)
        .toMatchObject({ status: 'failed', error: expect.stringContaining('names the shop') });
    } finally {
      await otherShop.stop();
    }
  });

  it('Google Sheets: PKCE, and access_type=offline with prompt=consent, without which Google answers no refresh token', async () => {
    const done = await connect('google-sheets', google.credentials().config);
    expect(Object.fromEntries(done.authorizationUrl.searchParams)).toMatchObject({
      access_type: 'offline', prompt: 'consent', code_challenge_method: 'S256',
      scope: 'https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive.metadata.readonly',
    });
    expect(done.page.status).toBe(200);
    expect(await test(done.session.connectionId)).toEqual({ ok: true });

    // The same consent without access_type=offline: Google's answer has no refresh token, and the session says why.
    const res = await gw.call('POST', '/v1/connect/sessions', { key: tenant.apiKey, body: { connector: 'google-sheets', name: uniqueName('gs'), config: google.credentials().config } });
    const online = new URL(res.body.authorizationUrl);
    online.searchParams.delete('access_type');
    const page = await openCallback(await answerConsent(online.toString(), 'allow'));
    expect(page.status).toBe(400);
    expect((await gw.call('GET', `/v1/connect/sessions/${res.body.id}`, { key: tenant.apiKey })).body)
      .toMatchObject({ status: 'failed', error: expect.stringContaining('no refresh token') });
  });

  it("Workday: consents at the API client's Authorization Endpoint (asked for: it is on a host of its own), sends no scope, and survives rotating refresh tokens", async () => {
    const { authorizeUrl, ...withoutEndpoint } = workday.credentials().config;
    const refused = await gw.call('POST', '/v1/connect/sessions', { key: tenant.apiKey, body: { connector: 'workday', name: uniqueName('workday'), config: withoutEndpoint } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('authorizeUrl');
    const done = await connect('workday', { ...withoutEndpoint, authorizeUrl });
    expect(`${done.authorizationUrl.origin}${done.authorizationUrl.pathname}`).toBe(authorizeUrl);
    expect(done.authorizationUrl.searchParams.has('scope')).toBe(false);
    expect(done.page.status).toBe(200);
    expect(done.session.status).toBe('connected');
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
    workday.auth.expireAccessTokens();
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
  });

  it('FreshBooks: keeps the redirect URI its refresh grants repeat, and survives single-use refresh tokens', async () => {
    const done = await connect('freshbooks', freshbooks.credentials().config);
    expect(done.authorizationUrl.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['user:profile:read', 'user:clients:write', 'user:invoices:write']));
    expect(done.page.status).toBe(200);
    const connection = (await gw.call('GET', `/v1/connections/${done.session.connectionId}`, { key: tenant.apiKey })).body;
    expect(connection.config.redirectUri).toBe(`${gw.url}/v1/connect/callback`);
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
    freshbooks.auth.expireAccessTokens();
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
  });

  it("Slack: installs the app; oauth.v2.access's bot token is the connection's, and its ok:false refusals are named", async () => {
    const done = await connect('slack', slack.credentials().config);
    expect(done.authorizationUrl.pathname).toBe('/oauth/v2/authorize');
    expect(done.authorizationUrl.searchParams.get('scope')).toBe('channels:history,groups:history,chat:write');
    expect(done.page.status).toBe(200);
    expect(await test(done.session.connectionId)).toEqual({ ok: true });

    const wrong = await gw.call('POST', '/v1/connect/sessions', {
      key: tenant.apiKey, body: { connector: 'slack', name: uniqueName('slack'), config: slack.credentials().config, client: { ...SLACK_APP, clientSecret: 'not-the-app-secret' } },
    });
    const page = await openCallback(await answerConsent(wrong.body.authorizationUrl, 'allow'));
    expect(page.status).toBe(400);
    expect((await gw.call('GET', `/v1/connect/sessions/${wrong.body.id}`, { key: tenant.apiKey })).body)
      .toMatchObject({ status: 'failed', error: expect.stringContaining('bad_client_secret') });
  });

  it.each([['organizations'], [SANDBOX_TENANT_ID]])('Microsoft Teams: delegated consent with PKCE in the %s directory; refreshes go to the same one', async (consentTenant) => {
    const done = await connect('teams', { ...teams.credentials().config, consentTenant });
    expect(done.authorizationUrl.pathname).toBe(`/${consentTenant}/oauth2/v2.0/authorize`);
    expect(done.authorizationUrl.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['offline_access', 'https://graph.microsoft.com/ChannelMessage.Send']));
    expect(done.authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(done.page.status).toBe(200);
    teams.auth.expireAccessTokens();
    teams.requests.clear();
    expect(await test(done.session.connectionId)).toEqual({ ok: true });
    expect(teams.requests.list().filter((r) => r.path.endsWith('/oauth2/v2.0/token')).map((r) => r.path)).toEqual([`/${consentTenant}/oauth2/v2.0/token`]);
  });
});
