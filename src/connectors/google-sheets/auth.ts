import { z } from 'zod';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import type { RateLimit } from '../../platform/rate-budget';
import { connectionRefreshTokenAuth, trimBase, type KitContext, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'google-sheets';

/**
 * Sheets API v4 quota: 60 requests per minute per user per project
 * (https://developers.google.com/workspace/sheets/api/limits). Google sends no Retry-After or
 * remaining-count header, so the platform's request budget paces to this figure; a project granted
 * more declares it on the connection (`rateLimits`). Drive API v3 has its own, far larger quota
 * (https://developers.google.com/workspace/drive/api/guides/limits), so Drive calls draw on none.
 */
export const googleSheetsRateLimits: RateLimit[] = [{ requests: 60, perSeconds: 60 }];

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
});
export type GoogleSheetsConfig = z.infer<typeof googleSheetsConfigSchema>;

/** OAuth 2.0 refresh-token grant against Google's token endpoint: { clientId, clientSecret, refreshToken }. */
export const googleSheetsAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

export interface GoogleClients {
  sheets: HttpClient;
  drive: HttpClient;
}

/** One Google API host of a connection, with its refresh-token auth (the plug-ins share the connection's token cache). */
export function googleClient(ctx: KitContextWithoutHttp<GoogleSheetsConfig>, baseUrl: string): HttpClient {
  return createHttpClient({ system: SYSTEM, baseUrl: trimBase(baseUrl), auth: connectionRefreshTokenAuth(ctx, { system: SYSTEM, tokenUrl: ctx.config.tokenUrl }), extractFields, extractCode });
}

/** Sheets through the connection's client (on its request budget); Drive through its own. */
export function googleClients(ctx: KitContext<GoogleSheetsConfig>): GoogleClients {
  return { sheets: ctx.http, drive: googleClient(ctx, ctx.config.driveUrl) };
}
