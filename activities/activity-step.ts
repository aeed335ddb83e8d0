import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { ConnectorContext, ConnectorDefinition } from '../src/connectors/contract';
import { buildConnectorContext } from '../src/connectors/context';
import { findConnector } from '../src/connectors/registry';
import type { CredentialStore } from '../src/platform/credentials/store';
import { CaptureRowStatesRepository } from '../src/platform/db/repositories/capture-row-states';
import { ConnectionsRepository } from '../src/platform/db/repositories/connections';
import { withScrubber } from '../src/platform/credentials/redact';
import { ConnectorError, toTemporalFailure } from '../src/platform/errors';
import { RequestBudgetStore } from '../src/platform/rate-budget';

const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Runs one activity's work, heartbeating so a dead worker is noticed within the heartbeat timeout
 * (not the whole start-to-close timeout), and turning every error into a typed, redacted failure.
 */
export async function activityStep<T>(fn: () => Promise<T>): Promise<T> {
  const context = Context.current();
  // A scrubber of its own: the secrets this step reads are scrubbed from its output, no one else's.
  return withScrubber(async () => {
    const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await fn();
    } catch (err) {
      throw toTemporalFailure(err);
    } finally {
      clearInterval(heartbeat);
    }
  });
}

/** A tenant's connection, opened through its connector: the context activities hand to source and destination. */
export async function openConnection(deps: { pool: Pool; credentials: CredentialStore },
  ref: { tenantId: string; connectionId: string; connector: string }): Promise<{ def: ConnectorDefinition; ctx: ConnectorContext }> {
  const def = findConnector(ref.connector);
  if (!def) throw new ConnectorError({ kind: 'permanent', system: ref.connector, message: `connector ${ref.connector} is not installed` });
  const connection = await new ConnectionsRepository(deps.pool).findForTenant(ref.tenantId, ref.connectionId);
  if (!connection) throw new ConnectorError({ kind: 'permanent', system: def.id, message: `connection ${ref.connectionId} no longer exists` });
  const identity = { tenantId: ref.tenantId, connectionId: ref.connectionId, config: connection.config, rateLimits: connection.rateLimits };
  const ctx = buildConnectorContext(def, identity, deps.credentials, new RequestBudgetStore(deps.pool));
  // Long work inside one call (an asynchronous job polled to completion) reports its progress here.
  const heartbeat = (progress: unknown) => Context.current().heartbeat(progress);
  const captureState = new CaptureRowStatesRepository(deps.pool).forConnection(ref.tenantId, ref.connectionId);
  return { def, ctx: { ...ctx, heartbeat, captureState } };
}
