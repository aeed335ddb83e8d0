import type { FieldError } from '../contract';
import { fieldsMentioned } from '../kit';
import { sageX3Objects } from './objects';

export const SYSTEM = 'sage-x3';

/**
 * Syracuse error bodies: `$diagnoses` lists of `{ $severity, $message }`, on the resource and on
 * each property that failed (`BPCNAM: { $diagnoses: [...] }` beside the values). A property's own
 * diagnoses name it; otherwise fields are read out of the resource's messages.
 */
interface Diagnosis {
  $severity?: unknown;
  $message?: unknown;
}

const errorOf = (d: Diagnosis) => d.$severity === 'error' && typeof d.$message === 'string' && d.$message !== '';

function diagnosesOf(value: unknown): Diagnosis[] {
  const list = (value as { $diagnoses?: unknown } | null)?.$diagnoses;
  return Array.isArray(list) ? list as Diagnosis[] : [];
}

export function extractCode(body: unknown): string | undefined {
  const first = diagnosesOf(body).find(errorOf);
  return first ? 'error' : undefined;
}

const names: Record<string, string> = Object.fromEntries(sageX3Objects.flatMap((o) => o.fields.filter((f) => !f.readOnly).map((f) => [f.name, f.name])));

export function extractFields(body: unknown): FieldError[] {
  if (typeof body !== 'object' || body === null) return [];
  const byProperty = Object.entries(body as Record<string, unknown>)
    .filter(([name]) => !name.startsWith('$'))
    .flatMap(([name, value]) => diagnosesOf(value).filter(errorOf).map((d) => ({ field: name, message: String(d.$message) })));
  if (byProperty.length > 0) return byProperty;
  const messages = diagnosesOf(body).filter(errorOf).map((d) => String(d.$message));
  const named = fieldsMentioned(messages, names);
  return named.length > 0 ? named : messages.map((message) => ({ field: '*', message }));
}
