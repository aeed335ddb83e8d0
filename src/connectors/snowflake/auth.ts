import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { accountUrl, type SnowflakeConfig } from './config';
import { classifyAnswer, extractCode, extractFields, SYSTEM } from './errors';

/**
 * Snowflake OAuth (a security integration of TYPE = OAUTH, OAUTH_ISSUE_REFRESH_TOKENS = TRUE):
 * { clientId, clientSecret, refreshToken }; access tokens (10 minutes) come from the account's
 * /oauth/token-request with the client's id and secret in a Basic header.
 */
export const snowflakeAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

export function snowflakeHttp(ctx: KitContextWithoutHttp<SnowflakeConfig>): HttpClient {
  const baseUrl = accountUrl(ctx.config);
  const auth = connectionRefreshTokenAuth(ctx, { system: SYSTEM, tokenUrl: `${trimBase(baseUrl)}/oauth/token-request`, clientAuthentication: 'basic' });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode, classify: classifyAnswer });
}
