import { json, type Route } from '../kit';
import { notFound } from './errors';
import type { Workbook } from './workbook';

/**
 * Drive API v3 files.get for the spreadsheet's file (developers.google.com/drive/api/reference/rest/v3/files/get):
 * `fields` picks what is answered; without it Drive answers kind, id, name and mimeType only.
 */
export function driveRoutes(book: Workbook): Route[] {
  return [{
    method: 'GET',
    path: '/drive/v3/files/:fileId',
    handle: (req, ctx) => {
      if (req.params.fileId !== book.spreadsheetId) throw notFound(`File not found: ${req.params.fileId}.`);
      const file: Record<string, unknown> = {
        kind: 'drive#file',
        id: book.spreadsheetId,
        name: 'Forgeworks sandbox',
        mimeType: 'application/vnd.google-apps.spreadsheet',
        modifiedTime: book.modifiedTime(ctx.records),
      };
      const fields = req.query.get('fields');
      if (!fields) return json(200, { kind: file.kind, id: file.id, name: file.name, mimeType: file.mimeType });
      const wanted = fields.split(',').map((f) => f.trim());
      return json(200, Object.fromEntries(Object.entries(file).filter(([k]) => wanted.includes(k))));
    },
  }];
}
