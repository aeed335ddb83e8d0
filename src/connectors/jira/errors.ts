import type { FieldError } from '../contract';
import { recordLevelErrors } from '../kit';

/**
 * JIRA's ErrorCollection (platform REST API v3): { errorMessages: string[], errors: { <field id>:
 * message } }. Field errors are named by field id (`description`, `customfield_10050`); messages
 * about the request as a whole become '*'.
 */
export interface ErrorCollection {
  errorMessages?: string[];
  errors?: Record<string, string>;
}

export function collectionFields(collection: ErrorCollection | undefined): FieldError[] {
  const named = Object.entries(collection?.errors ?? {}).map(([field, message]) => ({ field, message: String(message) }));
  const general = (collection?.errorMessages ?? []).map((message) => ({ field: '*', message: String(message) }));
  return named.length > 0 ? [...named, ...general] : general;
}

/** For the HTTP client: the fields a 400 names. */
export function extractFields(body: unknown): FieldError[] {
  return typeof body === 'object' && body !== null ? collectionFields(body as ErrorCollection) : [];
}

/** Failures about one record (a refused value, a vanished issue): the record fails, the load goes on. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  return recordLevelErrors(err);
}
