import { CliError, ExitCode } from './exit-codes';
import type { Output } from './output';

let explain: (() => CliError) | undefined;

/** While `fn`'s work runs, Ctrl-C reports the error `explain` answers (a running load's id and how to cancel it). */
export function explainInterrupt(fn: () => CliError): () => void {
  explain = fn;
  return () => {
    if (explain === fn) explain = undefined;
  };
}

/** Ctrl-C exits 130 at once, saying why when a command asked to (else silently: `stream --follow` ends so). */
export function exitOnInterrupt(output: () => Output): void {
  process.on('SIGINT', () => {
    if (explain) {
      process.stderr.write('\n');
      output().error(explain());
    }
    process.exit(ExitCode.interrupted);
  });
}
