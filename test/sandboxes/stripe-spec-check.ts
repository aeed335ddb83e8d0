import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAPIBackend from 'openapi-backend';

// Reads exchanges ({ operationId, request, response }) as JSON on stdin and prints, for each, the
// errors of validating its request and response against Stripe's OpenAPI description. Run by
// stripe-client.ts's checkAgainstStripeSpec in a plain Node process.

interface Exchange {
  operationId: string;
  request: { method: string; path: string; query?: Record<string, string>; body?: unknown };
  response: { status: number; body: unknown };
}

/**
 * Makes Stripe's description digestible for Ajv, without loosening what the sandbox answers:
 * - `nullable` without `type` (on anyOf schemas) is spelled anyOf [..., null]; a nullable enum lists null;
 * - expandable fields (`x-expansionResources`: an id, or the object when `expand[]` asks) keep their
 *   id form only: the sandbox never expands, and inlining every expandable object makes the
 *   customer schema take minutes to compile.
 */
function prepare(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(prepare);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema['x-expansionResources'] !== undefined && Array.isArray(schema.anyOf)) {
    const idForm = schema.anyOf.find((s) => (s as Record<string, unknown>).type === 'string');
    schema.anyOf = [idForm ?? { type: 'string' }];
  }
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (schema.nullable === true && schema.type === undefined) {
    delete schema.nullable;
    const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : [{ allOf: schema.allOf ?? [] }];
    delete schema.oneOf;
    delete schema.allOf;
    schema.anyOf = [...alternatives, { enum: [null] }];
  }
  Object.values(schema).forEach(prepare);
}

async function main(): Promise<void> {
  const exchanges = JSON.parse(readFileSync(0, 'utf8')) as Exchange[];
  const definition = JSON.parse(readFileSync(path.resolve(__dirname, '../../../shared/specs/stripe/stripe.openapi.json'), 'utf8')) as Record<string, unknown>;
  prepare(definition);
  const api = new OpenAPIBackend({
    definition: definition as never,
    quick: true,
    customizeAjv: (ajv) => {
      ajv.addFormat('unix-time', true);
      return ajv;
    },
  });
  await api.init();
  const results = exchanges.map((x) => {
    const request = api.validator.validateRequest({
      method: x.request.method, path: x.request.path, query: x.request.query ?? {},
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...(x.request.body === undefined ? {} : { body: x.request.body }),
    }, x.operationId);
    const response = api.validator.validateResponse(x.response.body, x.operationId, x.response.status);
    return { operationId: x.operationId, errors: [...(request.errors ?? []), ...(response.errors ?? [])] };
  });
  process.stdout.write(JSON.stringify(results));
}

void main();
