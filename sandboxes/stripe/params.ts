import { invalidParam, missingParam, unknownParam } from './errors';
import type { Params } from './form';

/** Reading and checking request parameters the way Stripe answers them (param names in form notation). */

export function refuseUnknown(params: Params, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (name === 'expand') continue;
    if (!allowed.includes(name)) unknownParam(name);
  }
}

export function stringParam(params: Params, name: string): string | null | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalidParam(name, `Invalid string: ${JSON.stringify(value)}`);
  return value === '' ? null : value;
}

export function requiredString(params: Params, name: string): string {
  const value = stringParam(params, name);
  if (value === undefined || value === null) missingParam(name);
  return value;
}

/**
 * Stripe reads '' as "unset this parameter" and refuses it for parameters that cannot be unset:
 * integers, booleans and enums unless their description lists '' (none of the ones modelled here).
 */
export function refuseEmpty(name: string, value: string | null): asserts value is string {
  if (value === null) {
    invalidParam(name, `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' `
      + `cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`, 'parameter_invalid_empty');
  }
}

export function integerParam(params: Params, name: string): number | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  refuseEmpty(name, value);
  if (!/^-?\d+$/.test(value)) invalidParam(name, `Invalid integer: ${value}`, 'parameter_invalid_integer');
  return Number(value);
}

export function booleanParam(params: Params, name: string): boolean | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  refuseEmpty(name, value);
  if (value !== 'true' && value !== 'false') invalidParam(name, `Invalid boolean: ${value}`);
  return value === 'true';
}

export function enumParam<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  refuseEmpty(name, value);
  if (!(values as readonly string[]).includes(value)) {
    invalidParam(name, `Invalid ${name}: must be one of ${values.join(', ')}`);
  }
  return value as T;
}

/** A hash parameter (`address[city]=...`): its keys must be among `allowed`; '' is the hash unset (null). */
export function hashParam(params: Params, name: string, allowed: readonly string[]): Params | null | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === '') return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidParam(name, 'Invalid hash');
  for (const key of Object.keys(value as Params)) if (!allowed.includes(key)) unknownParam(`${name}[${key}]`);
  return value as Params;
}

/** Stripe's metadata rules: 50 keys, keys ≤ 40 chars without brackets, values ≤ 500 chars; '' unsets a key. */
export function applyMetadata(current: Record<string, string>, params: Params): Record<string, string> {
  const given = params.metadata;
  if (given === undefined) return current;
  if (given === '') return {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) invalidParam('metadata', 'Invalid hash');
  const next = { ...current };
  for (const [key, value] of Object.entries(given as Params)) {
    const param = `metadata[${key}]`;
    if (key.length > 40) invalidParam(param, `Metadata keys can have up to 40 characters, but you passed in a key that is ${key.length} characters.`);
    if (typeof value !== 'string') invalidParam(param, 'Metadata values must be strings.');
    if (value.length > 500) {
      invalidParam(param, `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters. Invalid value: ${value.slice(0, 20)}...`);
    }
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) invalidParam('metadata', 'You can have up to 50 metadata keys.');
  return next;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function emailParam(params: Params): string | null | undefined {
  const email = stringParam(params, 'email');
  if (typeof email === 'string' && !EMAIL.test(email)) invalidParam('email', `Invalid email address: ${email}`, 'email_invalid');
  return email;
}
