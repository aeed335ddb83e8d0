import type { DestinationContract, ObjectSpec } from '../contract';
import { defineConnector } from '../kit';
import { googleClient, googleClients, googleSheetsAuth, googleSheetsAuthorization, googleSheetsConfigSchema, googleSheetsRateLimits, type GoogleSheetsConfig } from './auth';
import { googleSheetsDestination } from './destination';
import { noSuchSheet } from './errors';
import { sheetObject } from './objects';
import { SheetsApi } from './sheets-api';
import { googleSheetsSource } from './source';
import { ConnectorError } from '../../platform/errors';
import type { KitContext } from '../kit';

/**
 * Google Sheets (preview): each sheet of one spreadsheet is an object, row 1 its fields. OAuth 2.0
 * refresh token; Sheets API v4 and Drive API v3 (sandboxes/google-sheets/README.md lists the pages).
 */
function api(ctx: KitContext<GoogleSheetsConfig>): SheetsApi {
  return new SheetsApi(googleClients(ctx), ctx.config.spreadsheetId, ctx.config.keyColumn);
}

/** With config.sheet set, the connection works on that sheet only: a permanent error names it. */
function requireConfiguredSheet(config: GoogleSheetsConfig, object: string): void {
  if (!config.sheet || object === config.sheet) return;
  throw new ConnectorError({
    kind: 'permanent',
    system: 'google-sheets',
    fields: [{ field: 'object', message: `this connection works on sheet ${JSON.stringify(config.sheet)} (config.sheet)` }],
    message: `this connection works on sheet ${JSON.stringify(config.sheet)} only (config.sheet), not ${JSON.stringify(object)}`,
  });
}

function guardedDestination(config: GoogleSheetsConfig, inner: DestinationContract): DestinationContract {
  const check = (object: string) => requireConfiguredSheet(config, object);
  return {
    read: async (object, ...rest) => { check(object); return inner.read(object, ...rest); },
    write: async (object, ...rest) => { check(object); return inner.write(object, ...rest); },
    delete: async (object, ...rest) => { check(object); return inner.delete(object, ...rest); },
    restore: async (object, ...rest) => { check(object); return inner.restore(object, ...rest); },
  };
}

export const googleSheetsConnector = defineConnector({
  id: 'google-sheets',
  displayName: 'Google Sheets',
  apiVersion: 'Sheets API v4, Drive API v3 (files.get)',
  auth: googleSheetsAuth,
  authorization: googleSheetsAuthorization,
  config: googleSheetsConfigSchema,
  objects: [] as ObjectSpec[],
  customObject: sheetObject,
  rateLimits: googleSheetsRateLimits,
  http: (ctx) => googleClient(ctx, ctx.config.baseUrl),
  destination: (ctx) => guardedDestination(ctx.config, googleSheetsDestination(api(ctx))),
  source: (ctx) => {
    const source = googleSheetsSource(api(ctx), ctx.captureState);
    return { capture: async (object, cursor) => { requireConfiguredSheet(ctx.config, object); return source.capture(object, cursor); } };
  },
  check: async (ctx) => {
    const titles = await api(ctx).sheetTitles();
    if (ctx.config.sheet && !titles.has(ctx.config.sheet)) throw noSuchSheet(ctx.config.sheet, ctx.config.spreadsheetId);
  },
});
