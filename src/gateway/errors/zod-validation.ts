import type { z } from 'zod';
import { validationFailed, type FieldProblem } from './api-error';

/** `records.3.email` from a zod issue path, with an optional prefix (`credentials.`). */
export function fieldPath(path: readonly PropertyKey[], prefix?: string): string {
  const joined = path.map((p) => String(p)).join('.');
  if (!prefix) return joined || '(body)';
  return joined ? `${prefix}.${joined}` : prefix;
}

/** Every problem zod found, one per field, named by its path. */
export function fieldProblems(error: z.ZodError, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => {
    // An unknown key is reported on its parent; name the key itself so the client sees which one.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: fieldPath([...issue.path, key], prefix), message: 'unknown field' }));
    }
    return [{ field: fieldPath(issue.path, prefix), message: issue.message }];
  }).flat();
}

/** Parses a request body or query; a bad one becomes 400 validation_failed naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(fieldProblems(result.error));
  return result.data;
}
