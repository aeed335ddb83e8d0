import confirm from '@inquirer/confirm';
import { Option, type Command } from 'commander';
import type { ApiClient } from '../api-client';
import type { Load, LoadListing } from '../api-types';
import type { CommandContext, Runner } from '../context';
import { CliError, ExitCode, usageError, type ExitCodeValue } from '../exit-codes';
import { explainInterrupt } from '../interrupt';
import { recordFile, type RecordFile } from '../load-file';
import { watchLoad, type WatchKind } from '../load-progress';
import { failuresByField, renderReport, succeeded, type FieldFailures } from '../load-report';
import { table } from '../output';
import { resolveConnection } from '../resolve';

interface LoadOptions {
  connection: string;
  object: string;
  key?: string;
  operation: string;
  dryRun?: boolean;
  yes?: boolean;
  onError: string;
  verify: boolean;
  rollbackWindow?: string;
  format?: string;
  interval: string;
}

interface WaitOptions {
  wait: boolean;
  interval: string;
}

export function registerLoadCommands(program: Command, runner: Runner): void {
  program.command('load')
    .description('load a CSV or NDJSON file into a system: a dry run first, its summary, a question, then the write with a progress bar')
    .argument('<file>', 'a .csv (header row of field names) or .ndjson/.jsonl file (one JSON record per line)')
    .requiredOption('--connection <connection>', 'connection id or name')
    .requiredOption('--object <object>', "the system's object (contacts, accounts, ...)")
    .option('--key <field>', "the natural key field (default: the object's first)")
    .addOption(new Option('--operation <operation>', 'what to do with each record').choices(['upsert', 'create', 'update', 'delete']).default('upsert'))
    .option('--dry-run', 'plan only: show what would change, write nothing')
    .option('-y, --yes', 'write without the dry run and the question (for scripts)')
    .addOption(new Option('--on-error <policy>', 'rollback: undo everything on a failure; continue: keep the good records').choices(['rollback', 'continue']).default('rollback'))
    .option('--no-verify', 'skip reading back what was written')
    .option('--rollback-window <seconds>', 'how long a rollback stays possible after completion')
    .addOption(new Option('--format <format>', 'the file format, when its extension does not tell').choices(['csv', 'ndjson']))
    .option('--interval <ms>', 'how often to poll the load', '500')
    .action(runner.action(runLoad));

  program.command('loads')
    .description("the tenant's loads, newest first; with an id, that load's report")
    .argument('[load]', 'a load id')
    .option('--limit <n>', 'how many loads', '20')
    .action(runner.action(listLoads));

  const signals = {
    rollback: 'roll back a completed load within its rollback window, and wait until the system is restored',
    cancel: 'cancel a pending or running load (what it wrote is rolled back), and wait until it stops',
  } as const;
  for (const [signal, description] of Object.entries(signals) as Array<[keyof typeof signals, string]>) {
    program.command(signal)
      .description(description)
      .argument('<load>', 'a load id')
      .option('--no-wait', `return once the ${signal} is asked for`)
      .option('--interval <ms>', 'how often to poll the load', '500')
      .action(runner.action((ctx, id: string, opts: WaitOptions) => signalLoad(ctx, id, signal, opts)));
  }
}

function intervalOf(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 50) throw usageError('--interval must be a whole number of milliseconds, at least 50');
  return ms;
}

/** The streamed POST /v1/loads for one pass over the file. */
async function startLoad(client: ApiClient, file: RecordFile, connectionId: string, opts: LoadOptions, dryRun: boolean): Promise<string> {
  const query = {
    connectionId, object: opts.object, operation: opts.operation, naturalKey: opts.key,
    dryRun, verify: opts.verify, onError: opts.onError, rollbackWindowSeconds: opts.rollbackWindow,
  };
  try {
    const { id } = await client.postStream<{ id: string }>('/v1/loads', query, file.open(), file.contentType);
    return id;
  } catch (err) {
    // A bad line is named by the gateway ("line 3, column age: ..."): say which file.
    if (err instanceof CliError && err.code === 'validation_failed' && /^(line |body)/.test(err.message)) {
      throw new CliError(err.exitCode, `${file.name}: ${err.message}`, err.code, err.details);
    }
    throw err;
  }
}

async function runLoad(ctx: CommandContext, path: string, opts: LoadOptions) {
  const interval = intervalOf(opts.interval);
  if (opts.rollbackWindow !== undefined && !/^\d+$/.test(opts.rollbackWindow)) throw usageError('--rollback-window must be a number of seconds');
  const file = recordFile(path, opts.format);
  const live = !opts.dryRun;
  if (live && !opts.yes) {
    if (ctx.json) throw usageError('--json cannot ask before writing: pass --yes to write, or --dry-run to plan only');
    if (!process.stdin.isTTY) throw usageError('stdin is not a terminal, so forge cannot ask before writing: pass --yes to write, or --dry-run to plan only');
  }
  const client = ctx.client();
  const connection = await resolveConnection(client, opts.connection);
  const bar = !ctx.json && process.stderr.isTTY === true;

  if (!live || !opts.yes) {
    ctx.out.note(`dry run: sending ${file.name} (${formatBytes(file.bytes)}) to ${connection.name}...`);
    const planId = await startLoad(client, file, connection.id, opts, true);
    const plan = await watchLoad(client, planId, { kind: 'run', bar, intervalMs: interval });
    const planFailures = await failuresByField(client, planId);
    if (!live || !succeeded(plan)) return report(ctx, plan, planFailures, !live && succeeded(plan), live ? 'nothing was written' : undefined);
    ctx.out.line(renderReport(plan, planFailures));
    const n = plan.counts.total;
    const go = await ask(`Write ${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'} to ${connection.name} ${opts.object}?`);
    if (!go) throw new CliError(ExitCode.failed, 'not confirmed: nothing was written', 'not_confirmed');
  }

  ctx.out.note(`sending ${file.name} (${formatBytes(file.bytes)}) to ${connection.name}...`);
  let loadId: string | undefined;
  const stopOnInterrupt = onInterrupt(() => loadId);
  try {
    loadId = await startLoad(client, file, connection.id, opts, false);
    ctx.out.note(`load ${loadId} started`);
    const load = await watchLoad(client, loadId, { kind: 'run', bar, intervalMs: interval });
    return report(ctx, load, await failuresByField(client, loadId), succeeded(load));
  } finally {
    stopOnInterrupt();
  }
}

