import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startProcess, untilReady, type ManagedProcess } from './child';
import { freePort } from './free-port';
import { ensureTemporalBinary } from './temporal-binary';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/platform/search-attributes';

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

async function waitUntilServing(address: string, timeoutMs: number, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && proc.running()) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.healthService.check({});
        // The namespace exists once the frontend answers for it; search attributes are registered at boot.
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal dev server at ${address} was not ready within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Starts `temporal server start-dev` on 127.0.0.1 with the Forge search attributes registered. */
export async function startTemporalDevServer(opts: { logDir: string; port?: number; uiPort?: number | null;
  dbFile?: string; uiCodecEndpoint?: string; log?: (m: string) => void }): Promise<TemporalDevServer> {
  const binary = ensureTemporalBinary(opts.log);
  const port = opts.port ?? await freePort();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  if (opts.uiPort === null || opts.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1');
  // Payloads are encrypted: the Web UI decodes them through the gateway's codec endpoint.
  if (opts.uiCodecEndpoint && opts.uiPort) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  // The dev server picks ports for metrics and the HTTP API itself; pin them to free ones so runs don't collide.
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=Keyword`);
  const proc = startProcess('temporal', binary, args, path.join(opts.logDir, 'temporal.log'));
  const address = `127.0.0.1:${port}`;
  try {
    await untilReady(proc, waitUntilServing(address, 60000, proc));
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: proc,
    stop: () => proc.stop(),
  };
}
