import { Catch, HttpException, HttpStatus, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { redact } from '../../platform/credentials/redact';
import { isPoolTimeout } from '../../platform/db/pool';
import { GATEWAY_LOGGER } from '../tokens';
import { ApiError, type ApiErrorBody } from './api-error';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Turns every exception into `{ error: { code, message, fields? } }`: ours (ApiError), Nest's own
 * (unknown routes, body-parser failures) and unexpected ones (500, logged, message not shown).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(GATEWAY_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const { status, body } = this.toBody(exception, req);
    if (res.headersSent) return;
    res.status(status).json(body);
  }

  private toBody(exception: unknown, req: Request): { status: number; body: ApiErrorBody } {
    if (exception instanceof ApiError) return { status: exception.getStatus(), body: exception.toBody() };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
      return { status, body: { error: { code, message: redact(messageOf(exception)) } } };
    }
    if (isPoolTimeout(exception)) {
      this.logger.warn({ method: req.method, path: req.path }, 'no database connection became free in time');
      return { status: HttpStatus.SERVICE_UNAVAILABLE, body: { error: { code: 'busy', message: 'the service is busy, retry shortly' } } };
    }
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error({ method: req.method, path: req.path, err: { name: err.name, message: redact(err.message), stack: redact(err.stack ?? '') } },
      'unhandled error');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: { error: { code: 'internal', message: 'an unexpected error occurred; it has been logged' } },
    };
  }
}
