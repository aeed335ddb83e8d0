import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAPIBackend from 'openapi-backend';

// Checks exchanges ({ operationId, request?, response? }, JSON on stdin) against Microsoft Graph's
// OpenAPI description (../shared/specs/teams, read in place, never copied) and prints each one's
// validation errors as JSON. Run in a plain Node process (`node --import tsx`): openapi-backend's
// ref parser is an ES module that jest's CommonJS runtime cannot load.
//
// Preparation, without loosening what the sandbox answers:
// - hyphenated path parameters ({team-id}) are renamed ({team_id}): openapi-backend cannot extract them;
// - '@odata.type' is dropped from `required`: the generated description requires it on every
//   entity, while Graph sends it only for derived types.

export interface Exchange {
  operationId: string;
  request?: { method: string; path: string; query?: Record<string, string>; body?: unknown };
  response?: { status: number; body: unknown };
}

function loadDefinition(): Record<string, unknown> {
  const raw = readFileSync(path.resolve(__dirname, '../../../shared/specs/teams/graph-v1.0-teams-subset.json'), 'utf8');
  const renamed = raw
    .replace(/\{([A-Za-z0-9]+)-([A-Za-z0-9-]+)\}/g, (_m, a: string, b: string) => `{${a}_${b.replace(/-/g, '_')}}`)
    .replace(/"name": "([A-Za-z0-9]+)-([A-Za-z0-9-]+)"/g, (_m, a: string, b: string) => `"name": "${a}_${b.replace(/-/g, '_')}"`);
  const definition = JSON.parse(renamed) as Record<string, unknown>;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (Array.isArray(schema.required)) schema.required = schema.required.filter((r) => r !== '@odata.type');
    Object.values(schema).forEach(visit);
  };
  visit(definition);
  return definition;
}

async function main(): Promise<void> {
  const exchanges = JSON.parse(readFileSync(0, 'utf8')) as Exchange[];
  const api = new OpenAPIBackend({
    definition: loadDefinition() as never,
    quick: true,
    customizeAjv: (ajv) => {
      for (const format of ['date-time', 'base64url', 'uuid', 'duration', 'date', 'time']) ajv.addFormat(format, true);
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
