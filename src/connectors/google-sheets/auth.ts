import { z } from 'zod';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthorizationCodeSpec, AuthSpec } from '../contract';
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
  /** Google's consent page (connecting by consent only). */
  authorizeUrl: z.url({ protocol: /^https?$/ }).default('https://accounts.google.com/o/oauth2/v2/auth'),
  spreadsheetId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a spreadsheet id (the part of the sheet URL after /d/)'),
  /** When set, the only sheet (object) this connection may load or capture. */
  sheet: z.string().min(1).optional(),
  /** The column whose value identifies a row (the row's id, and capture's record id). Default: column A's header. */
  keyColumn: z.string().min(1).optional(),
});
export type GoogleSheetsConfig = z.infer<typeof googleSheetsConfigSchema>;

/** OAuth 2.0 refresh-token grant against Google's token endpoint: { clientId, clientSecret, refreshToken }. */
export const googleSheetsAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/**
 * Connecting by consent (docs/connect/google-sheets.md): Google's web-server flow with PKCE.
 * access_type=offline is what makes Google answer a refresh token, prompt=consent makes it answer
 * one again for a user who consented before. Scopes: the spreadsheet's values, and Drive metadata
 * for the file's modifiedTime (capture).
 */
export const googleSheetsAuthorization: AuthorizationCodeSpec<GoogleSheetsConfig> = {
  authorizeUrl: (config) => config.authorizeUrl,
  tokenUrl: (config) => config.tokenUrl,
  scopes: ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive.metadata.readonly'],
  pkce: true,
  authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
};

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
