import type { FieldError } from '../contract';
import { recordLevelErrors } from '../kit';

/**
 * Zendesk's error bodies: { error, description?, details? }; a 422 RecordInvalid names fields in
 * `details`: { <field>: [{ description: "<Field>: <message>", error }] }. A failed item of a
 * background job says the same in one line, `details: "<Field>: <message>"`.
 */
type Details = Record<string, Array<{ description?: unknown; error?: unknown }>>;

export function extractFields(body: unknown): FieldError[] {
  const details = isObject(body) && isObject(body.details) ? body.details as Details : undefined;
  if (!details) return isObject(body) && typeof body.description === 'string' ? [{ field: '*', message: body.description }] : [];
  return Object.entries(details).flatMap(([field, problems]) => (Array.isArray(problems) ? problems : [])
    .map((p) => ({ field: field === 'base' ? '*' : field, message: String(p.description ?? p.error ?? 'is invalid') })));
}

export function extractCode(body: unknown): string | undefined {
  return isObject(body) && typeof body.error === 'string' ? body.error : undefined;
}

export function recordErrors(err: unknown): FieldError[] | undefined {
  return recordLevelErrors(err);
}

/**
 * The field a job item's `details` names: "Priority: is not valid" -> priority, "Requester: is
 * invalid" -> requester_id, when that is one of `fieldNames` (the object's and the record's fields);
 * '*' otherwise ("RecordNotFound: ..." names no field).
 */
export function jobItemErrors(details: string | undefined, error: string | undefined, fieldNames: Iterable<string>): FieldError[] {
  const known = new Set(fieldNames);
  return (details ?? error ?? 'the job refused this item').split('; ').map((part) => {
    const name = /^([A-Za-z][A-Za-z ]*?): /.exec(part)?.[1]?.toLowerCase().replace(/ /g, '_');
    const field = name === undefined ? '*' : known.has(name) ? name : known.has(`${name}_id`) ? `${name}_id` : '*';
    return { field, message: part };
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
