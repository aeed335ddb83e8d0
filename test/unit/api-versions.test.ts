import fs from 'node:fs';
import path from 'node:path';
import { connectors } from '../../src/connectors/registry';

// Every connector states the vendor API version it is pinned to, and its sandbox (which answers in
// that version's shapes) names the same version in its README.
describe('pinned API versions', () => {
  it.each(connectors.map((def) => [def.id, def.apiVersion] as const))('%s declares its API version: %s', (id, apiVersion) => {
    expect(apiVersion).toMatch(/\S/);
    expect(apiVersion).not.toMatch(/TODO/i);
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'sandboxes', id, 'README.md'), 'utf8');
    const versions = apiVersion.match(/\b(v?\d[\w.]*(?:-\d[\w.]*)*)/g) ?? [];
    expect({ id, missingFromSandboxReadme: versions.filter((v) => !readme.includes(v)) }).toEqual({ id, missingFromSandboxReadme: [] });
  });
});
