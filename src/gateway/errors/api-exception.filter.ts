import { Catch, HttpException, HttpStatus, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { redact } from '../../platform/credentials/redact';
import { isPoolTimeout } from '../../platform/db/pool';
import { GATEWAY_LOGGER } from '../tokens';
import { ApiError, TooManyRequests, type ApiErrorBody } from './api-error';

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
    if (exception instanceof TooManyRequests) res.setHeader('retry-after', String(exception.retryAfterSeconds));
    if (isPoolTimeout(exception)) res.setHeader('retry-after', '1');
    res.status(status).json(body);
  }

  private toBody(exception: unknown, req: Request): { status: number; body: ApiErrorBody } {
    if (exception instanceof ApiError) return { status: exception.getStatus(), body: exception.toBody() };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
      // Nest turns body-parser's SyntaxError into a 400 whose message quotes the body: never echo it.
      if (status === 400) return { status, body: malformed(messageOf(exception)) };
      return { status, body: { error: { code, message: redact(messageOf(exception)) } } };
    }
    const parserStatus = bodyParserStatus(exception);
    if (parserStatus !== undefined) return { status: parserStatus, body: parserError(parserStatus, exception) };
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

function malformed(message: string): ApiErrorBody {
  if (/JSON/i.test(message)) return { error: { code: 'invalid_json', message: 'the request body is not valid JSON' } };
  return { error: { code: 'bad_request', message: 'the request is malformed (a body that cannot be read, or an invalid percent-encoding in the path)' } };
}

/** The 4xx status of a body-parser error (http-errors: status + type, e.g. entity.too.large), if it is one. */
function bodyParserStatus(exception: unknown): number | undefined {
  const e = exception as { status?: unknown; statusCode?: unknown; type?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 && typeof e?.type === 'string' ? status : undefined;
}

function parserError(status: number, exception: unknown): ApiErrorBody {
  const e = exception as { type?: string; limit?: unknown };
  if (status === 413) {
    return { error: { code: 'payload_too_large', message: `the request body is larger than the ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'limit'} this endpoint accepts` } };
  }
  if (e.type === 'entity.parse.failed') return malformed('JSON');
  if (status === 415) return { error: { code: 'unsupported_media_type', message: 'the body\'s encoding or charset is not supported' } };
  return { error: { code: CODE_BY_STATUS[status] ?? 'bad_request', message: 'the request body could not be read' } };
}
