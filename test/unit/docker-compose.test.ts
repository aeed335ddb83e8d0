import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/platform/config';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/platform/search-attributes';

// Docker cannot run here, so the compose file is checked against the app's own configuration.
interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  command?: string[] | string;
  secrets?: string[];
}
const compose = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;

/** Resolves ${VAR:-default} and ${VAR:?message} the way compose does, with an empty shell. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string) => {
    if (shell[name]) return shell[name];
    if (op === '-') return arg;
    throw new Error(`compose requires ${name}: ${arg}`);
  });
}
function envOf(name: string, shell: Record<string, string> = { FORGE_ADMIN_KEY: 'an-admin-key-of-enough-length' }) {
  return Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, interpolate(String(v), shell)]));
}
function publishedPorts(name: string): Array<{ host: string; published: number; target: number }> {
  return (services[name].ports ?? []).map((p) => {
    const [host, published, target] = p.split(':');
    return { host, published: Number(published), target: Number(target) };
  });
}

describe('docker-compose.yml', () => {
  it('has the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['gateway', 'postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'vault', 'worker'].sort());
  });

  it.each(['worker', 'gateway'])('gives the %s a configuration the app accepts, pointing at the right services', (name) => {
    const env = envOf(name);
    const config = loadConfig(env);
    const db = new URL(config.DATABASE_URL);
    const pg = envOf('postgres');
    expect({ host: db.hostname, port: db.port, user: db.username, password: db.password, database: db.pathname.slice(1) })
      .toEqual({ host: 'postgres', port: '5432', user: pg.POSTGRES_USER, password: pg.POSTGRES_PASSWORD, database: pg.POSTGRES_DB });
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(envOf('temporal-ui').TEMPORAL_ADDRESS).toBe(config.TEMPORAL_ADDRESS);
    expect(config.VAULT_ADDR).toBe(`http://vault:${envOf('vault').VAULT_DEV_LISTEN_ADDRESS.split(':')[1]}`);
    expect(config.VAULT_TOKEN).toBe(envOf('vault').VAULT_DEV_ROOT_TOKEN_ID);
    expect(services[name].secrets).toContain(path.basename(config.FORGE_MASTER_KEY_FILE!));
  });

  it('refuses to start without an admin key', () => {
    expect(() => envOf('gateway', {})).toThrow(/FORGE_ADMIN_KEY/);
  });

  it('publishes the same ports as npm run dev, on loopback only', () => {
    const gateway = loadConfig(envOf('gateway'));
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
      expect(fs.existsSync(path.join(__dirname, '..', '..', entry))).toBe(true);
    }
  });

  it('registers every search attribute the workflows keep current', () => {
    const command = String(services['temporal-setup'].command);
    for (const name of SEARCH_ATTRIBUTE_NAMES) expect(command).toContain(name);
  });
});
