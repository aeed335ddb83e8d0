import type { z } from 'zod';
import type { Credentials } from '../credentials/store';
import { registerSecretFields } from '../credentials/redact';
import { ConnectorError } from '../errors';

/** Which connection a plug-in works for: caches are keyed by it, never shared across tenants. */
export interface ConnectionRef {
  tenantId: string;
  connectionId: string;
}

export function connectionKey(connection: ConnectionRef): string {
  return `${connection.tenantId}/${connection.connectionId}`;
}

/** Reads the connection's credentials from the store at the moment of use. */
export type CredentialsSource = () => Promise<Credentials>;

/**
 * Reads the credentials now, registers the schema's secret fields with the scope's scrubber before anything else can
 * see it, and checks the shape the scheme needs. A wrong shape is permanent and names the missing
 * fields, never their values.
 */
export async function readCredentials<S extends z.ZodType<Credentials>>(system: string, source: CredentialsSource,
  schema: S): Promise<{ raw: Credentials; parsed: z.output<S> }> {
  const raw = await source();
  registerSecretFields(schema, raw);
  const result = schema.safeParse(raw);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    throw new ConnectorError({ kind: 'permanent', system, message: `${system} credentials are incomplete or malformed: ${fields.join(', ')}` });
  }
  return { raw, parsed: result.data };
}
