/**
 * The redactor: every secret read is registered here, and every log line, error message,
 * Temporal failure and dead-letter entry passes through `redact`. Besides registered values it
 * scrubs credential-shaped patterns (Authorization headers, bearer tokens, password=...).
 */
const MIN_SECRET_LENGTH = 4;
const registered = new Set<string>();
let pattern: RegExp | null = null;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Registers a secret value (and its URL- and JSON-encoded forms) so it never leaves in text. */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')];
  let added = false;
  for (const f of forms) if (!registered.has(f)) { registered.add(f); added = true; }
  if (added) pattern = null;
}

/** Registers every string leaf of a credentials object. */
export function registerSecrets(credentials: unknown): void {
  if (typeof credentials === 'string') registerSecret(credentials);
  else if (credentials && typeof credentials === 'object') {
    for (const v of Object.values(credentials as Record<string, unknown>)) registerSecrets(v);
  }
}

const SHAPES: Array<[RegExp, string]> = [
  [/(authorization["']?\s*[:=]\s*["']?)(?:bearer|basic|oauth)?\s*[^"',\s}]+(?:[^"'\n,}]*)/gi, '$1[redacted]'],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]'],
  [/((?:password|passwd|api[_-]?key|apikey|client[_-]?secret|refresh[_-]?token|access[_-]?token|secret[_-]?key|token[_-]?secret|consumer[_-]?secret)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi, '$1[redacted]'],
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/g, '[redacted]'],
];

export function redact(text: string): string {
  if (!text) return text;
  let out = text;
  if (registered.size > 0) {
    if (!pattern) {
      const alternatives = [...registered].sort((a, b) => b.length - a.length).map(escapeRegExp);
      pattern = new RegExp(alternatives.join('|'), 'g');
    }
    out = out.replace(pattern, '[redacted]');
  }
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** Deep-redacts a JSON-able value (for dead-letters and API error bodies). */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value ?? null))) as T;
}
