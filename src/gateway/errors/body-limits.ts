import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiError, validationFailed } from './api-error';

/** Deeper than this, a JSON body is refused: no record, credential or config nests so deep. */
export const MAX_BODY_DEPTH = 32;
/** More values than this in one body are refused (100,000 records of ~20 fields fit). */
export const MAX_BODY_VALUES = 5_000_000;

/** The path of the first place a value nests deeper than maxDepth, or of the value past maxValues; iterative (no recursion). */
export function bodyLimitProblem(body: unknown, maxDepth = MAX_BODY_DEPTH, maxValues = MAX_BODY_VALUES): { field: string; message: string } | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: body, depth: 0, path: '' }];
  let values = 0;
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (++values > maxValues) return { field: path || '(body)', message: `the body holds more than ${maxValues} values` };
    if (typeof value === 'string' && value.includes('\u0000')) return { field: path || '(body)', message: 'must not contain the NUL character' };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) return { field: path || '(body)', message: `nested deeper than ${maxDepth} levels` };
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { field: childPath.split('\u0000').join('\\0'), message: 'a field name must not contain the NUL character' };
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
  return null;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Ids are short and printable; one that is not cannot exist. */
const MAX_ID_LENGTH = 128;

/**
 * Before any handler: a path id that cannot exist (too long, control characters) is a 404; a
 * query or JSON body nested too deep, holding too many values or a NUL character (Postgres cannot
 * store it) is a 400 naming the field.
 */
@Injectable()
export class BodyLimitsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    for (const [name, value] of Object.entries(req.params ?? {})) {
      if (typeof value === 'string' && (value.length > MAX_ID_LENGTH || hasControlCharacter(value))) {
        throw new ApiError(404, 'not_found', `no resource with such ${name}`);
      }
    }
    for (const [where, value] of [['query', req.query], ['body', req.body]] as const) {
      if (value === undefined || value === null || typeof value !== 'object') continue;
      const problem = bodyLimitProblem(value);
      if (problem) throw validationFailed([{ field: (where === 'query' ? `query.${problem.field}` : problem.field).slice(0, 200), message: problem.message }]);
    }
    return next.handle();
  }
}
