import fs from 'node:fs';
import path from 'node:path';
import { startPostgres, type PostgresHandle } from './postgres';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server';
import { ensureVaultBinary } from './vault-binary';
import { fetchMissingWheelBinaries } from './wheel-binaries';
import { startVaultDevServer, type VaultDevServer } from './vault-server';
import { ensureMasterKeyFile } from '../../src/platform/credentials/master-key';
import { migrate } from '../../src/platform/db/migrate';

/** What a running stack tells its users: plain data, written to stack.json for test workers. */
export interface StackInfo {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  vault: { address: string; token: string } | { address: null; reason: string };
  vaultBinary: string | null;
  masterKeyFile: string;
  workDir: string;
}

export interface RunningStack {
  info: StackInfo;
  postgres: PostgresHandle;
  temporal: TemporalDevServer;
  vault: VaultDevServer | null;
  stop(): Promise<void>;
}

export interface StackOptions {
  purpose: 'test' | 'dev';
  workDir: string;           // logs (and, for tests, everything else)
  pgDataDir: string;
  pgPassword?: string;
  pgPort?: number;
  temporalPort?: number;
  temporalUiPort?: number | null;
  temporalDbFile?: string;
  /** The gateway's /codec URL, for the Web UI to decode encrypted payloads. */
  temporalUiCodecEndpoint?: string;
  masterKeyFile: string;
  log?: (m: string) => void;
}

/**
 * Starts Postgres, Temporal and (when it can be had) Vault side by side, and applies migrations.
 * If any part fails, the parts that did start are stopped before the error is thrown, including
 * those that finish starting after the failure (a globalSetup that fails leaves nothing running).
 */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const log = opts.log ?? ((m: string) => console.error(`[stack] ${m}`));
  fs.mkdirSync(opts.workDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((e) => log(`stop failed: ${String(e)}`));
  };
  const started = <T extends { stop(): Promise<void> }>(part: Promise<T>): Promise<T> =>
    part.then((p) => { stops.push(() => p.stop()); return p; });
  try {
    fetchMissingWheelBinaries(log); // Temporal and OpenBao side by side, when not cached yet
    const vaultBinary = ensureVaultBinary({ build: true, log });
    const [pg, tp, vr] = await Promise.allSettled([
      started(startPostgres({ purpose: opts.purpose, dataDir: opts.pgDataDir, password: opts.pgPassword, port: opts.pgPort,
        logFile: path.join(opts.workDir, 'postgres.log'), log })),
      started(startTemporalDevServer({ logDir: opts.workDir, port: opts.temporalPort, uiPort: opts.temporalUiPort,
        dbFile: opts.temporalDbFile, uiCodecEndpoint: opts.temporalUiCodecEndpoint, log })),
      vaultBinary.path ? started(startVaultDevServer({ binary: vaultBinary.path, logDir: opts.workDir })) : Promise.resolve(null),
    ]);
    for (const r of [pg, tp, vr]) if (r.status === 'rejected') throw r.reason;
    const postgres = (pg as PromiseFulfilledResult<PostgresHandle>).value;
    const temporal = (tp as PromiseFulfilledResult<TemporalDevServer>).value;
    const vault = (vr as PromiseFulfilledResult<VaultDevServer | null>).value;
    if (!vault) {
      log(`Vault unavailable (${'reason' in vaultBinary ? vaultBinary.reason : ''}); credentials use the encrypted Postgres store alone`);
    }
    await migrate(postgres.url);
    ensureMasterKeyFile(opts.masterKeyFile);
    const info: StackInfo = {
      databaseUrl: postgres.url,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      vault: vault ? { address: vault.address, token: vault.token }
        : { address: null, reason: 'reason' in vaultBinary ? vaultBinary.reason : 'not started' },
      vaultBinary: vaultBinary.path,
      masterKeyFile: opts.masterKeyFile,
      workDir: opts.workDir,
    };
    return { info, postgres, temporal, vault, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The process environment the worker and gateway read their configuration from. */
export function stackEnv(info: StackInfo): Record<string, string> {
  const env: Record<string, string> = {
    DATABASE_URL: info.databaseUrl,
    TEMPORAL_ADDRESS: info.temporalAddress,
    FORGE_MASTER_KEY_FILE: info.masterKeyFile,
  };
  if (info.temporalUiUrl) env.TEMPORAL_UI_URL = info.temporalUiUrl;
  if (info.vault.address) {
    env.VAULT_ADDR = info.vault.address;
    env.VAULT_TOKEN = info.vault.token;
  }
  return env;
}
