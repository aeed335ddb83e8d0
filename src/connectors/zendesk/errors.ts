import type { FieldError, Rec } from '../contract';
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
 * invalid" -> requester_id when the record carries requester_id. '*' when it names none.
 */
export function jobItemErrors(details: string | undefined, error: string | undefined, record: Rec): FieldError[] {
  const message = details ?? error ?? 'the job refused this item';
  const fields = message.split('; ').map((part) => {
    const label = /^([A-Za-z][A-Za-z ]*?): /.exec(part)?.[1];
    const name = label?.toLowerCase().replace(/ /g, '_');
    const field = name === undefined ? '*' : name in record ? name : `${name}_id` in record ? `${name}_id` : name;
    return { field, message: part };
  });
  return fields;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
