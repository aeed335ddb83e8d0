import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { OPENBAO_VERSION } from '../../scripts/services/vault-binary';
import { loadConfig } from '../../src/platform/config';
import { readMasterKey } from '../../src/platform/credentials/master-key';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/platform/search-attributes';

// Docker cannot run here, so the compose file is checked against the app's own configuration, and
// its shell snippets (secrets made at first start, read at each start) are run with sh.
interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[] | string;
  entrypoint?: string[];
  volumes?: string[];
}
const root = path.join(__dirname, '..', '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** Resolves $$, ${VAR:-default} and ${VAR:?message} the way compose does, with the given shell. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (match, name: string, op: string | undefined, arg: string) => {
    if (match === '$$') return '$';
    if (shell[name]) return shell[name];
    if (op === '-') return arg;
    throw new Error(`compose requires ${name}: ${arg}`);
  });
}
function envOf(name: string, shell: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), shell)]));
}
function publishedPorts(name: string): Array<{ host: string; published: number; target: number }> {
  return (services[name].ports ?? []).map((p) => {
    const [host, published, target] = p.split(':');
    return { host, published: Number(published), target: Number(target) };
  });
}

const dumpEnv = `"${process.execPath}" -e "process.stdout.write(JSON.stringify(process.env))"`;

/** Runs a service's `sh -c` snippet with its environment, its secrets in `secretsDir`; returns what it prints. */
function runScript(name: string, secretsDir: string, shell: Record<string, string> = {}, edit = (s: string) => s): string {
  const service = services[name];
  expect(service.entrypoint).toEqual(['/bin/sh', '-c']);
  const script = edit(interpolate(String((service.command as string[])[0]), shell));
  return execFileSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, ...envOf(name, shell), FORGE_SECRETS_DIR: secretsDir } });
}

/** The environment a service's snippet hands to the server it execs (the exec prints it instead). */
function runSnippet(name: string, secretsDir: string, shell: Record<string, string> = {}): Record<string, string> {
  const out = runScript(name, secretsDir, shell, (script) => {
    expect(script).toMatch(/exec [^;]*$/);
    return script.replace(/exec [^;]*$/, `exec ${dumpEnv}`);
  });
  return JSON.parse(out) as Record<string, string>;
}

