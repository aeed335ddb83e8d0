import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Connection } from '@temporalio/client';
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import type { AppConfig } from '../../platform/config';
import type { ObservableCredentialStore } from '../../platform/credentials';
import { bearerToken, hashApiKey, matchesHash } from '../auth/api-key';
import { CONFIG, CREDENTIAL_STORE, PG_POOL, TEMPORAL_CONNECTION } from '../tokens';

type PartStatus = { status: 'up' | 'down' | 'disabled'; detail?: string; latencyMs?: number };

async function timed(check: () => Promise<string | undefined>, timeoutMs: number): Promise<PartStatus> {
  const started = Date.now();
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { status: 'up', detail, latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', detail: (err as Error).message, latencyMs: Date.now() - started };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CONNECTION) private readonly temporal: Connection,
    @Inject(CREDENTIAL_STORE) private readonly credentials: ObservableCredentialStore,
  ) {}

  /**
   * 200 when Temporal and Postgres answer (and Vault, when configured); 503 otherwise. Anyone sees
   * up/down per part; details (versions, latencies, the credential store's breaker and last error,
   * which name tenants and addresses) only with the admin key.
   */
  @Get()
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const budget = this.config.FORGE_HEALTH_TIMEOUT_MS;
    const [temporal, postgres, vault] = await Promise.all([
      timed(async () => {
        await this.temporal.ensureConnected();
        const r = await this.temporal.healthService.check({});
        return `serving status ${r.status}`;
      }, budget),
      timed(async () => {
        const { rows } = await this.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
        return `postgres ${rows[0].v}`;
      }, budget),
      this.config.VAULT_ADDR
        ? timed(async () => {
          const r = await fetch(`${this.config.VAULT_ADDR}/v1/sys/health`);
          if (r.status !== 200) throw new Error(`vault answered ${r.status}`);
          const body = (await r.json()) as { version?: string };
          return `vault ${body.version ?? ''}`.trim();
        }, budget)
        : Promise.resolve<PartStatus>({ status: 'disabled', detail: 'no VAULT_ADDR: credentials use the encrypted Postgres store alone' }),
    ]);
    const ok = temporal.status === 'up' && postgres.status === 'up' && vault.status !== 'down';
    res.status(ok ? 200 : 503);
    if (!this.isAdmin(req)) {
      return { status: ok ? 'ok' : 'degraded', temporal: { status: temporal.status }, postgres: { status: postgres.status }, vault: { status: vault.status } };
    }
    // How the credential store is reading (Vault, or Postgres behind an open breaker); no secrets.
    return { status: ok ? 'ok' : 'degraded', temporal, postgres, vault, credentialStore: this.credentials.status() };
  }

  private isAdmin(req: Request): boolean {
    const key = bearerToken(req.headers.authorization);
    return Boolean(key && this.config.FORGE_ADMIN_KEY && matchesHash(key, hashApiKey(this.config.FORGE_ADMIN_KEY)));
  }
}
