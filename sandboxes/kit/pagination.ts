/**
 * Paging helpers for system definitions. Both return the page and where the next one starts;
 * the definition decides how to spell that (HubSpot `paging.next.after`, Salesforce `nextRecordsUrl`,
 * Stripe `has_more` + `starting_after`, Zendesk `next_page`...).
 */

export interface Page<T> {
  items: T[];
  /** Where the next page starts, undefined on the last page. */
  next?: string;
}

/** Offset paging: `after` is the index of the first item of the page, as a string ('0' when absent). */
export function offsetPage<T>(items: readonly T[], options: { after?: string | number | null; limit: number }): Page<T> {
  const start = parseOffset(options.after);
  const end = start + options.limit;
  const page = items.slice(start, end);
  return { items: page, next: end < items.length ? String(end) : undefined };
}

/** Keyset paging over items sorted by key: `after` is the key of the last item already seen. */
export function keysetPage<T>(
  items: readonly T[],
  options: { after?: string | null; limit: number; keyOf: (item: T) => string; compare?: (a: string, b: string) => number },
): Page<T> {
  const compare = options.compare ?? compareNumericStrings;
  const after = options.after ?? null;
  const remaining = after === null ? items : items.filter((item) => compare(options.keyOf(item), after) > 0);
  const page = remaining.slice(0, options.limit);
  const last = page[page.length - 1];
  return { items: page, next: remaining.length > page.length && last !== undefined ? options.keyOf(last) : undefined };
}

/** Parses an offset cursor; anything that is not a non-negative integer counts as 0. */
export function parseOffset(after: string | number | null | undefined): number {
  const n = typeof after === 'number' ? after : Number.parseInt(after ?? '0', 10);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** Orders numeric ids numerically ("9" < "10") and anything else as text. */
export function compareNumericStrings(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
