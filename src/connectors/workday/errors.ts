import type { FieldError } from '../contract';
import { isObject } from './records';

/**
 * Workday REST error bodies (the reference's 400 "Invalid request" answers, linked to
 * community.workday.com/rest/error-messages): { error: "<summary>", errors: [{ error:
 * "<message>", field: "<field>" }] }. A field that names a reference ({ id } object: worker,
 * payComponent, currency) is the connector's dotted `<field>.id`.
 */
export const REFERENCE_FIELDS = new Set(['worker', 'payComponent', 'currency']);

export function extractFields(body: unknown): FieldError[] {
  if (!isObject(body)) return [];
  const listed = Array.isArray(body.errors) ? body.errors.filter(isObject) : [];
  const summary = typeof body.error === 'string' ? body.error : 'Workday refused the request';
  if (listed.length === 0) return [{ field: '*', message: summary }];
  return listed.map((e) => ({
    field: connectorField(typeof e.field === 'string' && e.field !== '' ? e.field : '*'),
    message: typeof e.error === 'string' ? e.error : summary,
  }));
}

function connectorField(field: string): string {
  return REFERENCE_FIELDS.has(field) ? `${field}.id` : field;
}
