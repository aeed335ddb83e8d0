import fs from 'node:fs';
import path from 'node:path';
import { demoSteps, firstLoadCommand, nextSteps, stopHint, upBlock } from '../../scripts/dev/next-steps';

// README's quick start quotes what `npm run dev` prints; with the default ports every command in
// it is the same on every machine, so the two must agree word for word.
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const gateway = 'http://127.0.0.1:3000';

describe("README's quick start is what npm run dev prints", () => {
  it('quotes the next steps after a plain npm run dev, and how it stops', () => {
    expect(readme).toContain(`${nextSteps(gateway, '$(cat .forgeworks/dev/admin.key)')}\n${stopHint}`);
  });

  it('quotes the lines of the "up" block that do not vary between machines', () => {
    const block = upBlock({ seconds: 12, gatewayUrl: gateway, temporalUiUrl: 'http://127.0.0.1:8233', temporalAddress: '127.0.0.1:7233',
      databaseUrl: 'postgres://postgres:forgeworks-dev@127.0.0.1:5433/forgeworks', vault: 'v', adminKey: 'k', adminKeyRef: 'r',
      logs: '.forgeworks/dev/*.log' });
    for (const line of block.split('\n').filter((l) => l && !/Vault|Admin key/.test(l))) expect(readme).toContain(`${line}\n`);
  });

  it("quotes --sandboxes' forge login, first-load command and how to follow a load", () => {
    expect(readme).toContain('  npx forge login < .forgeworks/dev/demo/api.key\n');
    expect(readme).toContain(firstLoadCommand('hubspot', { object: 'contacts', operation: 'upsert', naturalKey: 'email' }));
    expect(readme).toContain('  first load (upsert 2 records in contacts, keyed by email):\n');
    const tail = demoSteps(gateway, { tenantId: 't', tenantName: 'n', apiKeyFile: 'f', connections: [] }).split('\n\n').slice(-2).join('\n\n');
    expect(readme).toContain(tail);
  });

  it('names only commands that exist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const [, script] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(pkg.scripts)).toContain(script);
  });
});
