import { parse } from 'yaml';
import type { SpecSource } from '../kit';

/** Snowflake's OpenAPI 3 description of the SQL API v2 (../shared/specs/snowflake, snowflakedb/snowflake-rest-api-specs). */
export const snowflakeSpec: SpecSource = {
  dir: 'snowflake',
  format: 'openapi3',
  files: ['sqlapi.yaml'],
  // Published as YAML; the checker reads JSON.
  prepareText: (raw) => JSON.stringify(parse(raw)),
  formats: ['uuid', 'uri', 'int64'],
  knownDeviations: [
    { request: /^(POST|GET) \/api\/v2\/statements/, error: /must have required property 'user-agent'/,
      why: 'exchanges are recorded without their request headers; the connector sends User-Agent on every call (src/connectors/snowflake/sql-api.ts)' },
    { request: /^POST \/oauth\/token-request$/, why: "Snowflake OAuth's token endpoint (/oauth/token-request) is not part of the SQL API description" },
  ],
};
