import { z } from 'zod';
import type { AuthorizationCodeSpec, ConnectorDefinition } from '../../connectors/contract';
import { connectors, findConnector } from '../../connectors/registry';
import type { FieldProblem } from '../errors/api-error';
import { fieldProblems } from '../errors/zod-validation';
import { jsonObject } from '../connections/connection-body';

/** POST /v1/connect/sessions: the connection to make, and optionally the tenant's own OAuth app. */
export const connectSessionBody = z.object({
  connector: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  config: jsonObject.default({}),
  client: z.object({ clientId: z.string().min(1).max(512), clientSecret: z.string().min(1).max(4096) }).strict().optional(),
}).strict();

export interface ValidConnectSession {
  def: ConnectorDefinition;
  spec: AuthorizationCodeSpec;
  name: string;
  config: Record<string, unknown>;
  client?: { clientId: string; clientSecret: string };
}

/**
 * Checks the body, that the connector exists and is connected by consent, and the config against
 * the connector's own schema, so one answer names every bad field (never the client secret).
 */
export function validateConnectSessionBody(body: unknown): { valid: ValidConnectSession } | { problems: FieldProblem[] } {
  const raw = typeof body === 'object' && body !== null && !Array.isArray(body) ? body as Record<string, unknown> : {};
  const base = connectSessionBody.safeParse(body);
  const problems: FieldProblem[] = base.success ? [] : fieldProblems(base.error);
  const connectorId = typeof raw.connector === 'string' ? raw.connector : undefined;
  const def = connectorId ? findConnector(connectorId) : undefined;
  if (connectorId && !def) {
    problems.push({ field: 'connector', message: `unknown connector "${connectorId}" (connected by consent: ${consentConnectors().join(', ')})` });
  } else if (def && !def.authorization) {
    problems.push({ field: 'connector', message: `${def.id} is not connected by an OAuth consent flow: create the connection with POST /v1/connections and its credentials` });
  }
  let config: Record<string, unknown> | undefined;
  if (def && (raw.config === undefined || (typeof raw.config === 'object' && raw.config !== null && !Array.isArray(raw.config)))) {
    const parsed = (def.authorization?.sessionConfig ?? def.config).safeParse(raw.config ?? {});
    if (parsed.success) config = parsed.data;
    else problems.push(...fieldProblems(parsed.error, 'config'));
  }
  const secret = base.success ? base.data.client?.clientSecret : undefined;
  if (problems.length > 0 || !base.success || !def?.authorization || !config) {
    return { problems: secret ? problems.map((p) => ({ field: p.field, message: p.message.split(secret).join('[redacted]') })) : problems };
  }
  return { valid: { def, spec: def.authorization, name: base.data.name, config, ...(base.data.client ? { client: base.data.client } : {}) } };
}

/** The connectors a user connects by consent. */
export function consentConnectors(): string[] {
  return connectors.filter((c) => c.authorization).map((c) => c.id);
}
