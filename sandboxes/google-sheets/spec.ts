import type { SpecSource } from '../kit';

/** Google's discovery-generated OpenAPI 3 description of Sheets API v4 (../shared/specs/google-sheets). */
export const googleSheetsSpec: SpecSource = {
  dir: 'google-sheets',
  format: 'openapi3',
  files: ['sheets.openapi.json'],
  knownDeviations: [
    { request: /^GET \/drive\/v3\/files\/[^/]+$/,
      why: 'Drive API v3 files.get (modifiedTime), which capture reads to skip unchanged files, is not part of the Sheets description' },
    { request: /^POST \/token$/, why: "Google's OAuth 2.0 token endpoint (oauth2.googleapis.com/token) is not part of the Sheets description" },
  ],
};
