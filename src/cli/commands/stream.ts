import type { Command } from 'commander';
import type { Capture, StreamEvent, StreamPage } from '../api-types';
import type { CommandContext, Runner } from '../context';
import { usageError } from '../exit-codes';
import { messageOf, table } from '../output';
import { resolveConnection } from '../resolve';
import { sleep } from '../sleep';

interface StreamOptions {
  connection: string;
  object?: string;
  op?: string;
  after: string;
  limit: string;
  follow?: boolean;
  interval: string;
}

export function registerStreamCommands(program: Command, runner: Runner): void {
  program.command('stream')
    .description("read a connection's captured change events in offset order; --follow keeps reading new ones")
    .requiredOption('--connection <connection>', 'connection id or name')
    .option('--object <object>', 'only this object')
    .option('--op <op>', 'only upsert or delete events')
    .option('--after <offset>', 'events after this offset', '0')
    .option('--limit <n>', 'events per page (1..1000)', '100')
    .option('-f, --follow', 'keep polling for new events (Ctrl-C stops; with --json, one event per line)')
    .option('--interval <ms>', 'how often --follow polls', '2000')
    .action(runner.action(readStream));

  program.command('captures')
    .description("the tenant's captures: status, events captured, lag, last error")
    .action(runner.action(listCaptures));

  program.command('capture')
    .description("start capturing an object of a connection into the Stream (read it with `forge stream`)")
    .argument('<connection>', 'connection id or name')
    .argument('<object>', "the system's object")
    .option('--interval <seconds>', 'seconds between polls (1..86400)', '60')
    .action(runner.action(startCapture));

  program.command('uncapture')
    .description('stop a capture for good (its events stay in the Stream)')
    .argument('<capture>', 'a capture id')
    .action(runner.action(stopCapture));
}

async function startCapture(ctx: CommandContext, ref: string, object: string, opts: { interval: string }) {
  if (!/^\d+$/.test(opts.interval)) throw usageError('--interval must be a whole number of seconds');
  const client = ctx.client();
  const connection = await resolveConnection(client, ref);
  const { id } = await client.post<{ id: string }>('/v1/captures', { connectionId: connection.id, object, intervalSeconds: Number(opts.interval) });
  ctx.out.result({ id, connectionId: connection.id, object }, () => `capture ${id} started: ${connection.name} ${object} every ${opts.interval}s; \`forge stream --connection ${connection.name} --follow\``);
}

async function stopCapture(ctx: CommandContext, id: string) {
  await ctx.client().send('DELETE', `/v1/captures/${encodeURIComponent(id)}`);
  ctx.out.result({ id, status: 'stopped' }, () => `capture ${id} stopped`);
}

function eventLine(e: StreamEvent): string {
  return `${e.offset}\t${e.occurredAt}\t${e.object}\t${e.op}\t${e.recordId}`;
}

async function readStream(ctx: CommandContext, opts: StreamOptions) {
  const interval = Number(opts.interval);
  if (!Number.isInteger(interval) || interval < 100) throw usageError('--interval must be a whole number of milliseconds, at least 100');
  if (!/^\d+$/.test(opts.after)) throw usageError('--after must be an offset (a non-negative integer)');
  const client = ctx.client();
  const connection = await resolveConnection(client, opts.connection);
  const query = { connectionId: connection.id, object: opts.object, op: opts.op, limit: opts.limit };
  if (!opts.follow) {
    const page = await client.get<StreamPage>('/v1/stream', { ...query, after: opts.after });
    ctx.out.result(page, () => page.events.length === 0 ? 'no events' : table(
      ['OFFSET', 'OCCURRED', 'OBJECT', 'OP', 'RECORD'], page.events.map((e) => [e.offset, e.occurredAt, e.object, e.op, e.recordId]),
    ) + (page.next !== undefined ? `\nmore: forge stream --connection ${opts.connection} --after ${page.next}` : ''));
    return;
  }
  ctx.out.note(`following the Stream of ${connection.name} (Ctrl-C stops)`);
  let after = opts.after;
  for (;;) {
    const page = await client.get<StreamPage>('/v1/stream', { ...query, after });
    for (const event of page.events) {
      if (ctx.json) ctx.out.jsonLine(event);
      else ctx.out.line(eventLine(event));
    }
    const last = page.events[page.events.length - 1];
    if (last) after = String(last.offset);
    if (page.next === undefined) await sleep(interval);
  }
}

async function listCaptures(ctx: CommandContext) {
  const { captures } = await ctx.client().get<{ captures: Capture[] }>('/v1/captures');
  ctx.out.result({ captures }, () => captures.length === 0 ? 'no captures' : table(
    ['ID', 'CONNECTOR', 'OBJECT', 'STATUS', 'EVERY', 'EVENTS', 'LAG', 'LAST POLL', 'LAST ERROR'],
    captures.map((c) => [c.id, c.connector, c.object, c.status, `${c.intervalSeconds}s`, c.eventsCaptured,
      c.lagSeconds === undefined || c.lagSeconds === null ? '' : `${c.lagSeconds}s`, c.lastPollAt, messageOf(c.lastError)]),
  ));
}

