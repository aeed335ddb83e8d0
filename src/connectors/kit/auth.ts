import { oauth2RefreshTokenAuth, type OAuth2RefreshTokenOptions, type OAuth2RefreshTokenPlugin } from '../../platform/auth';
import type { ConnectorContext } from '../contract';

/**
 * The OAuth 2.0 refresh-token plug-in bound to a connection: credentials read from the store at
 * each refresh, a rotated refresh token saved back before the new access token is used. Systems
 * that want the client's id and secret in a Basic header (Intuit) pass clientAuthentication: 'basic'.
 */
export function connectionRefreshTokenAuth(ctx: Pick<ConnectorContext, 'tenantId' | 'connectionId' | 'credentials' | 'saveCredentials'>,
  options: Pick<OAuth2RefreshTokenOptions, 'system' | 'tokenUrl' | 'extraParams' | 'clientAuthentication'>): OAuth2RefreshTokenPlugin {
  return oauth2RefreshTokenAuth({
    ...options,
    connection: { tenantId: ctx.tenantId, connectionId: ctx.connectionId },
    credentials: ctx.credentials,
    saveCredentials: ctx.saveCredentials,
  });
}

/** A base URL without trailing slashes, for joining paths. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
