import { z } from 'zod';
import type { ConnectorDefinition } from '../../connectors/contract';

/**
 * What a client needs to build a connection form and a load form for each installed connector:
 * the credential and config schemas as JSON Schema (from zod), which credential fields are secret
 * (masked in forms, never shown again), and each object's keys, operations, fields and notes.
 */

/** Field names that hold secrets when the auth schema does not say (the scrubber's rule, kept in step). */
const SECRET_NAME = /secret|token|password|passwd|api_?key|private|credential/i;

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> };

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  try {
    const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    delete out.$schema;
    return out;
  } catch {
    return { type: 'object' };
  }
}

export function secretFieldsOf(credentials: JsonSchema): string[] {
  return Object.keys(credentials.properties ?? {}).filter((name) => SECRET_NAME.test(name));
}

export function connectorCatalogEntry(def: ConnectorDefinition) {
  const credentials = jsonSchemaOf(def.auth.credentials);
  const secretFields = secretFieldsOf(credentials);
  // JSON Schema's own word for "sent, never returned".
  for (const name of secretFields) credentials.properties![name] = { ...credentials.properties![name], writeOnly: true };
  return {
    id: def.id,
    displayName: def.displayName,
    authScheme: def.auth.scheme,
    credentials,
    secretFields,
    config: jsonSchemaOf(def.config),
    objects: def.objects.map((o) => ({
      name: o.name,
      naturalKeys: o.naturalKeys,
      operations: o.operations,
      batchSize: o.batchSize,
      cursor: o.cursor,
      fields: o.fields.map((f) => ({ name: f.name, type: f.type, ...(f.readOnly ? { readOnly: true } : {}), ...(f.createOnly ? { createOnly: true } : {}), ...(f.required ? { required: true } : {}) })),
      ...(o.notes ? { notes: o.notes } : {}),
      ...(o.dynamicFields ? { dynamicFields: true } : {}),
    })),
    ...(def.customObject ? { customObjects: true } : {}),
  };
}

export type ConnectorCatalogEntry = ReturnType<typeof connectorCatalogEntry>;
