import { z } from 'zod';
import { parseEgressAllowlist } from './network';
import { oauthClientsFromEnv, type OAuthClients } from './oauth-clients';

/**
 * Process configuration: where the infrastructure is. Connector credentials never come from here
 * (they are read from the credential store at the moment of use).
 */
const configSchema = z.object({
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('forgeworks'),
  /** The Temporal Web UI, for the console's links to a load's run (http://127.0.0.1:8233). */
  TEMPORAL_UI_URL: z.string().url().optional(),
  VAULT_ADDR: z.string().url().optional(),
  VAULT_TOKEN: z.string().min(1).optional(),
  FORGE_MASTER_KEY_FILE: z.string().min(1).optional(),
  FORGE_ADMIN_KEY: z.string().min(16, { message: 'FORGE_ADMIN_KEY must be at least 16 characters' }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Hosts and CIDRs connectors may reach although they are loopback/private/link-local (the
   * sandboxes in tests and `npm run dev`), comma- or space-separated. Empty: public addresses only.
   */
  FORGE_EGRESS_ALLOW: z.string().default('').superRefine((value, ctx) => {
    try {
      parseEgressAllowlist(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  /**
   * The gateway's public origin (https://forge.example.com): OAuth redirect URIs are
   * <FORGE_PUBLIC_URL>/v1/connect/callback. Unset: the origin the request creating the session used.
   */
  FORGE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The Temporal Web UI's origin (npm run dev): it may call /codec from the browser over loopback without the admin key. */
  FORGE_CODEC_UI_ORIGIN: z.string().url().optional(),
  /** Per tenant, per gateway process: requests a second on average and the burst allowed (429 + Retry-After beyond). */
  FORGE_TENANT_RATE_PER_SECOND: z.coerce.number().positive().default(50),
  FORGE_TENANT_RATE_BURST: z.coerce.number().int().positive().default(200),
  /** Per tenant: loads pending or running at once, and live (running or paused) captures. */
  FORGE_TENANT_MAX_ACTIVE_LOADS: z.coerce.number().int().positive().default(10),
  FORGE_TENANT_MAX_LIVE_CAPTURES: z.coerce.number().int().positive().default(50),
  /** Postgres clients per process (gateway, worker), and how long a caller waits for one before the gateway answers 503 busy. */
  /** Segments of one load run at once by a worker (each waits mostly on the system and on Postgres). */
  FORGE_LOAD_SEGMENT_LANES: z.coerce.number().int().min(1).max(64).default(8),
  /** Longest one SQL statement may run (a streamed load's COPY is exempt: it lasts as long as the upload). */
  FORGE_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** A streamed load body that sends nothing for this long is abandoned (nothing of it is stored). */
  FORGE_UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  FORGE_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  FORGE_DB_CONNECTION_WAIT_MS: z.coerce.number().int().positive().default(10_000),
  /** How long GET /health waits for each part before calling it down. */
  FORGE_HEALTH_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AppConfig = z.infer<typeof configSchema> & {
  /** The platform's OAuth apps by connector id, from FORGE_OAUTH_<CONNECTOR>_CLIENT_ID / _CLIENT_SECRET. */
  oauthClients?: OAuthClients;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return { ...parsed.data, oauthClients: oauthClientsFromEnv(env) };
}
