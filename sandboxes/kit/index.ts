/**
 * The sandbox kit: what every system's sandbox inherits (see definition.ts for how a system plugs
 * in, admin.ts for the admin API, faults.ts for fault injection).
 */
export { createSandbox, startSandbox, type RunningSandbox, type Sandbox } from './server';
export { defaultSeedRecord, type ExternalStore, type SandboxDefinition, type SandboxOptions } from './definition';
export { nestedField, notMapped, readOnlyField, unmapped, type CatalogDifferences, type CatalogField, type CatalogObject } from './catalog';
export type { RecordedExchange, SpecExchange, SpecSource, SpecVerdict } from './spec-check/types';
export { adminPrefix, type SandboxParts } from './admin';
export { SandboxClock, type ClockState } from './clock';
export { RecordStore, type NewRecord, type StoredRecord, type IdGenerator } from './record-store';
export { RecordView, type ConsistencyFaults } from './record-view';
export type { TimeBound, TimeField, TimeRange } from './time-index';
export { FaultRegistry, faultKinds, faultSpecSchema, pathMatches, type ActiveFault, type FaultKind, type FaultSpec } from './faults';
export { SlidingWindowLimiter } from './rate-limit';
export { concurrencyLimit, type ConcurrencyLimitOptions } from './concurrency';
export { RequestLog, type LoggedRequest } from './request-log';
export { offsetPage, keysetPage, parseOffset, compareNumericStrings, type Page } from './pagination';
export { json, retryAfterHeader } from './http-io';
export { replyForStatus } from './error-replies';
export { introspectionSchema } from './graphql-schema';
export { Router } from './router';
export type { AuthScheme, AuthOutcome } from './auth/auth-scheme';
export { bearerToken, basicCredentials, formFields } from './auth/auth-scheme';
export { oauth2RefreshToken, type OAuth2RefreshTokenOptions, type IssuedTokens } from './auth/oauth2-refresh-token';
export { AuthorizationCodes, type AuthorizationCodeOptions, type RedeemedCode } from './auth/authorization-code';
export { oauth2ClientCredentials, type OAuth2ClientCredentialsOptions } from './auth/oauth2-client-credentials';
export { staticToken, basicAuth, type AppInstallOptions, type StaticTokenOptions, type BasicAuthOptions } from './auth/static-credentials';
export { oauth1, percentEncode, signatureBaseString, type OAuth1Options, type OAuth1SignatureMethod } from './auth/oauth1';
export { identityPlatformError, perDirectory, type DirectoryOptions } from './auth/microsoft-identity';
export { sessionLogin, type IssuedSession, type SessionLoginOptions } from './auth/session-login';
export { randomSecret } from './auth/token-book';
export { PERSON_SCHEME, withPeopleTokens } from './auth/people-tokens';
export {
  ReplyError,
  type AuthFailure,
  type ErrorReplies,
  type Handler,
  type HandlerContext,
  type Principal,
  type RateLimitInfo,
  type RateLimitPolicy,
  type Reply,
  type Route,
  type RouteProbe,
  type SandboxRequest,
} from './types';
