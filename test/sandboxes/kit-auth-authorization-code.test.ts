import { createHash } from 'node:crypto';
import { startHubspotSandbox } from '../../sandboxes/hubspot';
import type { RunningSandbox } from '../../sandboxes/kit';
import { startSalesforceSandbox } from '../../sandboxes/salesforce';
import { answerConsent } from '../helpers/consent-page';

// The sandboxes' authorization-code grant (sandboxes/kit/auth/authorization-code.ts), driven as a
// browser and an OAuth client would: consent page, redirect, token endpoint.
const REDIRECT = 'http://127.0.0.1:9/v1/connect/callback';
const VERIFIER = 'v'.repeat(20) + 'erifier-0123456789-abcdefghij';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

function authorizeUrl(sandbox: RunningSandbox, path: string, params: Record<string, string>): string {
  const url = new URL(path, sandbox.url);
  for (const [k, v] of Object.entries({ response_type: 'code', redirect_uri: REDIRECT, state: 'st-1', ...params })) url.searchParams.set(k, v);
  return url.toString();
}

async function token(sandbox: RunningSandbox, path: string, form: Record<string, string>) {
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

describe('sandbox authorization-code grant', () => {
  describe('Salesforce (web server flow with PKCE)', () => {
    let sf: RunningSandbox;
    let client: { clientId: string; clientSecret: string };
    beforeAll(async () => {
      sf = await startSalesforceSandbox({ clientId: 'sf-client', clientSecret: 'sf-secret-value' });
      client = { clientId: 'sf-client', clientSecret: 'sf-secret-value' };
    });
    afterAll(() => sf.stop());

    const consent = (params: Record<string, string> = {}) =>
      answerConsent(authorizeUrl(sf, '/services/oauth2/authorize', { client_id: client.clientId, scope: 'api refresh_token', code_challenge: CHALLENGE, code_challenge_method: 'S256', ...params }), 'allow');
    const exchange = (code: string, extra: Record<string, string> = {}) => token(sf, '/services/oauth2/token', {
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: client.clientId, client_secret: client.clientSecret, ...extra,
    });

    it('shows an error page, never a redirect, for an unknown client_id', async () => {
      const res = await fetch(authorizeUrl(sf, '/services/oauth2/authorize', { client_id: 'someone-else' }), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('client_id');
    });

    it('redirects with code and state on Allow; the code, with its verifier, gives a refresh token, instance_url and id', async () => {
      const location = await consent();
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('state')).toBe('st-1');
      const answer = await exchange(location.searchParams.get('code')!, { code_verifier: VERIFIER });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), instance_url: sf.url, id: expect.stringContaining(`${sf.url}/id/`), token_type: 'Bearer', scope: 'api refresh_token' });
      const refreshed = await token(sf, '/services/oauth2/token', { grant_type: 'refresh_token', refresh_token: answer.body.refresh_token as string, ...{ client_id: client.clientId, client_secret: client.clientSecret } });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toBeUndefined();
    });

    it('refuses a wrong verifier (invalid_request) and a missing one (invalid_grant); a code works once', async () => {
      const wrong = await consent();
      const code = wrong.searchParams.get('code')!;
      expect(await exchange(code, { code_verifier: `${VERIFIER}x` })).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'invalid code verifier' } });
      expect(await exchange(code, { code_verifier: VERIFIER })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });
      const missing = await consent();
      expect((await exchange(missing.searchParams.get('code')!)).body).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });
    });

    it('refuses a redirect_uri that differs from the authorization request', async () => {
      const location = await consent();
      expect(await exchange(location.searchParams.get('code')!, { code_verifier: VERIFIER, redirect_uri: 'http://127.0.0.1:9/elsewhere' }))
        .toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri must match configuration' } });
    });

    it('expires codes after 10 minutes on the sandbox clock', async () => {
      const location = await consent();
      sf.clock.advance(600_000);
      expect((await exchange(location.searchParams.get('code')!, { code_verifier: VERIFIER })).body.error).toBe('invalid_grant');
    });

    it('refuses the plain PKCE method and answers Deny with access_denied', async () => {
      const plain = await fetch(authorizeUrl(sf, '/services/oauth2/authorize', { client_id: client.clientId, code_challenge: VERIFIER, code_challenge_method: 'plain' }), { redirect: 'manual' });
      expect(plain.status).toBe(302);
      expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
      const denied = await answerConsent(authorizeUrl(sf, '/services/oauth2/authorize', { client_id: client.clientId }), 'deny');
      expect(Object.fromEntries(denied.searchParams)).toMatchObject({ error: 'access_denied', state: 'st-1' });
      expect(denied.searchParams.has('code')).toBe(false);
    });
  });

  describe('HubSpot (no PKCE)', () => {
    let hs: RunningSandbox;
    beforeAll(async () => {
      hs = await startHubspotSandbox({ clientId: 'hs-client', clientSecret: 'hs-secret-value' });
    });
    afterAll(() => hs.stop());

    it('exchanges a code at /oauth/v1/token once, answering as HubSpot does', async () => {
      const location = await answerConsent(authorizeUrl(hs, '/oauth/authorize', { client_id: 'hs-client', scope: 'oauth crm.objects.contacts.read' }), 'allow');
      const form = { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: REDIRECT, client_id: 'hs-client', client_secret: 'hs-secret-value' };
      const answer = await token(hs, '/oauth/v1/token', form);
      expect(answer).toEqual({ status: 200, body: { token_type: 'bearer', refresh_token: expect.any(String), access_token: expect.any(String), expires_in: 1800 } });
      const again = await token(hs, '/oauth/v1/token', form);
      expect(again).toEqual({ status: 400, body: { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code', correlationId: expect.any(String) } });
      const wrongSecret = await token(hs, '/oauth/v1/token', { ...form, client_secret: 'nope-nope' });
      expect(wrongSecret.body.status).toBe('BAD_CLIENT_SECRET');
    });
  });
});
