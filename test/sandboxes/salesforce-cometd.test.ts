import { startSalesforceSandbox } from '../../sandboxes/salesforce';
import type { RunningSandbox } from '../../sandboxes/kit';

/** The sandbox's Streaming API endpoint as a raw Bayeux client sees it (sandboxes/salesforce/README.md). */
describe('Salesforce sandbox: Streaming API (CometD)', () => {
  let sandbox: RunningSandbox;
  let token: string;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox();
    const { credentials } = sandbox.credentials() as { credentials: Record<string, string> };
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }).toString() });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterEach(async () => { await sandbox.stop(); });

  async function bayeux(messages: unknown[], options: { cookie?: string; auth?: string | null; version?: string } = {}): Promise<{ status: number; body: any[]; cookie?: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.auth !== null) headers.authorization = `Bearer ${options.auth ?? token}`;
    if (options.cookie) headers.cookie = options.cookie;
    const res = await fetch(`${sandbox.url}/cometd/${options.version ?? '62.0'}`, { method: 'POST', headers, body: JSON.stringify(messages) });
    return { status: res.status, body: (await res.json()) as any[], cookie: res.headers.get('set-cookie')?.split(';')[0] };
  }
  async function handshake(): Promise<{ clientId: string; cookie: string }> {
    const res = await bayeux([{ channel: '/meta/handshake', id: '1', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    expect(res.body[0]).toMatchObject({ channel: '/meta/handshake', successful: true, supportedConnectionTypes: ['long-polling'], advice: { reconnect: 'retry', timeout: 110000 } });
    return { clientId: res.body[0].clientId, cookie: res.cookie! };
  }
  const createAccount = (name: string) => fetch(`${sandbox.url}/services/data/v62.0/composite/sobjects`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ records: [{ attributes: { type: 'Account' }, Name: name }] }),
  });

  it('denies a handshake without a valid session (HTTP 401, 403::Handshake denied) and a connect with 401::Authentication invalid', async () => {
    const denied = await bayeux([{ channel: '/meta/handshake', id: '1', supportedConnectionTypes: ['long-polling'] }], { auth: 'not-a-session' });
    expect(denied).toMatchObject({ status: 401, body: [{ channel: '/meta/handshake', successful: false, error: '403::Handshake denied', advice: { reconnect: 'none' } }] });
    const missing = await bayeux([{ channel: '/meta/connect', id: '2', clientId: 'x' }], { auth: null });
    expect(missing.body[0]).toMatchObject({ successful: false, error: '401::Request requires authentication' });
    const { clientId, cookie } = await handshake();
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [{ kind: 'expire-token' }] }) });
    const expired = await bayeux([{ channel: '/meta/connect', id: '3', clientId, connectionType: 'long-polling' }], { cookie });
    expect(expired).toMatchObject({ status: 401, body: [{ channel: '/meta/connect', successful: false, error: '401::Authentication invalid' }] });
  });

  it('wants long polling, the session cookie, a known client and an API version from 23.0', async () => {
    const websocket = await bayeux([{ channel: '/meta/handshake', id: '1', supportedConnectionTypes: ['websocket'] }]);
    expect(websocket.body[0]).toMatchObject({ successful: false, error: '400::Invalid connection type websocket' });
    const old = await bayeux([{ channel: '/meta/handshake', id: '1', supportedConnectionTypes: ['long-polling'] }], { version: '22.0' });
    expect(old.status).toBe(400);
    expect(old.body[0].error).toMatch(/^400::Unsupported API version/);
    const { clientId, cookie } = await handshake();
    const noCookie = await bayeux([{ channel: '/meta/subscribe', id: '2', clientId, subscription: '/data/AccountChangeEvent' }]);
    expect(noCookie.body[0].error).toBe(`400::Client ${clientId} has established a session, but no BAYEUX_BROWSER cookie present`);
    const unknown = await bayeux([{ channel: '/meta/connect', id: '3', clientId: 'nobody', connectionType: 'long-polling' }], { cookie });
    expect(unknown.body[0]).toMatchObject({ successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake' } });
    await bayeux([{ channel: '/meta/disconnect', id: '4', clientId }], { cookie });
    const gone = await bayeux([{ channel: '/meta/connect', id: '5', clientId, connectionType: 'long-polling' }], { cookie });
    expect(gone.body[0].error).toBe('403::Unknown client');
  });

  it('replays from -1 only new events, holds a connect until one is published, and answers at the timeout with none', async () => {
    await createAccount('Before');
    const { clientId, cookie } = await handshake();
    const subscribed = await bayeux([{ channel: '/meta/subscribe', id: '2', clientId, subscription: '/data/AccountChangeEvent', ext: { replay: { '/data/AccountChangeEvent': -1 } } }], { cookie });
    expect(subscribed.body[0]).toMatchObject({ successful: true, subscription: '/data/AccountChangeEvent' });

    let started = Date.now();
    const empty = await bayeux([{ channel: '/meta/connect', id: '3', clientId, connectionType: 'long-polling', advice: { timeout: 400 } }], { cookie });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(empty.body).toEqual([expect.objectContaining({ channel: '/meta/connect', successful: true })]);

    started = Date.now();
    const holding = bayeux([{ channel: '/meta/connect', id: '4', clientId, connectionType: 'long-polling', advice: { timeout: 10_000 } }], { cookie });
    setTimeout(() => { void createAccount('During'); }, 300);
    const answered = await holding;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answered.body.map((m) => m.channel)).toEqual(['/data/AccountChangeEvent', '/meta/connect']);
    expect(answered.body[0].data).toMatchObject({ event: { replayId: 2 }, payload: { Name: 'During', ChangeEventHeader: { changeType: 'CREATE', entityName: 'Account' } } });
  });
});
