import type { SpecSource } from '../kit';

/** Snowflake's OpenAPI 3 description of the SQL API v2 (../shared/specs/snowflake, snowflakedb/snowflake-rest-api-specs). */
export const snowflakeSpec: SpecSource = {
  dir: 'snowflake',
  format: 'openapi3',
  files: ['sqlapi.yaml'],
  knownDeviations: [
    { request: /^POST \/oauth\/token-request$/, why: "Snowflake OAuth's token endpoint (/oauth/token-request) is not part of the SQL API description" },
  ],
};
