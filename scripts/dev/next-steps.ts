import path from 'node:path';
import type { Demo } from './demo';

/**
 * What `npm run dev` prints once everything is up. Commands name files (the admin key, the demo
 * tenant's key, load bodies) rather than values, so with the default ports they read the same on
 * every machine and README's quick start can quote them word for word (a unit test checks it).
 */
export interface UpSummary {
  seconds: number;
  gatewayUrl: string;
  temporalUiUrl?: string;
  temporalAddress: string;
  databaseUrl: string;
  vault: string;
  adminKey: string;
  /** How a shell command refers to the admin key: $(cat <file>) or $FORGE_ADMIN_KEY. */
  adminKeyRef: string;
  logs: string;
}

const mask = (url: string) => url.replace(/:[^:@/]+@/, ':****@');

export function upBlock(s: UpSummary): string {
  return [
    `Forgeworks is up (${s.seconds} s):`,
    `  Gateway       ${s.gatewayUrl}   (health: /health, OpenAPI: /docs)`,
    ...(s.temporalUiUrl ? [`  Temporal UI   ${s.temporalUiUrl}`] : []),
    `  Temporal      ${s.temporalAddress}`,
    `  Postgres      ${mask(s.databaseUrl)}`,
    `  Vault         ${s.vault}`,
    `  Admin key     ${s.adminKey}`,
    `  Logs          ${s.logs}`,
    '',
  ].join('\n');
}

const DEFAULT_GATEWAY = 'http://127.0.0.1:3000';

/** `forge`'s --url, needed only when the gateway is not on forge's default (127.0.0.1:3000). */
const urlFlag = (gatewayUrl: string) => (gatewayUrl === DEFAULT_GATEWAY ? '' : ` --url ${gatewayUrl}`);

export function createTenantCommand(gatewayUrl: string, adminKeyRef: string): string {
  const env = adminKeyRef === '$FORGE_ADMIN_KEY' ? '' : `FORGE_ADMIN_KEY=${adminKeyRef} `;
  return `  ${env}npx forge tenant create acme${urlFlag(gatewayUrl)}`;
}

/** After a plain `npm run dev`: create a tenant, then connect a system. */
export function nextSteps(gatewayUrl: string, adminKeyRef: string): string {
  return [
    'Next, create a tenant; forge keeps its API key in ~/.config/forge/config.json (mode 0600):',
    '',
    createTenantCommand(gatewayUrl, adminKeyRef),
    '',
    'Then connect a system (`npx forge connect <system>` for an OAuth system, or POST /v1/connections,',
    `see ${gatewayUrl}/docs), or run \`npm run dev -- --sandboxes\` for a demo tenant connected to a`,
    'local sandbox of every system.',
    '',
  ].join('\n');
}

export const demoDir = path.join('.forgeworks', 'dev', 'demo');
const keyFile = path.join(demoDir, 'api.key');

/** The demo load of a system as `forge load` of its NDJSON file. */
export function firstLoadCommand(system: string, load: { object: string; operation: string; naturalKey: string }): string {
  const operation = load.operation === 'upsert' ? '' : ` --operation ${load.operation}`;
  return [
    `  npx forge load ${path.join(demoDir, `${system}-load.ndjson`)} \\`,
    `    --connection ${system}-sandbox --object ${load.object} --key ${load.naturalKey}${operation}`,
  ].join('\n');
}

/** After `npm run dev -- --sandboxes`: the demo tenant, each connection, a first load per system. */
export function demoSteps(gatewayUrl: string, demo: Demo): string {
  const lines = [
    `Demo tenant ${demo.tenantName} (${demo.tenantId}); its API key is in ${keyFile}. Use it with forge:`,
    '',
    `  npx forge login${urlFlag(gatewayUrl)} < ${keyFile}`,
    '',
    'One connection per sandbox, and a first load to try (a dry run, a question, then the write):',
    '',
  ];
  for (const c of demo.connections) {
    lines.push(`${c.system}: sandbox ${c.sandboxUrl}, ` + (c.connectionId ? `connection ${c.connectionId}` : `no connection: ${c.error}`));
    lines.push(`  POST /v1/connections ${JSON.stringify(c.connectionBody)}`);
    if (c.load && c.loadFile) {
      const n = c.load.records.length;
      const what = `${c.load.operation} ${n} record${n === 1 ? '' : 's'} in ${c.load.object}, keyed by ${c.load.naturalKey}`;
      lines.push(`  first load (${what}${c.load.guessed ? '; guessed from the connector\'s ObjectSpec, adjust it' : ''}):`);
      lines.push(firstLoadCommand(c.system, c.load));
    }
    lines.push('');
  }
  lines.push(
    'Follow a load with the id it prints, roll it back, and see the sandbox\'s state:',
    '',
    '  npx forge loads LOAD_ID',
    '  npx forge rollback LOAD_ID',
    '  curl -s SANDBOX_URL/__sandbox/state',
    '',
  );
  return lines.join('\n');
}

export const stopHint = 'Ctrl-C stops everything.\n';
