import { ConnectorError, classifyHttp } from '../../platform/errors';
import type { HttpResponse } from '../../platform/http';
import type { FieldError } from '../../platform/records';

export const SYSTEM = 'snowflake';

/** Snowflake's error code of a QueryFailureStatus body (`code`: '000904', ...). */
export function extractCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** "invalid identifier 'SHOE_SIZE'" names the column; other value errors name none ('*'). */
export function extractFields(body: unknown): FieldError[] {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return [];
  const column = /invalid identifier '"?([^'"]+)"?'/.exec(message)?.[1];
  return [{ field: column ?? '*', message }];
}

/**
 * Errors of the connection rather than of a record, although Snowflake answers them 422: no warehouse,
 * a database, schema or table that does not exist or is not granted, a table without change tracking.
 */
const CONNECTION_CODES = new Set(['000606', '002003', '002043', '000008', '001003', '002140']);

export function classifyAnswer(res: HttpResponse<unknown>): ConnectorError | null {
  if (res.status !== 422) return null;
  const code = extractCode(res.body);
  const message = (res.body as { message?: unknown } | null)?.message;
  if (code && (CONNECTION_CODES.has(code) || (typeof message === 'string' && /Change tracking is not enabled/.test(message)))) {
    const base = classifyHttp(SYSTEM, res.status, res.headers, res.body, { extractCode });
    return new ConnectorError({ kind: 'permanent', system: SYSTEM, status: res.status, code, body: base.body, message: `snowflake refused the statement (${code}): ${String(message)}` });
  }
  return null;
}
