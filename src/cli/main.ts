import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './commands/account';
import { registerConnectionCommands } from './commands/connections';
import { registerLoadCommands } from './commands/loads';
import { registerStreamCommands } from './commands/stream';
import { Runner } from './context';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes';
import { exitOnInterrupt } from './interrupt';

const CONFIG_HELP = `Configuration: FORGE_URL and FORGE_API_KEY, over the config file
(FORGE_CONFIG, else ~/.config/forge/config.json: { "url", "apiKey" }, mode 0600 or it is refused).`;

export function buildProgram(runner: Runner): Command {
  const program = new Command('forge')
    .description('Forgeworks from a terminal: connect systems, load files with a dry run and a progress bar, roll back, read the Stream')
    .option('--json', 'print machine-readable JSON only on stdout (no progress bar, no question)')
    .showHelpAfterError('(forge --help lists the commands)')
    .addHelpText('after', `\n${CONFIG_HELP}\n\n${EXIT_CODES_HELP}`)
    .exitOverride();
  registerAccountCommands(program, runner);
  registerConnectionCommands(program, runner);
  registerLoadCommands(program, runner);
  registerStreamCommands(program, runner);
  return program;
}

/** Runs the CLI on `argv` (process.argv's shape) and answers its exit code. */
export async function main(argv: string[]): Promise<number> {
  const runner = new Runner();
  exitOnInterrupt(() => runner.out);
  const program = buildProgram(runner);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are answers; anything else commander refused is a usage error (already printed).
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    runner.fail(err);
  }
  return runner.exitCode;
}
