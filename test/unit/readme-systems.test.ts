import fs from 'node:fs';
import path from 'node:path';
import { connectors } from '../../src/connectors/registry';

// README's Systems table names every registered connector, by id, and no other.
describe("README's Systems table", () => {
  it('lists exactly the registered connectors', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.split('\n## Systems\n')[1]?.split('\n## ')[0] ?? '';
    const listed = [...section.matchAll(/^\| [^|]+ \| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(connectors.map((c) => c.id).sort());
  });
});
