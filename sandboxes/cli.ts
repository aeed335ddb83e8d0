import { Command, InvalidArgumentError } from 'commander';
import { startSandbox } from './kit';
import { findSandbox, sandboxes } from './registry';

/** `npm run sandbox -- <system> [--port N] [--rate-limit]`: starts one sandbox until Ctrl-C. */
const program = new Command()
  .name('sandbox')
  .description(`Start a system's local sandbox (${Object.keys(sandboxes).join(', ')}).`)
  .argument('<system>', 'system id, e.g. hubspot')
  .option('-p, --port <port>', 'port to listen on (default: a free one)', parsePort)
  .option('--rate-limit', "enforce the system's documented rate limit (429 with its own body)", false)
  .action(async (system: string, options: { port?: number; rateLimit: boolean }) => {
    const factory = findSandbox(system);
    if (!factory) {
      program.error(`unknown system "${system}"; known: ${Object.keys(sandboxes).join(', ')}`);
      return;
    }
    const sandbox = await startSandbox(factory(), { port: options.port ?? 0, host: '127.0.0.1', enforceRateLimit: options.rateLimit });
    const { credentials, config } = sandbox.credentials();
    process.stdout.write(
      [
        `${system} sandbox listening on ${sandbox.url}${options.rateLimit ? ' (rate limit enforced)' : ''}`,
        `admin API: ${sandbox.url}/__sandbox/{state,seed,reset,credentials,faults,requests,clock}`,
        `credentials: ${JSON.stringify(credentials)}`,
        `config: ${JSON.stringify(config)}`,
        'Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    const shutdown = (): void => {
      void sandbox.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('port must be an integer between 0 and 65535');
  return port;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
