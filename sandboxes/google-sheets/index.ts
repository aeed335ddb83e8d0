import {
  oauth2RefreshToken, startSandbox, type CatalogObject, type RunningSandbox, type SandboxDefinition, type SandboxOptions,
} from '../kit';
import { driveRoutes } from './drive';
import { errorForStatus, googleError, quotaExceeded, tokenError, unauthenticated } from './errors';
import { googleSheetsSpec } from './spec';
import { spreadsheetRoutes } from './spreadsheet';
import { valuesRoutes } from './values';
import { cell, orderOf, ORDER_FIELD, Workbook, type SheetSpec } from './workbook';

/**
 * The Google Sheets sandbox: one spreadsheet whose sheets are objects (row 1 names the fields), the
 * Sheets API v4 values and batchUpdate methods, Drive API v3 files.get for modifiedTime, and
 * Google's OAuth 2.0 token endpoint (README.md lists the pages).
 */
export interface GoogleSheetsSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Google's access tokens live an hour (expires_in 3599). */
  accessTokenTtlSeconds?: number;
  sheets?: SheetSpec[];
}

/** Google's example spreadsheet id (the Sheets API quickstarts use it). */
export const SANDBOX_SPREADSHEET_ID = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';

export const defaultSheets: SheetSpec[] = [
  { title: 'Contacts', sheetId: 0, headers: ['email', 'name', 'company', 'phone'] },
  { title: 'Deals', sheetId: 1803094561, headers: ['deal_id', 'title', 'amount', 'stage'] },
];

/**
 * The per-user quota (60 requests per minute per user per project): the one a single connection
 * meets first. The per-project quota (300 per minute) is the same refusal with another limit name.
 */
export const googleSheetsRateLimit = { limit: 60, windowMs: 60_000 };

export function googleSheetsSandbox(options: GoogleSheetsSandboxOptions = {}): SandboxDefinition {
  const sheets = options.sheets ?? defaultSheets;
  const book = new Workbook(SANDBOX_SPREADSHEET_ID, sheets);
  return {
    system: 'google-sheets',
    objects: sheets.map((s) => s.title),
    spec: googleSheetsSpec,
    catalog: sheets.map((s): CatalogObject => ({ name: s.title, fields: s.headers.map((name) => ({ name })) })),
    auth: oauth2RefreshToken({
      tokenPath: '/token',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599,
      tokenPrefix: 'ya29.sbx-',
      // accounts.google.com/o/oauth2/v2/auth (one host here), PKCE S256; the code grant answers a
      // refresh_token only when the authorization request said access_type=offline.
      authorizationCode: {
        authorizePath: '/o/oauth2/v2/auth',
        providerName: 'Google',
        pkce: true,
        errors: {
          badCode: () => tokenError(400, 'invalid_grant', 'Bad Request'),
          badRedirectUri: () => tokenError(400, 'redirect_uri_mismatch', 'Bad Request'),
          badCodeVerifier: () => tokenError(400, 'invalid_grant', 'Invalid code verifier.'),
        },
      },
      tokenResponse: (issued) => ({
        status: 200,
        body: {
          access_token: issued.accessToken, expires_in: issued.expiresIn, token_type: 'Bearer',
          scope: issued.scope ?? 'https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/drive.metadata.readonly',
          ...(issued.authorizeRequest?.access_type === 'offline' ? { refresh_token: issued.refreshToken } : {}),
        },
      }),
      errors: {
        unsupportedGrantType: (req) => tokenError(400, 'unsupported_grant_type', `Invalid grant_type: ${String((req.body as Record<string, unknown> | undefined)?.grant_type ?? '')}`),
        badClientId: () => tokenError(401, 'invalid_client', 'The OAuth client was not found.'),
        badClientSecret: () => tokenError(401, 'invalid_client', 'Unauthorized'),
        badRefreshToken: () => tokenError(400, 'invalid_grant', 'Token has been expired or revoked.'),
      },
    }),
    routes: [...valuesRoutes(book), ...spreadsheetRoutes(book), ...driveRoutes(book)],
    errors: {
      unauthorized: (failure) => unauthenticated(failure),
      rateLimited: () => quotaExceeded('Requests per minute per user'),
      notFound: (req) => googleError(404, 'NOT_FOUND', `Method not found: ${req.method} ${req.path}`),
      malformedBody: () => googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.'),
      forStatus: (status) => errorForStatus(status),
    },
    rateLimit: googleSheetsRateLimit,
    presentRecord: (object, record) => {
      if (!book.sheets.some((s) => s.title === object)) return record;
      const cells = Object.fromEntries(book.headerRow(object).map((h) => [h, cell(record.fields[h])]));
      return { id: record.id, order: orderOf(record), ...cells, updatedAt: record.updatedAt };
    },
    seedRecord: (object, input) => {
      const { id, order, updatedAt, ...cells } = input;
      const header = book.headerRow(object);
      const added = Object.keys(cells).filter((k) => !header.includes(k));
      if (added.length > 0) book.setHeaderRow(object, [...header, ...added]);
      return {
        ...(typeof id === 'string' ? { id } : {}),
        ...(typeof updatedAt === 'string' ? { updatedAt } : {}),
        fields: { ...Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, cell(v)])), [ORDER_FIELD]: typeof order === 'number' ? order : book.takeOrder() },
      };
    },
    config: (baseUrl) => ({ baseUrl, driveUrl: baseUrl, tokenUrl: `${baseUrl}/token`, authorizeUrl: `${baseUrl}/o/oauth2/v2/auth`, spreadsheetId: SANDBOX_SPREADSHEET_ID }),
  };
}

export function startGoogleSheetsSandbox(options: GoogleSheetsSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(googleSheetsSandbox(options), options);
}
