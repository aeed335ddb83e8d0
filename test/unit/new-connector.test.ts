import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectorNames, generateConnector } from '../../scripts/new-connector';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('npm run new-connector', () => {
  it('names a kebab-case id in camel and Pascal case', () => {
    expect(connectorNames('sage-intacct')).toEqual({ id: 'sage-intacct', name: 'sageIntacct', Name: 'SageIntacct' });
  });

  it('refuses ids that are not lower-case kebab, writing nothing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-gen-'));
    expect(() => generateConnector('Bad_Id', root)).toThrow(/lower-case/);
    expect(fs.readdirSync(root)).toEqual([]);
    fs.rmSync(root, { recursive: true });
  });

  it('lays out a connector and sandbox that type-check against the kit, and never overwrites', () => {
    const generated = generateConnector('acme-crm', repoRoot);
    try {
      expect(generated).toEqual([
        'src/connectors/acme-crm/index.ts', 'src/connectors/acme-crm/objects.ts', 'src/connectors/acme-crm/api.ts', 'sandboxes/acme-crm/index.ts',
      ]);
      expect(() => generateConnector('acme-crm', repoRoot)).toThrow(/already exist/);
      const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
      const files = generated.map((f) => path.join(repoRoot, f));
      execFileSync(tsc, ['--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck', '--target', 'es2022', '--module', 'commonjs',
        '--moduleResolution', 'node', ...files], { cwd: repoRoot, stdio: 'pipe' });
    } finally {
      fs.rmSync(path.join(repoRoot, 'src/connectors/acme-crm'), { recursive: true, force: true });
      fs.rmSync(path.join(repoRoot, 'sandboxes/acme-crm'), { recursive: true, force: true });
    }
  }, 60_000);
});
