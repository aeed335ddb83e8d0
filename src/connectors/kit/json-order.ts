/**
 * Nested values (invoice lines) are compared by the platform as JSON text, and a load's records come
 * back from Postgres `jsonb`, which keeps object keys shorter-first, then in byte order. A connector
 * that reads such a value back in that same order compares equal to what was written, whatever
 * order the system answered its keys in.
 */
export function inStoredKeyOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => inStoredKeyOrder(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => a.length - b.length || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Object.fromEntries(entries.map(([key, item]) => [key, inStoredKeyOrder(item)])) as T;
}
