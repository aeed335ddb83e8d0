import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

/** ../shared/specs, beside the repository (as spec-check/check.ts finds it). */
const SPECS_DIR = path.resolve(__dirname, '../../../shared/specs');

const built = new Map<string, GraphQLSchema>();

/**
 * A GraphQL schema from a vendor's published introspection result under ../shared/specs/<dir>/
 * (plain or gzipped JSON, `{ data: { __schema } }` or `{ __schema }`), read in place and built once
 * per process. Sandboxes validate and execute documents with it; tests validate the documents a
 * connector sends with the same one.
 */
export function introspectionSchema(dir: string, file: string): GraphQLSchema {
  const where = path.join(SPECS_DIR, dir, file);
  const cached = built.get(where);
  if (cached) return cached;
  const raw = readFileSync(where);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const parsed = JSON.parse(text) as { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
  const introspection = parsed.data ?? (parsed as IntrospectionQuery);
  const schema = buildClientSchema(introspection, { assumeValid: true });
  built.set(where, schema);
  return schema;
}
