import { ConnectorError } from '../../platform/errors';
import { defineConnector } from '../kit';
import { freshbooksAuth, freshbooksAuthorization, freshbooksConfigSchema, freshbooksHttp, SYSTEM, type FreshbooksConfig } from './auth';
import { freshbooksDestination } from './destination';
import { FbApi } from './fb-api';
import { freshbooksObjects } from './objects';
import { freshbooksSource } from './source';

/** FreshBooks (clients, invoices, items): OAuth 2.0 with single-use refresh tokens, the accounting API, updated_min capture. */
export const freshbooksConnector = defineConnector({
  id: 'freshbooks',
  displayName: 'FreshBooks',
  apiVersion: 'FreshBooks accounting API (unversioned: FreshBooks publishes no version to pin)',
  auth: freshbooksAuth,
  authorization: freshbooksAuthorization,
  config: freshbooksConfigSchema,
  objects: freshbooksObjects,
  http: freshbooksHttp,
  destination: (ctx) => freshbooksDestination(new FbApi(ctx.http, ctx.config.accountId)),
  source: (ctx) => freshbooksSource(new FbApi(ctx.http, ctx.config.accountId)),
  check: async (ctx) => checkMembership(await new FbApi(ctx.http, ctx.config.accountId).businesses(), ctx.config),
});

/** The credentials work and belong to the configured business and account. */
function checkMembership(businesses: Array<{ businessId: string; accountId: string }>, config: FreshbooksConfig): void {
  if (businesses.some((b) => b.accountId === config.accountId && b.businessId === config.businessId)) return;
  throw new ConnectorError({
    kind: 'permanent', system: SYSTEM,
    fields: [{ field: 'config.accountId', message: 'not an account of the signed-in user' }],
    message: `freshbooks: the signed-in user has no business ${config.businessId} with account ${config.accountId} (it has ${businesses.map((b) => `${b.businessId}/${b.accountId}`).join(', ') || 'none'})`,
  });
}
