import { ReplyError, type HandlerContext } from '../kit';
import { validationError } from './errors';

/** Small readers for HubSpot request bodies, answering HubSpot's 400 when the shape is wrong. */
export function asObject(body: unknown, ctx: HandlerContext): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ReplyError(validationError(ctx.correlationId, 'Invalid input JSON on line 1, column 1: a JSON object is required'));
  }
  return body as Record<string, unknown>;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** Drops cleared (undefined) values: what a new record is created with. */
export function definedOnly(properties: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).filter((e): e is [string, string] => e[1] !== undefined));
}
