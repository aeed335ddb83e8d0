import { json, oauth2RefreshToken, startSandbox, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { snowflakeCatalog, snowflakeCatalogDifferences } from './catalog';
import { SnowflakeDatabase } from './database';
import { sfMessage, unauthorized } from './errors';
import { snowflakeSpec } from './spec';
import { statementRoutes, type StatementOptions } from './statements';
import { DATABASE, SCHEMA, tables } from './tables';

/**
 * The Snowflake sandbox: the SQL API v2 (POST /api/v2/statements, GET .../{statementHandle},
 * POST .../{statementHandle}/cancel) with Snowflake OAuth (refresh-token grant at
 * /oauth/token-request, bearer tokens with X-Snowflake-Authorization-Token-Type: OAUTH). Statements
 * run on Postgres, in a schema of this sandbox's own, after a translation of Snowflake's SQL
 * (translate.ts); change-tracked tables keep a change log for CHANGES(INFORMATION => DEFAULT).
 * README.md lists the pages followed.
 * Vendor documentation followed: https://docs.snowflake.com/en/developer-guide/sql-api/reference (and the pages README.md lists).
 */
export interface SnowflakeSandboxOptions extends Partial<StatementOptions> {
  account?: string;
}

export function snowflakeSandbox(options: SnowflakeSandboxOptions = {}): SandboxDefinition {
  const db = new SnowflakeDatabase();
  const account = options.account ?? 'forge-sandbox';
  return {
    system: 'snowflake',
    objects: tables.map((t) => t.name),
    catalog: snowflakeCatalog,
    catalogDifferences: snowflakeCatalogDifferences,
    spec: snowflakeSpec,
    externalStore: db,
    auth: oauth2RefreshToken({
      tokenPath: '/oauth/token-request',
      // Snowflake OAuth access tokens last 600 seconds.
      accessTokenTtlSeconds: 600,
      tokenPrefix: 'sbx-sf-at-',
      tokenResponse: (issued) => json(200, { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, username: 'FORGE_INTEGRATION' }),
      errors: {
        unsupportedGrantType: () => oauthError(400, 'unsupported_grant_type', 'The grant type is not supported.'),
        badClientId: () => oauthError(401, 'invalid_client', 'Client authentication failed.'),
        badClientSecret: () => oauthError(401, 'invalid_client', 'Client authentication failed.'),
        badRefreshToken: () => oauthError(400, 'invalid_grant', 'Refresh token is invalid or expired.'),
      },
    }),
    routes: statementRoutes(db, { syncWaitMs: options.syncWaitMs ?? 45_000, rowsPerPartition: options.rowsPerPartition ?? 1000, statementDelayMs: options.statementDelayMs ?? 0 }),
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => sfMessage(429, 'Too many requests. Please retry after a while.', '390910'),
      notFound: () => sfMessage(404, 'The requested resource does not exist.'),
      malformedBody: () => sfMessage(400, 'Unable to parse the request body.', '391903'),
      forStatus: (status) => (status === 401 ? unauthorized('invalid') : sfMessage(status, status >= 500 ? 'Internal error. Please retry.' : 'Request failed.')),
    },
    config: (baseUrl) => ({ account, baseUrl, warehouse: 'FORGE_WH', database: DATABASE, schema: SCHEMA, tables: { CONTACTS: { keyColumns: ['ID', 'EMAIL'], capture: 'changes' } } }),
  };
}

function oauthError(status: number, error: string, message: string) {
  return json(status, { data: null, message, code: null, success: false, error });
}

export function startSnowflakeSandbox(options: SnowflakeSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(snowflakeSandbox(options), options);
}