/** Ctrl-C while a load runs: leave it running, say how to cancel it. */
function onInterrupt(loadId: () => string | undefined): () => void {
  return explainInterrupt(() => {
    const id = loadId();
    const message = id
      ? `interrupted: load ${id} keeps running; cancel it with \`forge cancel ${id}\`, follow it with \`forge loads ${id}\``
      : 'interrupted while sending the file: `forge loads` shows whether the load was stored';
    return new CliError(ExitCode.interrupted, message, 'interrupted', id ? { loadId: id } : undefined);
  });
}

async function ask(message: string): Promise<boolean> {
  try {
    return await confirm({ message, default: false }, { output: process.stderr });
  } catch (err) {
    if (err instanceof Error && err.name === 'ExitPromptError') throw new CliError(ExitCode.interrupted, 'interrupted: nothing was written', 'interrupted');
    throw err;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function listLoads(ctx: CommandContext, id: string | undefined, opts: { limit: string }) {
  const client = ctx.client();
  if (id) {
    const load = await client.get<Load>(`/v1/loads/${encodeURIComponent(id)}`);
    const failures = await failuresByField(client, id);
    ctx.out.result({ load, failuresByField: failures }, () => renderReport(load, failures));
    return;
  }
  if (!/^\d+$/.test(opts.limit)) throw usageError('--limit must be a number');
  const { loads } = await client.get<{ loads: LoadListing[] }>('/v1/loads', { limit: opts.limit });
  ctx.out.result({ loads }, () => loads.length === 0 ? 'no loads yet: `forge load <file> --connection ... --object ...`' : table(
    ['ID', 'STATUS', 'CONNECTOR', 'OBJECT', 'OPERATION', 'RECORDS', 'DRY RUN', 'CREATED', 'ROLLBACK UNTIL'],
    loads.map((l) => [l.id, l.status, l.connector, l.object, l.operation, l.recordCount, l.dryRun ? 'yes' : '', l.createdAt, l.rollbackUntil]),
  ));
}

async function signalLoad(ctx: CommandContext, id: string, signal: 'rollback' | 'cancel', opts: WaitOptions) {
  const interval = intervalOf(opts.interval);
  const client = ctx.client();
  const asked = await client.post<{ id: string; status: string; signal: string }>(`/v1/loads/${encodeURIComponent(id)}/${signal}`);
  if (!opts.wait) {
    ctx.out.result(asked, () => `${signal} of load ${id} asked (it was ${asked.status})`);
    return;
  }
  ctx.out.note(`${signal === 'rollback' ? 'rolling back' : 'cancelling'} load ${id}...`);
  const kind: WatchKind = signal === 'rollback' ? 'rollback' : 'run';
  const stopOnInterrupt = explainInterrupt(() => new CliError(ExitCode.interrupted,
    `interrupted: the ${signal} of load ${id} goes on without forge; follow it with \`forge loads ${id}\``, 'interrupted', { loadId: id }));
  let load: Load;
  try {
    load = await watchLoad(client, id, { kind, bar: !ctx.json && process.stderr.isTTY === true, intervalMs: interval });
  } finally {
    stopOnInterrupt();
  }
  const wanted = signal === 'rollback' ? 'rolled_back' : 'cancelled';
  report(ctx, load, await failuresByField(client, id), load.status === wanted, `it is ${load.status}, not ${wanted}`);
}

/**
 * A settled load's report: on success the result (0); otherwise the report for a person and a
 * one-line reason (exit 1), the JSON answer then carrying the load under `error`.
 */
function report(ctx: CommandContext, load: Load, failures: FieldFailures[], ok: boolean, outcome?: string): ExitCodeValue {
  if (ok) {
    ctx.out.result({ load, failuresByField: failures }, () => renderReport(load, failures));
    return ExitCode.ok;
  }
  if (!ctx.json) ctx.out.line(renderReport(load, failures));
  const fields = failures.slice(0, 3).map((f) => `${f.field}: ${f.records}`).join(', ');
  const what = `${load.dryRun ? 'dry run' : 'load'} ${load.id} ${load.status}`;
  const detail = load.counts.failed > 0 ? ` with ${load.counts.failed} failed records${fields ? ` (${fields})` : ''}` : '';
  throw new CliError(ExitCode.failed, `${what}${detail}${outcome ? `: ${outcome}` : ''}`, `load_${load.status}`, { load, failuresByField: failures });
}
