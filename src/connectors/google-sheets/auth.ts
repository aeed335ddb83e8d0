import { z } from 'zod';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import { pacedHttpClient } from '../../platform/pacer';
import type { AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'google-sheets';

/** Sheets API v4 quota: 60 requests per minute per user per project (developers.google.com/sheets/api/limits). */
export const PER_USER_REQUESTS_PER_MINUTE = 60;

export const googleSheetsConfigSchema = z.object({
  /** Sheets API v4 host. */
  baseUrl: egressUrl('https://sheets.googleapis.com'),
  /** Drive API v3 host (files.get modifiedTime). */
  driveUrl: egressUrl('https://www.googleapis.com'),
  tokenUrl: egressUrl('https://oauth2.googleapis.com/token'),
  spreadsheetId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a spreadsheet id (the part of the sheet URL after /d/)'),
  /** When set, the only sheet (object) this connection may load or capture. */
  sheet: z.string().min(1).optional(),
  /** The column whose value identifies a row (the row's id, and capture's record id). Default: column A's header. */
  keyColumn: z.string().min(1).optional(),
  /** Requests this connection starts per minute, at most: the per-user quota unless your project has more. */
  requestsPerMinute: z.number().int().positive().default(PER_USER_REQUESTS_PER_MINUTE),
});
export type GoogleSheetsConfig = z.infer<typeof googleSheetsConfigSchema>;

/** OAuth 2.0 refresh-token grant against Google's token endpoint: { clientId, clientSecret, refreshToken }. */
export const googleSheetsAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

export interface GoogleClients {
  sheets: HttpClient;
  drive: HttpClient;
}

/** The Sheets and Drive clients of a connection: one token (the plug-ins share the connection's cache), one pace. */
export function googleClients(ctx: KitContextWithoutHttp<GoogleSheetsConfig>): GoogleClients {
  const { config } = ctx;
  const client = (baseUrl: string) => pacedHttpClient(
    createHttpClient({ system: SYSTEM, baseUrl, auth: connectionRefreshTokenAuth(ctx, { system: SYSTEM, tokenUrl: config.tokenUrl }), extractFields, extractCode }),
    { key: `${ctx.tenantId}/${ctx.connectionId}`, limit: config.requestsPerMinute, windowMs: 60_000 },
  );
  return { sheets: client(trimBase(config.baseUrl)), drive: client(trimBase(config.driveUrl)) };
}
