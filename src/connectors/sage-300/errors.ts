import type { FieldError } from '../contract';
import { fieldsMentioned, labelOfCamelCase } from '../kit';
import { resources } from './objects';

export const SYSTEM = 'sage-300';

/**
 * Sage 300 Web API error bodies (Developer Reference, "Errors"): an OData error whose `code` is a
 * CamelCase type (RecordNotFound, RecordDuplicate, RecordInvalid, InvalidPayload, TooManyRequests,
 * Unauthorized, ...) and whose `message` is `{ lang, value }`. The body names no property: fields
 * are read from the message, by property name or its spaced label ("Customer Name").
 */
interface Sage300Error {
  error?: { code?: unknown; message?: unknown };
}

export function extractCode(body: unknown): string | undefined {
  const code = (body as Sage300Error | null)?.error?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

export function errorMessage(body: unknown): string | undefined {
  const message = (body as Sage300Error | null)?.error?.message;
  if (typeof message === 'string') return message;
  const value = (message as { value?: unknown } | null)?.value;
  return typeof value === 'string' ? value : undefined;
}

/** Every declared property, with its spaced label, of every resource. */
const labels: Record<string, string> = Object.fromEntries(resources.flatMap((r) => r.spec.fields.filter((f) => !f.readOnly).map((f) => [f.name, labelOfCamelCase(f.name)])));

export function extractFields(body: unknown): FieldError[] {
  const message = errorMessage(body);
  if (!message) return [];
  const named = fieldsMentioned([message], labels);
  return named.length > 0 ? named : [{ field: '*', message }];
}
