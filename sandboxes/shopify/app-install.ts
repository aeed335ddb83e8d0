import { createHmac } from 'node:crypto';
import type { AppInstallOptions } from '../kit';

/**
 * Installing an app by consent, Shopify's authorization code grant
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant):
 * GET https://{shop}/admin/oauth/authorize?client_id&scope&redirect_uri&state; the redirect carries
 * code, hmac, host, shop, state and timestamp, hmac being the hex HMAC-SHA256, keyed by the app's
 * client secret, of the other parameters sorted by name as name=value joined by '&'. POST
 * /admin/oauth/access_token { client_id, client_secret, code } answers an offline token
 * { access_token, scope }; no PKCE, and no redirect_uri at the token endpoint.
 */
export function appInstall(clientId: string, clientSecret: string): AppInstallOptions {
  return {
    clientId,
    clientSecret,
    tokenPath: '/admin/oauth/access_token',
    tokenPrefix: 'shpat_',
    authorizationCode: {
      authorizePath: '/admin/oauth/authorize',
      providerName: 'Shopify',
      pkce: false,
      tokenChecksRedirectUri: false,
      redirectParams: (ctx, sent) => {
        const shop = new URL(ctx.baseUrl).host;
        const added = {
          shop,
          host: Buffer.from(`admin.shopify.com/store/${shop.split('.')[0]}`).toString('base64url'),
          timestamp: String(Math.floor(ctx.clock.nowMs() / 1000)),
        };
        const message = Object.entries({ ...sent, ...added }).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
        return { ...added, hmac: createHmac('sha256', clientSecret).update(message).digest('hex') };
      },
      errors: {
        badCode: () => invalidRequest('The authorization code was not found or was already used'),
        badRedirectUri: () => invalidRequest('The authorization code was not found or was already used'),
        badCodeVerifier: () => invalidRequest('The authorization code was not found or was already used'),
      },
    },
    tokenResponse: (token, scope) => ({ status: 200, body: { access_token: token, scope } }),
    badClient: () => ({ status: 400, body: { error: 'invalid_client', error_description: 'Client credentials are invalid' } }),
  };
}

function invalidRequest(description: string) {
  return { status: 400, body: { error: 'invalid_request', error_description: description } };
}
