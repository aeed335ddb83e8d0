import type { Command } from 'commander';
import { ApiClient } from '../api-client';
import { configPath, DEFAULT_URL, readConfigFile, writeConfigFile } from '../config';
import type { CommandContext, Runner } from '../context';
import { configError, usageError } from '../exit-codes';
import { table } from '../output';
import { readSecret } from '../read-secret';

export function registerAccountCommands(program: Command, runner: Runner): void {
  program.command('login')
    .description('check an API key and save it with the gateway URL in the config file (mode 0600); the key is read from stdin or a hidden prompt, or FORGE_API_KEY')
    .option('--url <url>', `the gateway (default: FORGE_URL, the config file's, or ${DEFAULT_URL})`)
    .action(runner.action(login));

  program.command('config')
    .description('where the URL and API key come from (never the key itself)')
    .action(runner.action(showConfig));

  const tenant = program.command('tenant').description('tenants (admin key)');
  tenant.command('create')
    .description('create a tenant with the admin key (FORGE_ADMIN_KEY) and save its API key in the config file, without printing it')
    .argument('<name>', "the tenant's name")
    .option('--url <url>', 'the gateway')
    .option('--force', 'replace an API key already in the config file')
    .action(runner.action(createTenant));
}

function urlFrom(given: string | undefined, file: string): string {
  const url = given ?? process.env.FORGE_URL ?? readConfigFile(file)?.url ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw usageError(`--url ${url} is not a URL`);
  }
  return url.replace(/\/+$/, '');
}

async function login(ctx: CommandContext, opts: { url?: string }) {
  const file = configPath();
  const url = urlFrom(opts.url, file);
  const apiKey = process.env.FORGE_API_KEY || await readSecret('API key: ');
  if (!apiKey) throw configError('no API key given (pipe it on stdin, type it at the prompt, or set FORGE_API_KEY)');
  ctx.out.addSecret(apiKey);
  await new ApiClient(url, apiKey).get('/v1/connections');
  writeConfigFile(file, { url, apiKey });
  ctx.out.result({ url, configFile: file }, () => `logged in to ${url}; the key is saved in ${file} (mode 0600)`);
}

async function showConfig(ctx: CommandContext) {
  const config = ctx.config();
  const view = { url: config.url, urlFrom: config.sources.url, apiKey: 'set', apiKeyFrom: config.sources.apiKey, configFile: config.file };
  ctx.out.result(view, () => table(['SETTING', 'VALUE', 'FROM'], [
    ['url', config.url, config.sources.url], ['apiKey', '(set, not shown)', config.sources.apiKey], ['config file', config.file, ''],
  ]));
}

async function createTenant(ctx: CommandContext, name: string, opts: { url?: string; force?: boolean }) {
  const adminKey = process.env.FORGE_ADMIN_KEY;
  if (!adminKey) throw configError('creating a tenant needs the admin key in FORGE_ADMIN_KEY (`npm run dev` prints where it is)');
  ctx.out.addSecret(adminKey);
  const file = configPath();
  const existing = readConfigFile(file);
  if (existing?.apiKey && !opts.force) throw usageError(`${file} already holds an API key: pass --force to replace it`);
  const url = urlFrom(opts.url, file);
  const tenant = await new ApiClient(url, adminKey).post<{ id: string; name: string; apiKey: string }>('/v1/tenants', { name });
  ctx.out.addSecret(tenant.apiKey);
  writeConfigFile(file, { url, apiKey: tenant.apiKey });
  ctx.out.result({ id: tenant.id, name: tenant.name, configFile: file },
    () => `tenant ${tenant.id} (${tenant.name}) created; its API key is saved in ${file} (mode 0600) and shown nowhere else`);
}
