import { findConnector } from '../../connectors/registry';
import type { ConnectorDefinition } from '../../connectors/contract';
import type { ConnectionRow, ConnectionsRepository } from '../../platform/db/repositories/connections';
import { validationFailed } from '../errors/api-error';

/**
 * The tenant's connection a request body names in `connectionId`, and its installed connector; a
 * 422 naming connectionId when there is none (another tenant's id is "none": it never leaks).
 */
export async function connectionOfBody(connections: ConnectionsRepository, tenantId: string, connectionId: string):
Promise<{ connection: ConnectionRow; def: ConnectorDefinition }> {
  const connection = await connections.findForTenant(tenantId, connectionId);
  if (!connection) throw validationFailed([{ field: 'connectionId', message: `no connection with id ${connectionId}` }]);
  const def = findConnector(connection.connector);
  if (!def) throw validationFailed([{ field: 'connectionId', message: `the connector "${connection.connector}" of this connection is not installed` }]);
  return { connection, def };
}
