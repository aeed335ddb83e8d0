import { redact } from './credentials/redact';

/**
 * A printable view of a connector's cursor that says where it stands and never what it holds: it
 * travels in activity results, workflow histories and GET /v1/captures, while a cursor is the
 * connector's own (it may keep ids, fingerprints, paging tokens or, wrongly, record content).
 *
 * Only positions are shown: numbers, booleans, and strings that read as a time or a number (epoch
 * seconds or ms, a Slack ts, an ISO date). Any other string is shown by its length, a list by its
 * count, and an object by its fields while they are few and named like fields (a position such as
 * { at, id }); otherwise by its count of entries (a map keyed by record ids or ts).
 * Example: `latest=1700000000.000100 known={12} threads=[3] poll.historyNext=‹24 chars›`.
 */
export function summarizeCursor(cursor: unknown): string {
  const parts: string[] = [];
  describe(cursor ?? null, '', 0, parts);
  const text = redact(parts.join(' '));
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

const MAX_LENGTH = 200;
const MAX_DEPTH = 2;
const MAX_FIELDS = 12;
const MAX_POSITION_LENGTH = 40;
/** Digits with the separators of a time or a decimal: 1700000000.000100, 1764560000000, 2026-12-01T04:43:23.000Z. */
const POSITION = /^-?\d[\d.:+\-TZ]*$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function describe(value: unknown, path: string, depth: number, parts: string[]): void {
  const label = (shown: string) => parts.push(path ? `${path}=${shown}` : shown);
  if (value === null || typeof value === 'boolean') return void label(String(value));
  if (typeof value === 'number') return void label(Number.isFinite(value) ? String(value) : 'NaN');
  if (typeof value === 'string') return void label(isPosition(value) ? value : `‹${value.length} chars›`);
  if (Array.isArray(value)) return void label(`[${value.length}]`);
  if (typeof value !== 'object') return void label(`‹${typeof value}›`);
  const keys = Object.keys(value);
  if (depth >= MAX_DEPTH || keys.length > MAX_FIELDS || !keys.every((k) => FIELD_NAME.test(k))) return void label(`{${keys.length}}`);
  if (keys.length === 0) return void label('{}');
  for (const key of keys) describe((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1, parts);
}

function isPosition(text: string): boolean {
  return text.length <= MAX_POSITION_LENGTH && POSITION.test(text);
}
