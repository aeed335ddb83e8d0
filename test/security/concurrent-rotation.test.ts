import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { oauth2RefreshTokenAuth, SingleFlightCache, type AccessToken } from '../../src/platform/auth';
import { readMasterKey } from '../../src/platform/credentials/master-key';
import { PostgresCredentialStore } from '../../src/platform/credentials/postgres';
import { withScrubber } from '../../src/platform/credentials/redact';
import { createPool } from '../../src/platform/db/pool';
import { loopbackServers, sendJson } from '../helpers/loopback-server';
import { testStack, uniqueName } from '../helpers/stack';

const stack = testStack();
const serve = loopbackServers();

// Two workers refresh the same connection at once against a provider whose refresh tokens are
// single use. The provider honours the first and answers the second invalid_grant; the second
// must pick up the successor the first saved rather than declare the connection dead.
describe('two workers refreshing one connection with single-use refresh tokens', () => {
  let pool: Pool;
  let store: PostgresCredentialStore;

  beforeAll(() => {
    pool = createPool(stack.databaseUrl, 4);
    store = new PostgresCredentialStore({ pool, masterKey: readMasterKey(stack.masterKeyFile) });
  });
  afterAll(async () => { await pool.end(); });

  it('keeps the connection authorised: the loser of the race uses the winner’s rotated token', async () => {
    const tenantId = uniqueName('tn');
    const connectionId = uniqueName('cn');
    let valid = `refresh-1-${crypto.randomBytes(8).toString('hex')}`;
    await store.put(tenantId, connectionId, { clientId: 'client', clientSecret: 'client-secret-race', refreshToken: valid });

    let rejected = 0;
    let loserAnswered!: () => void;
    const loserHasBeenAnswered = new Promise<void>((resolve) => { loserAnswered = resolve; });
    let firstGrant = true;
    const provider = await serve(async (req, res) => {
      const presented = new URLSearchParams(req.body).get('refresh_token');
      if (presented !== valid) {
        rejected += 1;
        sendJson(res, 400, { error: 'invalid_grant', error_description: 'refresh token already used' });
        loserAnswered();
        return;
      }
      valid = `refresh-${crypto.randomBytes(8).toString('hex')}`;
      // The winner's answer (and so its save) comes only after the loser has been refused.
      if (firstGrant) {
        firstGrant = false;
        await loserHasBeenAnswered;
      }
      sendJson(res, 200, { access_token: `access-${crypto.randomBytes(8).toString('hex')}`, refresh_token: valid, expires_in: 3600 });
    });

    const worker = (graceMs?: number) => () => withScrubber(() => oauth2RefreshTokenAuth({
      system: 'rotating', tokenUrl: `${provider.url}/token`, connection: { tenantId, connectionId },
      cache: new SingleFlightCache<AccessToken>(), rotationGraceMs: graceMs, rotationPollMs: 20,
      credentials: async () => (await store.get(tenantId, connectionId))!,
      saveCredentials: (updated) => store.put(tenantId, connectionId, updated),
    }).token());

    const [a, b] = await Promise.all([worker()(), worker()()]);
    expect(rejected).toBe(1);
    expect(a.accessToken).not.toBe(b.accessToken);
    expect((await store.get(tenantId, connectionId))?.refreshToken).toBe(valid);
    // A later refresh from the store works: no token was lost.
    const later = await worker()();
    expect(later.refreshToken).toBe(valid);
    expect((await store.get(tenantId, connectionId))?.refreshToken).toBe(valid);
  });

  it('still says re-authorise when nobody rotated the token (a revoked grant)', async () => {
    const tenantId = uniqueName('tn');
    const connectionId = uniqueName('cn');
    await store.put(tenantId, connectionId, { clientId: 'client', clientSecret: 'client-secret-race', refreshToken: 'revoked-token' });
    const provider = await serve((_req, res) => sendJson(res, 400, { error: 'invalid_grant' }));
    const refresh = () => withScrubber(() => oauth2RefreshTokenAuth({
      system: 'rotating', tokenUrl: `${provider.url}/token`, connection: { tenantId, connectionId },
      cache: new SingleFlightCache<AccessToken>(), rotationGraceMs: 100, rotationPollMs: 20,
      credentials: async () => (await store.get(tenantId, connectionId))!,
      saveCredentials: (updated) => store.put(tenantId, connectionId, updated),
    }).token());
    await expect(refresh()).rejects.toMatchObject({ kind: 'permanent', code: 'invalid_grant' });
  });
});
