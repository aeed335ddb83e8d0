import type { ApiClient } from './api-client';
import type { Connection } from './api-types';
import { CliError, ExitCode } from './exit-codes';

/** A connection named by its id or its name. */
export async function resolveConnection(client: ApiClient, ref: string): Promise<Connection> {
  const { connections } = await client.get<{ connections: Connection[] }>('/v1/connections');
  const found = connections.find((c) => c.id === ref) ?? connections.find((c) => c.name === ref);
  if (!found) throw new CliError(ExitCode.notFound, `no connection with id or name "${ref}" (see \`forge connections\`)`, 'not_found');
  return found;
}
