import { defineConnector, type KitContext } from '../kit';
import { IntacctApi } from './api';
import { intacctCredentials, sageIntacctAuth, sageIntacctConfigSchema, sageIntacctHttp, type SageIntacctConfig } from './auth';
import { sageIntacctDestination } from './destination';
import { IntacctGateway } from './gateway';
import { sageIntacctObjects } from './objects';
import { sageIntacctSource } from './source';

const api = (ctx: KitContext<SageIntacctConfig>) => new IntacctApi(new IntacctGateway(ctx.http, intacctCredentials(ctx.credentials)));

/**
 * Sage Intacct (CUSTOMER, VENDOR) through the XML Web Services gateway, dtdversion 3.0: a session
 * from getAPISession (sender id/password in every <control>), several create/update/delete
 * functions per request each with its own <result>, reads by RECORDNO or ID, capture on
 * WHENMODIFIED with deletes from the audit trail. NOTES.md lists the pages followed.
 *
 * No `rateLimits`: Intacct's XML API documents no request rate. Performance tiers meter API
 * transactions a month (billed beyond the tier, never refused) and cap concurrent requests; the
 * gateway's refusal is GW-0010 with HTTP 429, which the client waits out.
 */
export const sageIntacctConnector = defineConnector({
  id: 'sage-intacct',
  displayName: 'Sage Intacct',
  apiVersion: 'XML API (Web Services), dtdversion 3.0',
  auth: sageIntacctAuth,
  config: sageIntacctConfigSchema,
  objects: sageIntacctObjects,
  http: sageIntacctHttp,
  destination: (ctx) => sageIntacctDestination(api(ctx)),
  source: (ctx) => sageIntacctSource(api(ctx)),
  check: async (ctx) => { await api(ctx).query('CUSTOMER', "RECORDNO = '0'", ['RECORDNO']); },
});
