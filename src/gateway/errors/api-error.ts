import { HttpException, HttpStatus } from '@nestjs/common';
import { redact } from '../../platform/credentials/redact';

export interface FieldProblem {
  field: string;
  message: string;
}

/** The body of every 4xx/5xx answer: `{ error: { code, message, fields? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: FieldProblem[] };
}

/** An HTTP error in the API's own shape; messages always pass through the redactor. */
export class ApiError extends HttpException {
  constructor(status: number, readonly code: string, message: string, readonly fields?: FieldProblem[]) {
    super(redact(message), status);
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { error: { code: this.code, message: this.message } };
    if (this.fields && this.fields.length > 0) {
      body.error.fields = this.fields.map((f) => ({ field: redact(f.field), message: redact(f.message) }));
    }
    return body;
  }
}

export const MAX_REPORTED_FIELDS = 1000;

export function validationFailed(fields: FieldProblem[]): ApiError {
  const shown = fields.slice(0, MAX_REPORTED_FIELDS);
  const more = fields.length > shown.length ? ` (the first ${shown.length} of ${fields.length} problems are listed)` : '';
  const names = shown.slice(0, 5).map((f) => f.field).join(', ');
  const message = `the request is invalid: ${names}${shown.length > 5 ? ', ...' : ''}${more}`;
  return new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', message, shown);
}

/** 404 for a resource that does not exist or belongs to another tenant: the two are never told apart. */
export function notFound(resource: string, id: string): ApiError {
  return new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no ${resource} with id ${id}`);
}

export function conflict(message: string): ApiError {
  return new ApiError(HttpStatus.CONFLICT, 'conflict', message);
}

export function unauthorized(message: string): ApiError {
  return new ApiError(HttpStatus.UNAUTHORIZED, 'unauthorized', message);
}

/** 429 with Retry-After (seconds): a tenant's request rate or concurrent work is over its limit. */
export class TooManyRequests extends ApiError {
  constructor(message: string, readonly retryAfterSeconds: number, code = 'too_many_requests') {
    super(HttpStatus.TOO_MANY_REQUESTS, code, message);
  }
}

export function serviceUnavailable(code: string, message: string): ApiError {
  return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, code, message);
}
