import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { FieldError } from '../contract';
import { errorBody } from '../kit';

/**
 * Google's error bodies: { error: { code, message, status, details? } } where a BadRequest detail
 * lists fieldViolations [{ field, description }] (cloud.google.com/apis/design/errors).
 */
interface GoogleError {
  message?: unknown;
  status?: unknown;
  details?: unknown;
}

function googleError(body: unknown): GoogleError | undefined {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  return typeof error === 'object' && error !== null ? error as GoogleError : undefined;
}

/** The error's status name (INVALID_ARGUMENT, RESOURCE_EXHAUSTED...), for the HTTP client. */
export function extractCode(body: unknown): string | undefined {
  const status = googleError(body)?.status;
  return typeof status === 'string' ? status : undefined;
}

/** The fieldViolations of a BadRequest detail, as Google names them (`data[0].values[0][2]`). */
export function extractFields(body: unknown): FieldError[] {
  const error = googleError(body);
  const details = Array.isArray(error?.details) ? error.details as Array<{ fieldViolations?: unknown }> : [];
  const message = typeof error?.message === 'string' ? error.message : 'invalid value';
  return details.flatMap((d) => (Array.isArray(d.fieldViolations) ? d.fieldViolations : []))
    .filter((v): v is { field: string; description?: unknown } => typeof v?.field === 'string')
    .map((v) => ({ field: v.field, message: typeof v.description === 'string' ? `${message} (${v.description})` : message }));
}

/** Google's message of a failed call, else the error's own. */
export function googleMessage(err: unknown): string {
  const message = googleError(errorBody(err))?.message;
  return typeof message === 'string' ? message : err instanceof Error ? err.message : String(err);
}

/**
 * A refused cell names its place in the request (`data[i].values[r][c]`, `values[r][c]`): the
 * field is the header of column `firstColumn + c`.
 */
export function cellErrorsAsFields(err: unknown, header: string[], firstColumn = 0): FieldError[] | undefined {
  if (!isConnectorError(err) || err.kind !== 'validation') return undefined;
  const fields = (err.fields ?? []).map((f) => {
    const column = /values\[\d+\]\[(\d+)\]/.exec(f.field)?.[1];
    return { field: column === undefined ? f.field : header[firstColumn + Number(column)] ?? f.field, message: f.message };
  });
  return fields.length > 0 ? fields : [{ field: '*', message: googleMessage(err) }];
}

/** "Unable to parse range" for a sheet the spreadsheet lacks: a permanent error naming the sheet. */
export function unknownSheetError(err: unknown, sheet: string, spreadsheetId: string): unknown {
  if (!isConnectorError(err) || err.kind !== 'validation' || !/Unable to parse range/.test(googleMessage(err))) return err;
  return noSuchSheet(sheet, spreadsheetId, err);
}

export function noSuchSheet(sheet: string, spreadsheetId: string, cause?: ConnectorError): ConnectorError {
  return new ConnectorError({
    kind: 'permanent',
    system: 'google-sheets',
    ...(cause ? { status: cause.status, code: cause.code, cause } : {}),
    fields: [{ field: 'object', message: `no sheet named ${JSON.stringify(sheet)}` }],
    message: `spreadsheet ${spreadsheetId} has no sheet named ${JSON.stringify(sheet)}${cause ? ` (Google: "${googleMessage(cause)}")` : ''}`,
  });
}
