import type { ConnectorDefinition } from './contract';
import { dynamicsConnector } from './dynamics';
import { freshbooksConnector } from './freshbooks';
import { googleSheetsConnector } from './google-sheets';
import { hubspotConnector } from './hubspot';
import { jiraConnector } from './jira';
import { marketoConnector } from './marketo';
import { netsuiteConnector } from './netsuite';
import { quickbooksConnector } from './quickbooks';
import { salesforceConnector } from './salesforce';
import { sage300Connector } from './sage-300';
import { sageIntacctConnector } from './sage-intacct';
import { sageX3Connector } from './sage-x3';
import { servicenowConnector } from './servicenow';
import { shopifyConnector } from './shopify';
import { slackConnector } from './slack';
import { snowflakeConnector } from './snowflake';
import { stripeConnector } from './stripe';
import { teamsConnector } from './teams';
import { workdayConnector } from './workday';
import { zendeskConnector } from './zendesk';

/** Every connector, one line each. */
export const connectors: ConnectorDefinition[] = [
  dynamicsConnector,
  freshbooksConnector,
  googleSheetsConnector,
  hubspotConnector,
  jiraConnector,
  marketoConnector,
  netsuiteConnector,
  quickbooksConnector,
  salesforceConnector,
  sage300Connector,
  sageIntacctConnector,
  sageX3Connector,
  servicenowConnector,
  shopifyConnector,
  slackConnector,
  snowflakeConnector,
  stripeConnector,
  teamsConnector,
  workdayConnector,
  zendeskConnector,
];

export function findConnector(id: string): ConnectorDefinition | undefined {
  return connectors.find((c) => c.id === id);
}
