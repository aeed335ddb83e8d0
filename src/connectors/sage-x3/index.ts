import { defineConnector } from '../kit';
import { SageX3Api } from './api';
import { sageX3Auth, sageX3ConfigSchema, sageX3Http } from './auth';
import { sageX3Destination } from './destination';
import { sageX3Objects } from './objects';
import { sageX3Source } from './source';

/**
 * Sage X3 (BPCUSTOMER customers, ITMMASTER products) through Syracuse's api1 web API on a folder
 * endpoint, HTTP Basic: class + representation URLs with the $details/$query/$create/$edit facets,
 * `$resources` pages followed by `$links.$next`, `where` on UPDDATTIM for capture, `$diagnoses`
 * errors. NOTES.md lists the pages followed. No `rateLimits`: X3 documents none (the web server
 * pools sessions per user).
 */
export const sageX3Connector = defineConnector({
  id: 'sage-x3',
  displayName: 'Sage X3',
  apiVersion: 'Sage X3 version 12 web API api1',
  auth: sageX3Auth,
  config: sageX3ConfigSchema,
  objects: sageX3Objects,
  http: sageX3Http,
  destination: (ctx) => sageX3Destination(new SageX3Api(ctx.http)),
  source: (ctx) => sageX3Source(new SageX3Api(ctx.http)),
  check: async (ctx) => { await new SageX3Api(ctx.http, 1).query(sageX3Objects[0], "BPCNUM eq ''", 'BPCNUM asc'); },
});
