import { randomUUID } from 'node:crypto';
import type { ConnectorContext, ConnectorDefinition } from '../../src/connectors/contract';
import { buildConnectorContext } from '../../src/connectors/context';
import type { CredentialStore, Credentials } from '../../src/platform/credentials/store';
import type { RequestBudgetStore } from '../../src/platform/rate-budget';

/**
 * Credentials kept in memory, for connector tests that exercise a connector against its sandbox
 * and not the stores (those have their own tests against real Vault and Postgres).
 */
export class InMemoryCredentialStore implements CredentialStore {
  private readonly values = new Map<string, Credentials>();
  async get(tenantId: string, connectionId: string): Promise<Credentials | null> {
    return this.values.get(`${tenantId}/${connectionId}`) ?? null;
  }
  async put(tenantId: string, connectionId: string, credentials: Credentials): Promise<void> {
    this.values.set(`${tenantId}/${connectionId}`, { ...credentials });
  }
  async delete(tenantId: string, connectionId: string): Promise<void> {
    this.values.delete(`${tenantId}/${connectionId}`);
  }
}

/**
 * A connection to a sandbox, built through the connector's definition exactly as activities build
 * it, with the sandbox's own credentials (GET /__sandbox/credentials). Fresh ids each time, so no
 * token cache is shared between tests. Given the budgets table, its requests draw on the budget.
 */
export async function connectToSandbox(def: ConnectorDefinition, sandboxUrl: string,
  budgets?: RequestBudgetStore): Promise<ConnectorContext & { store: InMemoryCredentialStore }> {
  const res = await fetch(`${sandboxUrl}/__sandbox/credentials`);
  const { credentials, config } = (await res.json()) as { credentials: Credentials; config: Record<string, unknown> };
  const store = new InMemoryCredentialStore();
  const tenantId = `t-${randomUUID()}`;
  const connectionId = `c-${randomUUID()}`;
  await store.put(tenantId, connectionId, credentials);
  return { ...buildConnectorContext(def, { tenantId, connectionId, config: def.config.parse(config) }, store, budgets), store };
}

/** The sandbox admin API (/__sandbox/*) as tests call it: the answer's JSON body. `baseUrl` is read at each call (sandboxes start in beforeAll). */
export function sandboxAdmin(baseUrl: () => string): (method: string, path: string, body?: unknown) => Promise<any> {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl()}/__sandbox/${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };
}
