import type { ConnectorDefinition } from './contract';
import { hubspotConnector } from './hubspot';
import { salesforceConnector } from './salesforce';
import { stripeConnector } from './stripe';

/** Every connector, one line each. */
export const connectors: ConnectorDefinition[] = [
  hubspotConnector,
  salesforceConnector,
  stripeConnector,
];

export function findConnector(id: string): ConnectorDefinition | undefined {
  return connectors.find((c) => c.id === id);
}
