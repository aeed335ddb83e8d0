import type { Credentials, CredentialStore } from '../platform/credentials/store';
import { ConnectorError } from '../platform/errors';
import { bucketOf, ConnectionBudget, costBucketOf, withRequestBudget, type RateLimit, type RequestBudgetStore } from '../platform/rate-budget';
import type { ConnectorContext, ConnectorDefinition } from './contract';

export interface ConnectionIdentity {
  tenantId: string;
  connectionId: string;
  config: Record<string, unknown>;
  /** The connection's own limits (null or absent: its connector's documented ones; []: none). */
  rateLimits?: Array<Omit<RateLimit, 'remaining'>> | null;
}

/**
 * The context a connector works in: credentials are read from the store at each call (never
 * cached here), and the HTTP client is built by the connector from the rest of the context. Given
 * the budgets table, every request of that client waits for its turn in the connection's budget
 * (its request limits and, where the system charges by cost, its bucket of points).
 */
export function buildConnectorContext(def: ConnectorDefinition, connection: ConnectionIdentity, store: CredentialStore,
  budgets?: RequestBudgetStore): ConnectorContext {
  const withoutHttp: Omit<ConnectorContext, 'http'> = {
    tenantId: connection.tenantId,
    connectionId: connection.connectionId,
    config: connection.config,
    credentials: async () => {
      const credentials = await store.get(connection.tenantId, connection.connectionId);
      if (!credentials) {
        throw new ConnectorError({
          kind: 'permanent',
          system: def.id,
          message: `no credentials are stored for connection ${connection.connectionId}: create the connection again with its credentials`,
        });
      }
      return credentials;
    },
    saveCredentials: (updated: Credentials) => store.put(connection.tenantId, connection.connectionId, updated),
  };
  const http = def.http(withoutHttp);
  // A connection declaring no limits ([]) opts out of pacing altogether, the cost bucket included.
  const paced = !(connection.rateLimits && connection.rateLimits.length === 0);
  const buckets = [...connectionLimits(def, connection).map(bucketOf), ...(def.costLimit && paced ? [costBucketOf(def.costLimit)] : [])];
  if (!budgets || buckets.length === 0) return { ...withoutHttp, http };
  const budget = new ConnectionBudget(budgets, connection.connectionId, buckets, def.id);
  return { ...withoutHttp, http: withRequestBudget(http, budget) };
}

/** A connection's own limits keep the header reader its connector declares for the same window. */
function connectionLimits(def: ConnectorDefinition, connection: ConnectionIdentity): RateLimit[] {
  const declared = def.rateLimitsFor?.(connection.config) ?? def.rateLimits ?? [];
  if (!connection.rateLimits) return declared;
  return connection.rateLimits.map((own) => {
    const remaining = declared.find((d) => d.perSeconds === own.perSeconds)?.remaining;
    return remaining ? { ...own, remaining } : { ...own };
  });
}
