import { z } from 'zod';
import type { ConnectorDefinition } from '../../connectors/contract';
import { findConnector, connectors } from '../../connectors/registry';
import type { FieldProblem } from '../errors/api-error';
import { fieldProblems } from '../errors/zod-validation';

/** Credentials and config are small: a handful of fields, shallow, a few kilobytes. */
export const MAX_SETTINGS_KEYS = 64;
export const MAX_SETTINGS_BYTES = 16 * 1024;
export const MAX_SETTINGS_DEPTH = 6;

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit - 1));
  return deepest + 1;
}

export const jsonObject = z.record(z.string(), z.unknown())
  .refine((o) => Object.keys(o).length <= MAX_SETTINGS_KEYS, { message: `at most ${MAX_SETTINGS_KEYS} fields` })
  .refine((o) => depthOf(o, MAX_SETTINGS_DEPTH + 1) <= MAX_SETTINGS_DEPTH, { message: `nested at most ${MAX_SETTINGS_DEPTH} levels deep` })
  .refine((o) => Buffer.byteLength(JSON.stringify(o)) <= MAX_SETTINGS_BYTES, { message: `at most ${MAX_SETTINGS_BYTES} bytes` });

/**
 * A connection's own request limits, where its account's differ from what the connector documents
 * (a tier, an API limit increase); [] when the system enforces none (a private sandbox).
 */
const rateLimits = z.array(z.object({
  requests: z.number().int().positive().max(1_000_000_000),
  perSeconds: z.number().positive().max(31 * 86_400),
  burst: z.number().int().positive().optional(),
}).strict()).max(8);

export const createConnectionBody = z.object({
  connector: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  credentials: jsonObject,
  config: jsonObject.default({}),
  rateLimits: rateLimits.optional(),
}).strict();

export interface ValidConnection {
  def: ConnectorDefinition;
  name: string;
  credentials: Record<string, unknown>;
  config: Record<string, unknown>;
  rateLimits?: z.infer<typeof rateLimits>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringLeaves(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (isObject(value) || Array.isArray(value)) for (const v of Object.values(value)) stringLeaves(v, into);
  return into;
}

/** Removes every submitted credential value from a message (a connector's schema may quote its input). */
function withoutSubmittedSecrets(message: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)
    .reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}

export const replaceCredentialsBody = z.object({ credentials: jsonObject }).strict();

/** PUT /v1/connections/:id/credentials: the new credentials, checked against the connector's auth schema. */
export function validateReplacementCredentials(def: ConnectorDefinition, body: unknown): { credentials: Record<string, unknown> } | { problems: FieldProblem[] } {
  const raw = isObject(body) ? body : {};
  const secrets = stringLeaves(raw.credentials);
  const base = replaceCredentialsBody.safeParse(body);
  const problems: FieldProblem[] = base.success ? [] : fieldProblems(base.error);
  let credentials: Record<string, unknown> | undefined;
  if (base.success) {
    const parsed = def.auth.credentials.safeParse(base.data.credentials);
    if (parsed.success) credentials = parsed.data;
    else problems.push(...fieldProblems(parsed.error, 'credentials'));
  }
  if (problems.length > 0 || !credentials) {
    return { problems: problems.map((p) => ({ field: p.field, message: withoutSubmittedSecrets(p.message, secrets) })) };
  }
  return { credentials };
}

/**
 * Checks the body, the connector and the connector's own credential and config schemas together,
 * so one answer names every bad field. Messages never carry the submitted credential values.
 */
export function validateConnectionBody(body: unknown): { valid: ValidConnection } | { problems: FieldProblem[] } {
  const raw = isObject(body) ? body : {};
  const secrets = stringLeaves(raw.credentials);
  const problems: FieldProblem[] = [];
  const base = createConnectionBody.safeParse(body);
  if (!base.success) problems.push(...fieldProblems(base.error));

  const connectorId = typeof raw.connector === 'string' ? raw.connector : undefined;
  const def = connectorId ? findConnector(connectorId) : undefined;
  if (connectorId && !def) {
    const known = connectors.map((c) => c.id).join(', ') || 'none are installed';
    problems.push({ field: 'connector', message: `unknown connector "${connectorId}" (known: ${known})` });
  }
  let credentials: Record<string, unknown> | undefined;
  let config: Record<string, unknown> | undefined;
  if (def) {
    if (isObject(raw.credentials)) {
      const parsed = def.auth.credentials.safeParse(raw.credentials);
      if (parsed.success) credentials = parsed.data;
      else problems.push(...fieldProblems(parsed.error, 'credentials'));
    }
    if (raw.config === undefined || isObject(raw.config)) {
      const parsedConfig = def.config.safeParse(raw.config ?? {});
      if (parsedConfig.success) config = parsedConfig.data;
      else problems.push(...fieldProblems(parsedConfig.error, 'config'));
    }
  }
  if (problems.length > 0 || !base.success || !def || !credentials || !config) {
    return { problems: problems.map((p) => ({ field: p.field, message: withoutSubmittedSecrets(p.message, secrets) })) };
  }
  return { valid: { def, name: base.data.name, credentials, config, rateLimits: base.data.rateLimits } };
}
