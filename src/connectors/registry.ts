import type { ConnectorDefinition } from './contract';

/** Every connector, one line each. */
export const connectors: ConnectorDefinition[] = [
];

export function findConnector(id: string): ConnectorDefinition | undefined {
  return connectors.find((c) => c.id === id);
}
