import type { SpecSource } from '../kit';
import { nestParams } from './form';

/**
 * Stripe's OpenAPI description (../shared/specs/stripe), made digestible for Ajv without loosening
 * what the sandbox answers:
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

export const stripeSpec: SpecSource = {
  dir: 'stripe',
  format: 'openapi3',
  files: ['stripe.openapi.json'],
  prepare,
  formats: ['unix-time'],
  formBodies: true,
  decodeForm: (raw) => nestParams(Object.fromEntries(new URLSearchParams(raw))),
  knownDeviations: [{
    request: /^POST \/v1\/customers$/, error: /requestBody\/balance must be integer/,
    why: 'a request that breaks the description on purpose (a load\'s record with balance=NaN): the sandbox refuses it, 400 parameter_invalid_integer, as Stripe does',
  }],
};
