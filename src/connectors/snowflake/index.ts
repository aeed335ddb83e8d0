import { defineConnector } from '../kit';
import type { ObjectSpec } from '../contract';
import { snowflakeAuth, snowflakeHttp } from './auth';
import { snowflakeConfigSchema } from './config';
import { snowflakeDestination } from './destination';
import { tableObject } from './objects';
import { snowflakeSource } from './source';
import { currentTimestamp } from './sql';
import { SqlApi } from './sql-api';

/**
 * Snowflake (preview): the tables a connection names are its objects. SQL API v2 with Snowflake
 * OAuth; MERGE/INSERT/UPDATE/DELETE with bind variables; capture through CHANGES or an updated-at
 * column (sandboxes/snowflake/README.md lists the pages followed). No rateLimits: Snowflake
 * documents none for the SQL API (a 429 is honoured with its Retry-After by the HTTP client).
 */
export const snowflakeConnector = defineConnector({
  id: 'snowflake',
  displayName: 'Snowflake',
  apiVersion: 'SQL API v2',
  auth: snowflakeAuth,
  config: snowflakeConfigSchema,
  objects: [] as ObjectSpec[],
  customObject: tableObject,
  http: snowflakeHttp,
  destination: (ctx) => snowflakeDestination(new SqlApi(ctx.http, ctx.config, ctx.heartbeat), ctx.config),
  source: (ctx) => snowflakeSource(new SqlApi(ctx.http, ctx.config, ctx.heartbeat), ctx.config),
  check: async (ctx) => { await new SqlApi(ctx.http, ctx.config).run(currentTimestamp); },
});
