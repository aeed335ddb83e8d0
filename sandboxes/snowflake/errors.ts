import { json, type AuthFailure, type Reply } from '../kit';
import { SqlCompilationError } from './translate';

/**
 * Snowflake's error bodies: a statement that fails answers 422 with QueryFailureStatus (`code`,
 * `sqlState`, `message`, `statementHandle`, `createdOn`); the codes are Snowflake's own.
 */
export interface StatementFailure {
  httpStatus: number;
  code: string;
  sqlState: string;
  message: string;
}

/** A Postgres error from a translated statement, as Snowflake reports the same mistake. */
export function snowflakeFailure(err: unknown, statement: string): StatementFailure {
  if (err instanceof SqlCompilationError) return { httpStatus: 422, code: err.code, sqlState: err.sqlState, message: err.message };
  const pgError = err as { code?: string; message?: string; column?: string };
  const message = pgError.message ?? String(err);
  const quotedName = /column "([^"]+)"/.exec(message)?.[1] ?? /relation "([^"]+)"/.exec(message)?.[1] ?? '';
  switch (pgError.code) {
    case '42703': {
      const column = quotedName.split('.').pop() ?? quotedName;
      return { httpStatus: 422, code: '000904', sqlState: '42000', message: `SQL compilation error: error line 1 at position ${Math.max(0, statement.indexOf(column))}\ninvalid identifier '${column}'` };
    }
    case '42P01':
      return { httpStatus: 422, code: '002003', sqlState: '42S02', message: `SQL compilation error:\nObject '${quotedName}' does not exist or not authorized.` };
    case '22P02': {
      const value = /: "(.*)"$/.exec(message)?.[1] ?? '';
      if (/boolean/.test(message)) return { httpStatus: 422, code: '100037', sqlState: '22018', message: `Boolean value '${value}' is not recognized` };
      return { httpStatus: 422, code: '100038', sqlState: '22018', message: `Numeric value '${value}' is not recognized` };
    }
    case '22007':
    case '22008': {
      const value = /: "(.*)"$/.exec(message)?.[1] ?? '';
      return { httpStatus: 422, code: '100035', sqlState: '22007', message: `Timestamp '${value}' is not recognized` };
    }
    case '23502':
      return { httpStatus: 422, code: '100072', sqlState: '22000', message: `NULL result in a non-nullable column` };
    case '22003':
      return { httpStatus: 422, code: '100039', sqlState: '22003', message: 'Numeric value out of range' };
    case '42601':
      return { httpStatus: 422, code: '001003', sqlState: '42000', message: `SQL compilation error:\nsyntax error line 1 at position 0 unexpected '${statement.slice(0, 20)}'.` };
    case '57014':
      return { httpStatus: 422, code: '000604', sqlState: '57014', message: 'SQL execution canceled' };
    case '21000':
      return { httpStatus: 422, code: '100090', sqlState: '42P18', message: 'Duplicate row detected during DML action' };
    default:
      return { httpStatus: 422, code: '000603', sqlState: 'XX000', message: `SQL execution internal error: ${pgError.code ?? 'unknown'}` };
  }
}

export function failureBody(failure: StatementFailure, statementHandle: string, createdOn: number): Record<string, unknown> {
  return { code: failure.code, sqlState: failure.sqlState, message: failure.message, statementHandle, createdOn, statementStatusUrl: `/api/v2/statements/${statementHandle}` };
}

/** 401: the OAuth token is missing, invalid or expired (Snowflake's 390303 and 390318). */
export function unauthorized(failure: AuthFailure): Reply {
  if (failure === 'expired') return json(401, { code: '390318', message: 'OAuth access token expired. [0]' });
  return json(401, { code: '390303', message: 'Invalid OAuth access token. [0]' });
}

export function sfMessage(status: number, message: string, code?: string): Reply {
  return json(status, { ...(code ? { code } : {}), message });
}
