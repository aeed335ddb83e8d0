/** Auth plug-ins for the connectors' HTTP client, one module per scheme (DESIGN.md "Credentials"). */
export type { AuthPlugin, OutgoingRequest } from '../http';
export { connectionKey, readCredentials, type ConnectionRef, type CredentialsSource } from './credentials';
export { SingleFlightCache, type Expiring } from './single-flight-cache';
export { noAuth } from './none';
export { apiKeyAuth, apiKeyCredentialsSchema, type ApiKeyCredentials, type ApiKeyOptions, type ApiKeyPlacement } from './api-key';
export { basicAuth, basicCredentialsSchema, type BasicAuthOptions, type BasicCredentials } from './basic';
export { oauth1Auth, oauth1CredentialsSchema, type OAuth1Credentials, type OAuth1Options } from './oauth1';
export {
  DEFAULT_EXPIRY_SKEW_MS, DEFAULT_TOKEN_LIFETIME_MS, requestToken, sharedAccessTokens, type AccessToken, type TokenEndpointOptions,
} from './oauth2-token-endpoint';
export { bearerTokenPlugin, type BearerTokenPlugin, type BearerTokenPluginOptions } from './bearer-token-plugin';
export {
  oauth2RefreshTokenAuth, oauth2RefreshTokenCredentialsSchema, type OAuth2RefreshTokenCredentials, type OAuth2RefreshTokenOptions,
  type OAuth2RefreshTokenPlugin,
} from './oauth2-refresh-token';
export {
  oauth2ClientCredentialsAuth, oauth2ClientCredentialsSchema, type OAuth2ClientCredentials, type OAuth2ClientCredentialsOptions,
} from './oauth2-client-credentials';
export { DEFAULT_SESSION_SKEW_MS, sessionAuth, sharedSessions, type Session, type SessionAuthOptions } from './session';
export {
  authorizationUrl, exchangeCode, pkcePair, refreshTokenConnection, type AuthorizationRequest, type CodeExchange, type OAuthClient,
} from './authorization-code';
