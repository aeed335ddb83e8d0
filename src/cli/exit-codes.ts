/** Exit codes a script can rely on (listed in `forge --help` and the README). */
export const ExitCode = {
  ok: 0,
  /** The operation ran and did not succeed: a load failed or partly failed, a rollback did not complete. */
  failed: 1,
  /** Bad arguments or bad input (a file, a CSV row, a field the gateway refused). */
  usage: 2,
  /** No API key, a refused key, an unsafe config file, or a gateway that cannot be reached. */
  auth: 3,
  /** No such connection, load or session for this tenant. */
  notFound: 4,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    the operation failed (a load failed or partly failed, a rollback did not complete)
  2    usage or bad input (arguments, the file, a field the gateway refused)
  3    auth or config (no or refused API key, config file readable by others, gateway unreachable)
  4    not found (no such connection, load or session)
  130  interrupted (Ctrl-C; a running load keeps running)`;

/** An error the CLI reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(readonly exitCode: ExitCodeValue, message: string, readonly code = 'error', readonly details?: unknown) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(ExitCode.usage, message, 'usage');
export const configError = (message: string) => new CliError(ExitCode.auth, message, 'config');
