import crypto from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createGateway } from '../../src/gateway/create-app';
import type { AppConfig } from '../../src/platform/config';
import { startWorker, type RunningWorker } from '../../src/worker';
import { startSandbox, type RunningSandbox, type SandboxDefinition } from '../../sandboxes/kit';
import { findSandbox } from '../../sandboxes/registry';
import { testConfig, uniqueName } from '../helpers/stack';

/** The real gateway (serving the built console) and a real worker on the test stack, with one system's sandbox. */
export interface ConsoleStack {
  config: AppConfig;
  url: string;
  sandbox: RunningSandbox;
  /** Every sandbox started, by system. */
  sandboxes: Record<string, RunningSandbox>;
  createTenant(): Promise<{ id: string; apiKey: string }>;
  api(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The admin API of a sandbox (the first system's unless named). */
  admin(method: string, path: string, body?: unknown, system?: string): Promise<any>;
  stop(): Promise<void>;
}

/**
 * `definitions` replaces a system's registry sandbox with one built with its own options (a Slack
 * or Teams workspace whose people post with their own tokens).
 */
export async function startConsoleStack(systems: string[], definitions: Record<string, () => SandboxDefinition> = {}): Promise<ConsoleStack> {
  const config = testConfig({
    FORGE_ADMIN_KEY: `admin-${crypto.randomBytes(12).toString('hex')}`,
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
  });
  const sandboxes: Record<string, RunningSandbox> = {};
  for (const system of systems) {
    const definition = definitions[system] ?? findSandbox(system);
    if (!definition) throw new Error(`no sandbox for ${system}`);
    sandboxes[system] = await startSandbox(definition(), { databaseUrl: config.DATABASE_URL });
  }
  const sandbox = sandboxes[systems[0]];
  const stopSandboxes = async () => { for (const s of Object.values(sandboxes)) await s.stop().catch(() => {}); };
  let app: INestApplication | null = null;
  let worker: RunningWorker | null = null;
  try {
    app = await createGateway(config);
    await app.listen(0, '127.0.0.1');
    worker = await startWorker(config);
  } catch (err) {
    await worker?.shutdown().catch(() => {});
    await app?.close().catch(() => {});
    await stopSandboxes();
    throw err;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const api = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    config, url, sandbox, sandboxes, api,
    async createTenant() {
      const res = await api(config.FORGE_ADMIN_KEY!, 'POST', '/v1/tenants', { name: uniqueName('console') });
      if (res.status !== 201) throw new Error(`tenant creation answered ${res.status}`);
      return res.body;
    },
    async admin(method, path, body, system) {
      const res = await fetch(`${(system ? sandboxes[system] : sandbox).url}/__sandbox/${path}`, {
        method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return text ? JSON.parse(text) : undefined;
    },
    async stop() {
      await worker?.shutdown().catch(() => {});
      await app?.close().catch(() => {});
      await stopSandboxes();
    },
  };
}
