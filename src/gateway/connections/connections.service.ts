import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { buildConnectorContext } from '../../connectors/context';
import { findConnector } from '../../connectors/registry';
import { connectionKey, sharedAccessTokens, sharedSessions } from '../../platform/auth';
import type { CredentialStore } from '../../platform/credentials/store';
import { ConnectionsRepository, isUniqueViolation, type ConnectionRow } from '../../platform/db/repositories/connections';
import { RequestBudgetStore } from '../../platform/rate-budget';
import { conflict, notFound, validationFailed } from '../errors/api-error';
import { connectorFailureKind, failureReason, storageUnavailable } from '../errors/platform-failures';
import { CREDENTIAL_STORE, GATEWAY_LOGGER, PG_POOL } from '../tokens';
import { validateConnectionBody, validateReplacementCredentials } from './connection-body';

export interface ConnectionView {
  id: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  /** Present when the connection declared its own request limits. */
  rateLimits?: ConnectionRow['rateLimits'];
  createdAt: string;
}

export type ConnectionTestResult = { ok: true } | { ok: false; error: { kind: string; message: string } };

function toView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id, connector: row.connector, name: row.name, config: row.config,
    ...(row.rateLimits ? { rateLimits: row.rateLimits } : {}), createdAt: row.createdAt.toISOString(),
  };
}

@Injectable()
export class ConnectionsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
    @Inject(CREDENTIAL_STORE) private readonly store: CredentialStore,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Credentials first, then the row: no database client is held while the credential store works
   * (it needs clients of its own, and holding one here deadlocked the pool under concurrency). A
   * row that cannot be written takes its stored credentials away again.
   */
  async create(tenantId: string, body: unknown): Promise<{ id: string }> {
    const checked = validateConnectionBody(body);
    if ('problems' in checked) throw validationFailed(checked.problems);
    const { def, name, credentials, config, rateLimits } = checked.valid;
    const id = `cn_${crypto.randomBytes(10).toString('hex')}`;
    try {
      await this.store.put(tenantId, id, credentials);
    } catch (err) {
      await this.store.delete(tenantId, id).catch(() => {});
      throw storageUnavailable(this.logger, err, { context: { tenantId, connectionId: id }, logMessage: 'could not store the credentials of a connection',
        answer: 'the connection could not be stored: the credential store is unavailable, retry later' });
    }
    try {
      await this.connections.insert(this.pool, { id, tenantId, connector: def.id, name, config, rateLimits });
    } catch (err) {
      await this.store.delete(tenantId, id).catch(() => {});
      if (isUniqueViolation(err)) throw conflict(`a connection named "${name}" already exists`);
      throw storageUnavailable(this.logger, err, { context: { tenantId, connectionId: id }, logMessage: 'could not store a connection',
        answer: 'the connection could not be stored, retry later' });
    }
    this.logger.info({ tenantId, connectionId: id, connector: def.id }, 'connection created');
    return { id };
  }

  async list(tenantId: string): Promise<ConnectionView[]> {
    return (await this.connections.listForTenant(tenantId)).map(toView);
  }

  async get(tenantId: string, id: string): Promise<ConnectionView> {
    return toView(await this.require(tenantId, id));
  }

  /** Runs the connector's own check with the stored credentials; a failure is an answer, not an error. */
  async test(tenantId: string, id: string): Promise<ConnectionTestResult> {
    const connection = await this.require(tenantId, id);
    const def = findConnector(connection.connector);
    if (!def) return { ok: false, error: { kind: 'permanent', message: `the connector "${connection.connector}" is not installed` } };
    try {
      const identity = { tenantId, connectionId: id, config: connection.config, rateLimits: connection.rateLimits };
      await def.check(buildConnectorContext(def, identity, this.store, new RequestBudgetStore(this.pool)));
      return { ok: true };
    } catch (err) {
      const kind = connectorFailureKind(err);
      const message = failureReason(err);
      this.logger.info({ tenantId, connectionId: id, kind, message }, 'connection check failed');
      return { ok: false, error: { kind, message } };
    }
  }

  /** Replaces the stored credentials (both stores); the next use of the connection reads them. */
  async replaceCredentials(tenantId: string, id: string, body: unknown): Promise<void> {
    const connection = await this.require(tenantId, id);
    const def = findConnector(connection.connector);
    if (!def) throw conflict(`the connector "${connection.connector}" of this connection is not installed`);
    const checked = validateReplacementCredentials(def, body);
    if ('problems' in checked) throw validationFailed(checked.problems);
    try {
      await this.store.put(tenantId, id, checked.credentials);
    } catch (err) {
      throw storageUnavailable(this.logger, err, { context: { tenantId, connectionId: id }, logMessage: 'could not replace the credentials of a connection',
        answer: 'the credentials could not be stored: the credential store is unavailable, retry later' });
    }
    sharedAccessTokens.invalidate(connectionKey({ tenantId, connectionId: id }));
    sharedSessions.invalidate(connectionKey({ tenantId, connectionId: id }));
    this.logger.info({ tenantId, connectionId: id }, 'connection credentials replaced');
  }

  /**
   * Deletes a connection no work uses any more: hidden from every query (its row stays for the
   * loads, captures and Stream that name it) and its credentials removed from both stores.
   */
  async delete(tenantId: string, id: string): Promise<void> {
    const outcome = await this.connections.markDeleted(tenantId, id);
    if (outcome === 'not_found') throw notFound('connection', id);
    if (outcome === 'in_use') throw conflict(`connection ${id} is used by a live capture, bridge or running load: stop them first`);
    try {
      await this.store.delete(tenantId, id);
    } catch (err) {
      // The connection is gone from every query; the credentials' tombstone is retried by the reconciler.
      this.logger.error({ tenantId, connectionId: id, err: failureReason(err) }, 'credentials of a deleted connection could not be removed yet');
    }
    sharedAccessTokens.invalidate(connectionKey({ tenantId, connectionId: id }));
    this.logger.info({ tenantId, connectionId: id }, 'connection deleted');
  }

  private async require(tenantId: string, id: string): Promise<ConnectionRow> {
    const row = await this.connections.findForTenant(tenantId, id);
    if (!row) throw notFound('connection', id);
    return row;
  }
}