/** The environment the worker or gateway process gets: its compose environment through docker/with-secrets.sh. */
function appEnv(name: string, secretsDir: string, shell: Record<string, string> = {}): Record<string, string> {
  const [wrapper, ...rest] = services[name].command as string[];
  expect(wrapper).toBe('docker/with-secrets.sh');
  expect(rest.slice(0, 2)).toEqual(['npx', 'tsx']);
  const out = execFileSync(path.join(root, wrapper), [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'],
    { encoding: 'utf8', env: { PATH: process.env.PATH, ...envOf(name, shell), FORGE_SECRETS_DIR: secretsDir } });
  return JSON.parse(out) as Record<string, string>;
}

function makeSecrets(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-compose-secrets-'))): string {
  runScript('secrets', dir);
  return dir;
}
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('docker-compose.yml', () => {
  let secretsDir: string;
  beforeAll(() => { secretsDir = makeSecrets(); });
  afterAll(() => fs.rmSync(secretsDir, { recursive: true, force: true }));

  it('has the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['gateway', 'postgres', 'secrets', 'temporal', 'temporal-setup', 'temporal-ui', 'vault', 'worker'].sort());
  });

  it('makes every secret at first start, random, each readable only by whom needs it, and keeps them across restarts', () => {
    const first = Object.fromEntries(['postgres-password', 'bao-root-token', 'admin.key', 'master.key'].map((f) => [f, read(secretsDir, f)]));
    expect(first['postgres-password']).toMatch(/^[0-9a-f]{48}$/);
    expect(first['bao-root-token']).toMatch(/^[0-9a-f]{48}$/);
    expect(first['admin.key']).toMatch(/^fw_admin_[0-9a-f]{48}$/);
    expect(readMasterKey(path.join(secretsDir, 'master.key'))).toHaveLength(32); // also refuses a group/other-readable file
    const mode = (f: string) => fs.statSync(path.join(secretsDir, f)).mode & 0o777;
    expect([mode('postgres-password'), mode('bao-root-token'), mode('admin.key'), mode('master.key')]).toEqual([0o444, 0o444, 0o400, 0o600]);
    if (process.getuid?.() === 0) expect(fs.statSync(path.join(secretsDir, 'master.key')).uid).toBe(1000); // the image's `node` user

    expect(runScript('secrets', secretsDir)).toBe(''); // a restart: nothing made again
    for (const [file, value] of Object.entries(first)) expect(read(secretsDir, file)).toBe(value);

    const other = makeSecrets(); // another machine
    try {
      for (const [file, value] of Object.entries(first)) expect(read(other, file)).not.toBe(value);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    expect(compose.volumes).toHaveProperty('forge-secrets');
  });

  it('has no fixed secret: none in any environment, only ${VAR:-} from the shell', () => {
    const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    expect(text).not.toMatch(/POSTGRES_PASSWORD:|POSTGRES_PWD:|VAULT_TOKEN:|DEV_ROOT_TOKEN_ID:|forge-dev-root/);
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASS|PWD|TOKEN|SECRET|KEY/.test(key) && !/_(DIR|FILE)$/.test(key)) expect({ name, key, value }).toEqual({ name, key, value: `\${${key}:-}` });
      }
    }
  });

  it.each(['worker', 'gateway'])('gives the %s a configuration the app accepts, pointing at the right services with the secrets made at first start', (name) => {
    const config = loadConfig(appEnv(name, secretsDir));
    const db = new URL(config.DATABASE_URL);
    const pg = runSnippet('postgres', secretsDir);
    expect({ host: db.hostname, port: db.port, user: db.username, password: db.password, database: db.pathname.slice(1) })
      .toEqual({ host: 'postgres', port: '5432', user: pg.POSTGRES_USER, password: pg.POSTGRES_PASSWORD, database: pg.POSTGRES_DB });
    expect(pg.POSTGRES_PASSWORD).toBe(read(secretsDir, 'postgres-password'));
    const temporal = runSnippet('temporal', secretsDir);
    expect({ user: temporal.POSTGRES_USER, password: temporal.POSTGRES_PWD, host: temporal.POSTGRES_SEEDS })
      .toEqual({ user: pg.POSTGRES_USER, password: pg.POSTGRES_PASSWORD, host: 'postgres' });
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(envOf('temporal-ui').TEMPORAL_ADDRESS).toBe(config.TEMPORAL_ADDRESS);
    const vault = runSnippet('vault', secretsDir);
    expect(config.VAULT_ADDR).toBe(`http://vault:${vault.BAO_DEV_LISTEN_ADDRESS.split(':')[1]}`);
    expect(config.VAULT_TOKEN).toBe(vault.BAO_DEV_ROOT_TOKEN_ID);
    expect(config.VAULT_TOKEN).toBe(read(secretsDir, 'bao-root-token'));
    expect(config.FORGE_ADMIN_KEY).toBe(read(secretsDir, 'admin.key'));
    expect(readMasterKey(config.FORGE_MASTER_KEY_FILE!)).toHaveLength(32);
    // Inside the containers, the files are where the environment says, mounted read-only.
    expect(envOf(name).FORGE_SECRETS_DIR).toBe('/run/forge-secrets');
    expect(services[name].volumes).toContain('forge-secrets:/run/forge-secrets:ro');
  });

  it('takes the admin key from the shell when FORGE_ADMIN_KEY is set there', () => {
    const config = loadConfig(appEnv('gateway', secretsDir, { FORGE_ADMIN_KEY: 'an-admin-key-from-the-shell' }));
    expect(config.FORGE_ADMIN_KEY).toBe('an-admin-key-from-the-shell');
  });

  it('runs OpenBao, the Vault-API server npm run dev runs, at the same version', () => {
    expect(services.vault.image).toBe(`openbao/openbao:${OPENBAO_VERSION}`);
    expect(String((services.vault.command as string[])[0])).toMatch(/exec docker-entrypoint\.sh server -dev/);
  });

  it('ships the secrets entry point in the image, executable', () => {
    expect(fs.readFileSync(path.join(root, 'docker', 'Dockerfile'), 'utf8')).toContain('COPY docker/with-secrets.sh ./docker/');
    expect(fs.statSync(path.join(root, 'docker', 'with-secrets.sh')).mode & 0o111).toBe(0o111);
  });

  it('publishes the same ports as npm run dev, on loopback only', () => {
    const gateway = loadConfig(appEnv('gateway', secretsDir));
    expect(publishedPorts('gateway')).toEqual([{ host: '127.0.0.1', published: 3000, target: gateway.PORT }]);
    expect(gateway.HOST).toBe('0.0.0.0'); // inside the container; published on the host's loopback only
    expect(publishedPorts('temporal')).toEqual([{ host: '127.0.0.1', published: 7233, target: 7233 }]);
    expect(publishedPorts('temporal-ui')[0]).toMatchObject({ host: '127.0.0.1', published: 8233 });
    for (const name of Object.keys(services)) {
      for (const p of publishedPorts(name)) expect(p.host).toBe('127.0.0.1');
    }
  });

  it('runs the worker and gateway entry points of this repository', () => {
    for (const [name, entry] of [['worker', 'src/worker.ts'], ['gateway', 'src/main.ts']]) {
      expect(services[name].command).toContain(entry);
      expect(fs.existsSync(path.join(root, entry))).toBe(true);
    }
  });

  it('registers every search attribute the workflows keep current', () => {
    const command = String(services['temporal-setup'].command);
    for (const name of SEARCH_ATTRIBUTE_NAMES) expect(command).toContain(name);
  });
});
