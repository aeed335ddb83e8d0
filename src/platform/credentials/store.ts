/** A connection's credentials, in the connector's own shape (validated by its AuthSpec schema). */
export type Credentials = Record<string, unknown>;

/**
 * Where credentials live, per tenant and connection. Implementations: VaultCredentialStore
 * (primary), PostgresCredentialStore (encrypted copy), FailoverCredentialStore (both).
 * Stores do not register secrets with the scrubber: they do not know which fields are secret. The
 * auth plug-ins do, per the auth schema (readCredentials), in the scope of the work that reads them.
 */
export interface CredentialStore {
  get(tenantId: string, connectionId: string): Promise<Credentials | null>;
  put(tenantId: string, connectionId: string, credentials: Credentials): Promise<void>;
  delete(tenantId: string, connectionId: string): Promise<void>;
}
