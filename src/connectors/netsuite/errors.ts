import type { FieldError } from '../contract';
import { recordLevelErrors } from '../kit';

export const SYSTEM = 'netsuite';

/**
 * NetSuite's error body ("Error Handling in REST Web Services"): { type, title, status,
 * "o:errorDetails": [{ detail, "o:errorCode", "o:errorPath"? }] }. `o:errorPath` is a JSON path into
 * the request body; the record's field is its first segment (`item.items[0].quantity` -> `item`).
 */
interface ErrorDetail {
  detail?: unknown;
  'o:errorCode'?: unknown;
  'o:errorPath'?: unknown;
}

function details(body: unknown): ErrorDetail[] {
  const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['o:errorDetails'] : undefined;
  return Array.isArray(list) ? list.filter((d): d is ErrorDetail => typeof d === 'object' && d !== null) : [];
}

/** The record field a JSON path into the body names. */
export function fieldOfPath(path: string): string {
  return path.replace(/^\$\.?/, '').split(/[.[]/)[0] || '*';
}

export function extractFields(body: unknown): FieldError[] {
  return details(body).map((d) => ({
    field: typeof d['o:errorPath'] === 'string' && d['o:errorPath'] !== '' ? fieldOfPath(d['o:errorPath']) : '*',
    message: `${String(d['o:errorCode'] ?? 'ERROR')}: ${String(d.detail ?? '')}`,
  }));
}

export function extractCode(body: unknown): string | undefined {
  const code = details(body)[0]?.['o:errorCode'];
  return typeof code === 'string' ? code : undefined;
}

/** Refusals of one record (its values, a record that is not there): the record fails, the load goes on. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  return recordLevelErrors(err);
}
