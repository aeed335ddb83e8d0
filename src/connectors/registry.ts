import type { ConnectorDefinition } from './contract';
import { hubspotConnector } from './hubspot';

/** Every connector, one line each. */
export const connectors: ConnectorDefinition[] = [
  hubspotConnector,
];

export function findConnector(id: string): ConnectorDefinition | undefined {
  return connectors.find((c) => c.id === id);
}
