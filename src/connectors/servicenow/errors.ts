import { classifyHttp, ConnectorError } from '../../platform/errors';
import type { HttpResponse } from '../../platform/http';
import type { FieldError } from '../contract';

export const SYSTEM = 'servicenow';

/**
 * ServiceNow's error bodies: `{ error: { message, detail }, status: "failure" }`. A Data Policy
 * refusal is a 403 whose detail names the mandatory fields by label ("Data Policy Exception: The
 * following fields are mandatory: Short description"): that is a refused record (validation), not
 * a permission problem, so it is classified before the status. Other 403s (ACLs) stay permanent.
 */
interface ErrorBody {
  error?: { message?: unknown; detail?: unknown };
  status?: unknown;
}

const DATA_POLICY = /Data Policy Exception:[\s\S]*?mandatory:\s*([^\n]+)/;

export function extractCode(body: unknown): string | undefined {
  const message = (body as ErrorBody | null)?.error?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/** The field errors of an error body: the Data Policy's fields by name, else one '*' error with message and detail. */
export function extractFields(body: unknown, labels: Record<string, string> = {}): FieldError[] {
  const error = (body as ErrorBody | null)?.error;
  if (!error) return [];
  const detail = typeof error.detail === 'string' ? error.detail : '';
  const policy = DATA_POLICY.exec(detail);
  if (policy) {
    return policy[1].split(',').map((label) => label.trim()).filter(Boolean)
      .map((label) => ({ field: fieldNamed(label, labels), message: `${label} is mandatory (Data Policy)` }));
  }
  const message = [error.message, error.detail].filter((p) => typeof p === 'string' && p !== '').join(': ');
  return message ? [{ field: '*', message }] : [];
}

/** A field's name from its label: the object's known labels first, else the label as a column name ("Short description" -> short_description). */
export function fieldNamed(label: string, labels: Record<string, string>): string {
  const known = Object.entries(labels).find(([, l]) => l.toLowerCase() === label.toLowerCase())?.[0];
  return known ?? label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** The http client's `classify`: a Data Policy 403 is a validation error naming the fields. */
export function classifyAnswer(res: HttpResponse<unknown>, labels: Record<string, string> = {}): ConnectorError | null {
  if (res.status !== 403) return null;
  const fields = extractFields(res.body, labels);
  const detail = (res.body as ErrorBody | null)?.error?.detail;
  if (typeof detail !== 'string' || !DATA_POLICY.test(detail)) return null;
  return new ConnectorError({
    kind: 'validation', system: SYSTEM, status: 403, fields, code: extractCode(res.body), body: res.body,
    message: `servicenow refused the record: ${fields.map((f) => f.message).join('; ')}`,
  });
}

/** One answer (a whole request's, or a Batch API item's) as the error it stands for. */
export function answerError(status: number, headers: Record<string, string>, body: unknown, labels: Record<string, string> = {}): ConnectorError {
  return classifyAnswer({ status, headers, body }, labels)
    ?? classifyHttp(SYSTEM, status, headers, body, { extractCode, extractFields: (b) => extractFields(b, labels) });
}
