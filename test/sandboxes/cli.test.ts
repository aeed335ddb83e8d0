import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('npm run sandbox -- <system>', () => {
  it('starts the HubSpot sandbox, prints its URL and credentials, and stops on SIGINT', async () => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['sandboxes/cli.ts', 'hubspot', '--port', '0', '--rate-limit'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('Ctrl-C')) resolve(text);
        });
        child.once('exit', (code) => reject(new Error(`cli exited (${code}) before it was ready: ${text}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(url).toBeDefined();
      expect(output).toContain('rate limit enforced');
      const printed = JSON.parse(/credentials: (.*)/.exec(output)?.[1] ?? '{}') as Record<string, string>;
      const served = (await (await fetch(`${url}/__sandbox/credentials`)).json()) as { credentials: Record<string, string> };
      expect(served.credentials).toEqual(printed);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('refuses an unknown system', async () => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['sandboxes/cli.ts', 'nosuchsystem'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('unknown system');
  });
});
