import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAPIBackend from 'openapi-backend';

// Checks exchanges ({ operationId, request?, response? }, JSON on stdin) against Atlassian's JIRA
// Cloud platform REST API v3 description (../shared/specs/jira/jira-platform-openapi.v3.json,
// version 1001.0.0-SNAPSHOT-57a0ca5b, read in place, never copied) and prints each one's validation
// errors as JSON. Runs in a plain Node process (`node --import tsx`): openapi-backend's ref parser
// is an ES module that jest's CommonJS runtime cannot load. The description is used as published.

export interface Exchange {
  operationId: string;
  request?: { method: string; path: string; query?: Record<string, string>; body?: unknown };
  response?: { status: number; body: unknown };
}

export const SPEC_PATH = path.resolve(__dirname, '../../../shared/specs/jira/jira-platform-openapi.v3.json');

async function main(): Promise<void> {
  const exchanges = JSON.parse(readFileSync(0, 'utf8')) as Exchange[];
  const api = new OpenAPIBackend({
    definition: JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as never,
    quick: true,
    customizeAjv: (ajv) => {
      for (const format of ['date-time', 'date', 'uri', 'int32', 'int64', 'uuid']) ajv.addFormat(format, true);
      return ajv;
    },
  });
  await api.init();
  const results = exchanges.map((x) => {
    const request = x.request
      ? api.validator.validateRequest({
        method: x.request.method, path: x.request.path, query: x.request.query ?? {},
        headers: { 'content-type': 'application/json' }, ...(x.request.body === undefined ? {} : { body: x.request.body }),
      }, x.operationId).errors ?? []
      : [];
    const response = x.response ? api.validator.validateResponse(x.response.body, x.operationId, x.response.status).errors ?? [] : [];
    return { operationId: x.operationId, errors: [...request, ...response] };
  });
  process.stdout.write(JSON.stringify(results));
}

if (require.main === module) void main();
