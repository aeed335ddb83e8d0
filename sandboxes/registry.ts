import type { SandboxDefinition } from './kit';
import { dynamicsSandbox } from './dynamics';
import { googleSheetsSandbox } from './google-sheets';
import { freshbooksSandbox } from './freshbooks';
import { hubspotSandbox } from './hubspot';
import { jiraSandbox } from './jira';
import { marketoSandbox } from './marketo';
import { netsuiteSandbox } from './netsuite';
import { quickbooksSandbox } from './quickbooks';
import { salesforceSandbox } from './salesforce';
import { sage300Sandbox } from './sage-300';
import { sageIntacctSandbox } from './sage-intacct';
import { sageX3Sandbox } from './sage-x3';
import { servicenowSandbox } from './servicenow';
import { shopifySandbox } from './shopify';
import { slackSandbox } from './slack';
import { snowflakeSandbox } from './snowflake';
import { stripeSandbox } from './stripe';
import { teamsSandbox } from './teams';
import { workdaySandbox } from './workday';
import { zendeskSandbox } from './zendesk';

/** Every system's sandbox, one line each: system id -> a factory of its definition. */
export const sandboxes: Record<string, () => SandboxDefinition> = {
  dynamics: () => dynamicsSandbox(),
  freshbooks: () => freshbooksSandbox(),
  'google-sheets': () => googleSheetsSandbox(),
  hubspot: () => hubspotSandbox(),
  jira: () => jiraSandbox(),
  marketo: () => marketoSandbox(),
  netsuite: () => netsuiteSandbox(),
  quickbooks: () => quickbooksSandbox(),
  salesforce: () => salesforceSandbox(),
  'sage-300': () => sage300Sandbox(),
  'sage-intacct': () => sageIntacctSandbox(),
  'sage-x3': () => sageX3Sandbox(),
  servicenow: () => servicenowSandbox(),
  shopify: () => shopifySandbox(),
  slack: () => slackSandbox(),
  snowflake: () => snowflakeSandbox(),
  stripe: () => stripeSandbox(),
  teams: () => teamsSandbox(),
  workday: () => workdaySandbox(),
  zendesk: () => zendeskSandbox(),
};

export function findSandbox(system: string): (() => SandboxDefinition) | undefined {
  return Object.hasOwn(sandboxes, system) ? sandboxes[system] : undefined;
}
