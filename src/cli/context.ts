import type { Command } from 'commander';
import { ApiClient } from './api-client';
import { loadConfig, type CliConfig } from './config';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes';
import { Output } from './output';

/** What every command gets: where to write, and (read when first needed) the config and API client. */
export interface CommandContext {
  out: Output;
  json: boolean;
  config(): CliConfig;
  client(): ApiClient;
}

export type Action<A extends unknown[]> = (ctx: CommandContext, ...args: A) => Promise<ExitCodeValue | void>;

/** Runs commands and remembers the exit code of the one that ran. */
export class Runner {
  exitCode: ExitCodeValue = ExitCode.ok;
  /** The output of the command running (an error before any runs is printed plainly). */
  out = new Output(false, [process.env.FORGE_API_KEY, process.env.FORGE_ADMIN_KEY]);

  /** A commander action: builds the context from the global options and turns errors into exit codes. */
  action<A extends unknown[]>(fn: Action<A>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const json = Boolean(command.optsWithGlobals().json);
      const out = new Output(json, [process.env.FORGE_API_KEY, process.env.FORGE_ADMIN_KEY]);
      this.out = out;
      let config: CliConfig | undefined;
      let client: ApiClient | undefined;
      const ctx: CommandContext = {
        out,
        json,
        config: () => {
          if (!config) {
            config = loadConfig();
            out.addSecret(config.apiKey);
          }
          return config;
        },
        client: () => {
          if (!client) {
            const { url, apiKey } = ctx.config();
            client = new ApiClient(url, apiKey);
          }
          return client;
        },
      };
      try {
        this.exitCode = (await fn(ctx, ...(args.slice(0, -1) as A))) ?? ExitCode.ok;
      } catch (err) {
        this.fail(err);
      }
    };
  }

  fail(err: unknown): void {
    const error = err instanceof CliError ? err : new CliError(ExitCode.failed, unexpected(err), 'unexpected');
    this.out.error(error);
    this.exitCode = error.exitCode;
  }
}

function unexpected(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `unexpected error: ${message.split('\n')[0]}`;
}
