import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConnectorError } from '../../platform/errors';
import type { AuthorizationCodeSpec } from '../contract';
import { trimBase } from '../kit';
import { SYSTEM, type ShopifyConfig } from './auth';

/**
 * Installing the app on the shop by consent (docs/connect/shopify.md), Shopify's authorization code
 * grant: {shop}/admin/oauth/authorize with comma-separated scopes, no PKCE; the callback is signed
 * (hmac) with the app's client secret and names the shop, both checked before the code is used;
 * {shop}/admin/oauth/access_token answers an offline access token, the connection's { apiKey }.
 */
export const shopifyAuthorization: AuthorizationCodeSpec<ShopifyConfig> = {
  authorizeUrl: (config) => `${trimBase(config.baseUrl)}/admin/oauth/authorize`,
  tokenUrl: (config) => `${trimBase(config.baseUrl)}/admin/oauth/access_token`,
  scopes: ['read_products', 'write_products', 'read_customers', 'write_customers'],
  scopeSeparator: ',',
  pkce: false,
  callbackParams: ['shop'],
  verifyCallback: (query, client, config) => {
    if (!signedBy(query, client.clientSecret)) return 'its hmac is missing or was not made with the app\'s client secret';
    if (query.get('shop') !== new URL(config.baseUrl).host) return `it names the shop ${query.get('shop') ?? '(none)'}, not ${new URL(config.baseUrl).host}`;
    return null;
  },
  connection: (granted) => {
    const token = granted.body.access_token;
    if (typeof token !== 'string' || token === '') throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: 'shopify answered no access_token' });
    return { credentials: { apiKey: token }, config: granted.config };
  },
};

/**
 * Shopify's callback signature: hex HMAC-SHA256 (client secret) of every other query parameter,
 * sorted by name, as name=value joined by '&'.
 */
export function signedBy(query: URLSearchParams, clientSecret: string): boolean {
  const given = query.get('hmac');
  if (!given || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const message = [...query.entries()].filter(([name]) => name !== 'hmac')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => `${name}=${value}`).join('&');
  const expected = createHmac('sha256', clientSecret).update(message).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
