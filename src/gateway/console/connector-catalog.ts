import { z } from 'zod';
import type { ConnectorDefinition } from '../../connectors/contract';
import { secretFieldNames } from '../../platform/credentials/redact';

/**
 * What a client needs to build a connection form and a load form for each installed connector:
 * the credential and config schemas as JSON Schema (from zod), which credential fields are secret
 * (masked in forms, never shown again), and each object's keys, operations, fields and notes.
 */

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

/** The auth schema's secret fields, as the scrubber knows them (secretField() marks, else by name). */
export function secretFieldsOf(def: ConnectorDefinition, credentials: JsonSchema): string[] {
  const names = new Set(Object.keys(credentials.properties ?? {}));
  return secretFieldNames(def.auth.credentials, {}).filter((name) => names.has(name));
}

export function connectorCatalogEntry(def: ConnectorDefinition) {
  const credentials = jsonSchemaOf(def.auth.credentials);
  const secretFields = secretFieldsOf(def, credentials);
  // JSON Schema's own word for "sent, never returned".
  for (const name of secretFields) credentials.properties![name] = { ...credentials.properties![name], writeOnly: true };
  return {
    id: def.id,
    displayName: def.displayName,
    apiVersion: def.apiVersion,
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
