import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { ApiClient } from '../api-client';
import { terminalSessionStatuses, type Connection, type ConnectionTest, type ConnectSession } from '../api-types';
import type { CommandContext, Runner } from '../context';
import { CliError, ExitCode, usageError } from '../exit-codes';
import { explainInterrupt } from '../interrupt';
import { table } from '../output';
import { resolveConnection } from '../resolve';
import { sleep } from '../sleep';

interface ConnectOptions {
  name?: string;
  config: string[];
  open?: boolean;
  interval: string;
}

export function registerConnectionCommands(program: Command, runner: Runner): void {
  program.command('connections')
    .description("list the tenant's connections (never their credentials)")
    .action(runner.action(listConnections));

  program.command('test')
    .description("check a connection's stored credentials against its system")
    .argument('<connection>', 'connection id or name')
    .action(runner.action(testConnection));

  program.command('connect')
    .description('connect a system through its OAuth consent page: prints the authorization URL and waits for the connection')
    .argument('<system>', 'connector id (hubspot, salesforce, ...)')
    .option('--name <name>', 'name of the new connection (default: the system)')
    .option('--config <key=value>', 'connection config value (repeatable)', collect, [])
    .option('--open', 'also open the URL in a browser')
    .option('--interval <seconds>', 'how often to check the session', '2')
    .action(runner.action(connect));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function listConnections(ctx: CommandContext) {
  const { connections } = await ctx.client().get<{ connections: Connection[] }>('/v1/connections');
  ctx.out.result({ connections }, () => connections.length === 0
    ? 'no connections yet: `forge connect <system>`'
    : table(['ID', 'CONNECTOR', 'NAME', 'CREATED'], connections.map((c) => [c.id, c.connector, c.name, c.createdAt])));
}

async function testConnection(ctx: CommandContext, ref: string) {
  const client = ctx.client();
  const connection = await resolveConnection(client, ref);
  const result = await client.post<ConnectionTest>(`/v1/connections/${encodeURIComponent(connection.id)}/test`);
  if (!result.ok) {
    throw new CliError(ExitCode.failed, `${connection.name} (${connection.id}) failed its check: ${result.error.kind}: ${result.error.message}`,
      'check_failed', { connectionId: connection.id, kind: result.error.kind });
  }
  ctx.out.result({ connectionId: connection.id, ok: true }, () => `${connection.name} (${connection.id}): ok`);
}

/** `key=value` pairs as a config object; values that read as JSON (numbers, booleans) are typed. */
export function parseConfigPairs(pairs: string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`--config ${pair}: expected key=value`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    config[pair.slice(0, at)] = value;
  }
  return config;
}

async function connect(ctx: CommandContext, system: string, opts: ConnectOptions) {
  const interval = Number(opts.interval);
  if (!Number.isFinite(interval) || interval <= 0) throw usageError('--interval must be a positive number of seconds');
  const client = ctx.client();
  const session = await client.post<ConnectSession>('/v1/connect/sessions', {
    connector: system, name: opts.name ?? system, config: parseConfigPairs(opts.config),
  });
  if (!session.authorizationUrl) throw new CliError(ExitCode.failed, `the gateway opened session ${session.id} without an authorization URL`);
  ctx.out.note(`Open this URL to authorize ${system} (the session expires ${session.expiresAt ?? 'soon'}):\n\n  ${session.authorizationUrl}\n`);
  if (opts.open) openBrowser(session.authorizationUrl);
  ctx.out.note('Waiting for the authorization... (Ctrl-C to stop waiting)');
  const stopOnInterrupt = explainInterrupt(() => new CliError(ExitCode.interrupted,
    `interrupted: stopped waiting for session ${session.id}; authorize before ${session.expiresAt ?? 'it expires'} and \`forge connections\` will list the connection`,
    'interrupted', { sessionId: session.id }));
  let final: ConnectSession;
  try {
    final = await waitForSession(client, session.id, interval * 1000);
  } finally {
    stopOnInterrupt();
  }
  if (final.status !== 'connected') {
    const reason = typeof final.error === 'string' ? final.error : final.error?.message;
    throw new CliError(ExitCode.failed, `${system} was not connected: the session is ${final.status}${reason ? ` (${reason})` : ''}`,
      `session_${final.status}`, { sessionId: final.id });
  }
  ctx.out.result(final, () => `connected: ${final.connectionId}`);
}

async function waitForSession(client: ApiClient, id: string, intervalMs: number): Promise<ConnectSession> {
  for (;;) {
    const session = await client.get<ConnectSession>(`/v1/connect/sessions/${encodeURIComponent(id)}`);
    if ((terminalSessionStatuses as readonly string[]).includes(session.status)) return session;
    await sleep(intervalMs);
  }
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => { /* no browser here: the URL is printed above */ });
  child.unref();
}
