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

export function createTenantCurl(gatewayUrl: string, adminKeyRef: string): string {
  return [
    `  curl -s -X POST ${gatewayUrl}/v1/tenants \\`,
    `    -H "Authorization: Bearer ${adminKeyRef}" \\`,
    `    -H "Content-Type: application/json" -d '{"name":"acme"}'`,
  ].join('\n');
}

/** After a plain `npm run dev`: create a tenant, then connect a system. */
export function nextSteps(gatewayUrl: string, adminKeyRef: string): string {
  return [
    'Next, create a tenant (its API key is shown once):',
    '',
    createTenantCurl(gatewayUrl, adminKeyRef),
    '',
    `Then connect a system with the tenant's key (POST /v1/connections, see ${gatewayUrl}/docs),`,
    'or run `npm run dev -- --sandboxes` for a demo tenant connected to a local sandbox of every system.',
    '',
  ].join('\n');
}

export const demoDir = path.join('.forgeworks', 'dev', 'demo');
const keyRef = `$(cat ${path.join(demoDir, 'api.key')})`;

export function firstLoadCurl(gatewayUrl: string, system: string): string {
  return [
    `  curl -s -X POST ${gatewayUrl}/v1/loads \\`,
    `    -H "Authorization: Bearer ${keyRef}" \\`,
    `    -H "Content-Type: application/json" -d @${path.join(demoDir, `${system}-load.json`)}`,
  ].join('\n');
}

/** After `npm run dev -- --sandboxes`: the demo tenant, each connection, a first load per system. */
export function demoSteps(gatewayUrl: string, demo: Demo): string {
  const lines = [
    `Demo tenant ${demo.tenantName} (${demo.tenantId}); its API key is in ${path.join(demoDir, 'api.key')}.`,
    'One connection per sandbox, and a first load to try:',
    '',
  ];
  for (const c of demo.connections) {
    lines.push(`${c.system}: sandbox ${c.sandboxUrl}, ` + (c.connectionId ? `connection ${c.connectionId}` : `no connection: ${c.error}`));
    lines.push(`  POST /v1/connections ${JSON.stringify(c.connectionBody)}`);
    if (c.load && c.loadFile) {
      const n = c.load.records.length;
      const what = `${c.load.operation} ${n} record${n === 1 ? '' : 's'} in ${c.load.object}, keyed by ${c.load.naturalKey}`;
      lines.push(`  first load (${what}${c.load.guessed ? '; guessed from the connector\'s ObjectSpec, adjust it' : ''}):`);
      lines.push(firstLoadCurl(gatewayUrl, c.system));
    }
    lines.push('');
  }
  lines.push(
    'Follow a load with the id it answers, and see what it wrote in the sandbox:',
    '',
    `  curl -s ${gatewayUrl}/v1/loads/LOAD_ID -H "Authorization: Bearer ${keyRef}"`,
    '  curl -s SANDBOX_URL/__sandbox/state',
    '',
  );
  return lines.join('\n');
}

export const stopHint = 'Ctrl-C stops everything.\n';
