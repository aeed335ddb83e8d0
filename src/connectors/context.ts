import type { Credentials, CredentialStore } from '../platform/credentials/store';
import { ConnectorError } from '../platform/errors';
import type { ConnectorContext, ConnectorDefinition } from './contract';

export interface ConnectionIdentity {
  tenantId: string;
  connectionId: string;
  config: Record<string, unknown>;
}

/**
 * The context a connector works in: credentials are read from the store at each call (never
 * cached here), and the HTTP client is built by the connector from the rest of the context.
 */
export function buildConnectorContext(def: ConnectorDefinition, connection: ConnectionIdentity, store: CredentialStore): ConnectorContext {
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
  return { ...withoutHttp, http: def.http(withoutHttp) };
}
