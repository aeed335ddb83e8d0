import type { SandboxRequest } from '../kit';
import { fail } from './errors';
import { findSObject, type SObjectSpec } from './schema';

/** /services/data/vXX.X: versions from 42.0 (sObject Collections) up to the one this sandbox follows. */
export function checkVersion(req: SandboxRequest): void {
  const version = req.params.version ?? '';
  const match = /^v(\d+)\.0$/.exec(version);
  if (!match || Number(match[1]) < 42 || Number(match[1]) > 62) fail(404, 'NOT_FOUND', 'The requested resource does not exist');
}

export function sobjectFromPath(name: string | undefined): SObjectSpec {
  const spec = findSObject(name);
  if (!spec) fail(404, 'NOT_FOUND', 'The requested resource does not exist');
  return spec;
}

export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of complex type from the request body');
  }
  return value as Record<string, unknown>;
}

/** A comma-separated query parameter as a list (empty items dropped). */
export function listParam(req: SandboxRequest, name: string): string[] {
  return (req.query.get(name) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
