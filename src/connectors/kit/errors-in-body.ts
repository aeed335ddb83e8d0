import { ConnectorError, headerValue, parseRetryAfter, type ErrorKind } from '../../platform/errors';
import type { HttpResponse } from '../../platform/http';
import type { FieldError } from '../../platform/records';

/**
 * Systems that answer HTTP 200 with the failure in the body (Marketo's `success: false` + `errors[].code`,
 * Slack's `ok: false` + `error`): a table of the vendor's codes, turned into the HTTP client's
 * `classify` hook. A code marked `auth` is answered as a 401 — the client forgets the credentials,
 * gets fresh ones and sends the request once more; a second refusal fails permanently.
 */
export interface CodeVerdict {
  kind: ErrorKind;
  /** Expired or invalid credentials: one refresh and retry, as for an HTTP 401. */
  auth?: boolean;
  /** How long to wait before trying again (transient codes without a Retry-After header). */
  retryAfterMs?: number;
  /** The HTTP status this code stands for (kept on the error); default 200. */
  status?: number;
}

export interface ErrorsInBody {
  system: string;
  /** The vendor's code and message when the body reports a failure, else undefined. */
  failure(body: unknown): { code: string; message: string } | undefined;
  codes: Record<string, CodeVerdict>;
  /** For codes the table lacks. */
  otherwise: CodeVerdict;
  /** Fields a validation code names. */
  fields?(code: string, message: string): FieldError[];
}

/** The `classify` hook for an HttpClient: the body's verdict first, whatever the status. */
export function classifyErrorsInBody(table: ErrorsInBody): (res: HttpResponse<unknown>) => ConnectorError | null {
  return (res) => {
    const failure = table.failure(res.body);
    if (!failure) return null;
    // A Retry-After the answer carries (a proxy's 429 in front of the API) wins over the table's wait.
    const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'), new Date());
    return errorForCode(table, failure.code, failure.message, res.body, res.status, retryAfterMs);
  };
}

/** The ConnectorError a vendor code stands for (also for codes met outside a whole answer). */
export function errorForCode(table: ErrorsInBody, code: string, message: string, body?: unknown, httpStatus = 200, retryAfterMs?: number): ConnectorError {
  const verdict = table.codes[code] ?? table.otherwise;
  const status = verdict.auth ? 401 : verdict.status ?? httpStatus;
  const fields = verdict.kind === 'validation' ? table.fields?.(code, message) : undefined;
  return new ConnectorError({
    kind: verdict.kind, system: table.system, status, code, body, retryAfterMs: verdict.kind === 'transient' ? retryAfterMs ?? verdict.retryAfterMs : undefined,
    ...(fields?.length ? { fields } : {}),
    message: `${table.system} answered ${code} ${message}${httpStatus !== 200 ? ` (HTTP ${httpStatus})` : ''}`,
  });
}
