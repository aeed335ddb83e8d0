/** A connection's credentials, in the connector's own shape (validated by its AuthSpec schema). */
export type Credentials = Record<string, unknown>;

/**
 * Where credentials live, per tenant and connection. Implementations: VaultCredentialStore
 * (primary), PostgresCredentialStore (encrypted copy), FailoverCredentialStore (both).
 * Every value returned by get() is registered with the redactor before it is returned.
 */
export interface CredentialStore {
  get(tenantId: string, connectionId: string): Promise<Credentials | null>;
  put(tenantId: string, connectionId: string, credentials: Credentials): Promise<void>;
  delete(tenantId: string, connectionId: string): Promise<void>;
}
