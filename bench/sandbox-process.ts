import { spawn } from 'node:child_process';
import path from 'node:path';
import { profileArgs } from './platform-processes';

export interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * A system's sandbox in a process of its own (`npm run sandbox`), as a vendor would be: the bench
 * process then measures the platform, not the sandbox's JSON work sharing the platform's thread.
 */
export async function startSandboxProcess(system: string, opts: { enforceRateLimit?: boolean } = {}): Promise<SandboxProcess> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [...profileArgs('sandbox'), 'sandboxes/cli.ts', system, ...(opts.enforceRateLimit ? ['--rate-limit'] : [])], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Dies with the bench process however it ends (an error before the part's own finally ran).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { process.off('exit', killOnExit); resolve(); }));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the ${system} sandbox exited (${code}) before listening: ${out}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** An access token from the HubSpot sandbox at `url`, with the sandbox's own credentials (for direct calls). */
export async function hubspotSandboxToken(url: string): Promise<string> {
  const { credentials } = await (await fetch(`${url}/__sandbox/credentials`)).json() as { credentials: Record<string, string> };
  const res = await fetch(`${url}/oauth/v1/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
