import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { configError } from './exit-codes';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** What the CLI needs to reach the gateway; `apiKey` is never printed. */
export interface CliConfig {
  url: string;
  apiKey: string;
  /** Where each value came from, for `forge config` (never the key itself). */
  sources: { url: 'env' | 'file' | 'default'; apiKey: 'env' | 'file' };
  file: string;
}

const configFile = z.object({
  url: z.string().url().optional(),
  apiKey: z.string().min(1).optional(),
}).strict();

type ConfigFile = z.infer<typeof configFile>;

/** `FORGE_CONFIG`, else `$XDG_CONFIG_HOME/forge/config.json`, else `~/.config/forge/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FORGE_CONFIG) return path.resolve(env.FORGE_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'forge', 'config.json');
}

/**
 * Reads the config file if it exists. A file readable or writable by group or others is refused:
 * it holds an API key.
 */
export function readConfigFile(file: string): ConfigFile | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw configError(`${file} is open to group or others (mode ${mode.toString(8).padStart(4, '0')}); it holds an API key: run chmod 600 ${file}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw configError(`${file} is not valid JSON`);
  }
  const parsed = configFile.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw configError(`${file} is invalid at ${fields} (expected { "url": "...", "apiKey": "..." })`);
  }
  return parsed.data;
}

/** The environment (FORGE_URL, FORGE_API_KEY) over the config file; the file is read only when needed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const file = configPath(env);
  const fromFile = env.FORGE_URL && env.FORGE_API_KEY ? undefined : readConfigFile(file);
  const apiKey = env.FORGE_API_KEY || fromFile?.apiKey;
  if (!apiKey) throw configError(`no API key: set FORGE_API_KEY, or run \`forge login\` to save one in ${file}`);
  const url = env.FORGE_URL || fromFile?.url || DEFAULT_URL;
  return {
    url: url.replace(/\/+$/, ''),
    apiKey,
    sources: { url: env.FORGE_URL ? 'env' : fromFile?.url ? 'file' : 'default', apiKey: env.FORGE_API_KEY ? 'env' : 'file' },
    file,
  };
}

/** Writes the config file with mode 0600 (its folder 0700), replacing it atomically. */
export function writeConfigFile(file: string, value: ConfigFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}
