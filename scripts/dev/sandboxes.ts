import { startSandbox, type RunningSandbox } from '../../sandboxes/kit';
import { sandboxes } from '../../sandboxes/registry';
import { oauthClientEnvNames } from '../../src/platform/oauth-clients';

export interface DevSandbox {
  system: string;
  url: string;
  /** The OAuth app the sandbox knows, when its credentials name one: the platform's app for connect flows in dev. */
  oauthClient?: { clientId: string; clientSecret: string };
  stop(): Promise<void>;
}

/**
 * Starts every sandbox of the registry (so a system added there appears here) on free 127.0.0.1
 * ports, inside this process: they stop when it stops, whatever way it stops. A sandbox that keeps
 * its records in Postgres (Snowflake's) gets a schema of its own in the stack's database.
 */
export async function startAllSandboxes(databaseUrl?: string): Promise<DevSandbox[]> {
  const started: DevSandbox[] = [];
  try {
    for (const [system, definition] of Object.entries(sandboxes)) {
      const sandbox: RunningSandbox = await startSandbox(definition(), { port: 0, host: '127.0.0.1', databaseUrl });
      const { clientId, clientSecret } = sandbox.credentials().credentials;
      const oauthClient = typeof clientId === 'string' && typeof clientSecret === 'string' ? { clientId, clientSecret } : undefined;
      started.push({ system, url: sandbox.url, ...(oauthClient ? { oauthClient } : {}), stop: () => sandbox.stop() });
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
  return started;
}

/**
 * What the worker and gateway are told about the sandboxes: their base URLs, the hosts the
 * egress allowlist must admit for connections to reach them (FORGE_EGRESS_ALLOW: host names or
 * addresses, no ports; the sandboxes all listen on 127.0.0.1), and each sandbox's OAuth app as the
 * platform's (FORGE_OAUTH_<SYSTEM>_CLIENT_ID/_SECRET), so connect flows work against them.
 */
export function sandboxEnv(list: DevSandbox[]): Record<string, string> {
  if (list.length === 0) return {};
  const oauthApps = list.flatMap((s) => {
    if (!s.oauthClient) return [];
    const names = oauthClientEnvNames(s.system);
    return [[names.clientId, s.oauthClient.clientId], [names.clientSecret, s.oauthClient.clientSecret]];
  });
  return {
    FORGE_SANDBOX_URLS: list.map((s) => `${s.system}=${s.url}`).join(','),
    FORGE_EGRESS_ALLOW: [...new Set(list.map((s) => new URL(s.url).hostname))].join(','),
    ...Object.fromEntries(oauthApps),
  };
}
