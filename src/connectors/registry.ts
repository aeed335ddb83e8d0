import type { ConnectorDefinition } from './contract';
import { hubspotConnector } from './hubspot';
import { salesforceConnector } from './salesforce';

/** Every connector, one line each. */
export const connectors: ConnectorDefinition[] = [
  hubspotConnector,
  salesforceConnector,
];

export function findConnector(id: string): ConnectorDefinition | undefined {
  return connectors.find((c) => c.id === id);
}
