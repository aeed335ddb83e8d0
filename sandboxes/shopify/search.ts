import type { StoredRecord } from '../kit';

/**
 * Shopify's search syntax (shopify.dev/docs/api/usage/search-syntax), the part connectors use:
 * `field:value`, comparators `field:>value` `>=` `<` `<=`, quoted values ('...' or "..."), `-field:`
 * negation, terms joined by AND (or nothing) and OR (AND binds tighter), and bare words searched in
 * the default fields. Parentheses and wildcards other than `field:*` are not served. A filter the
 * object does not know is ignored, as Shopify ignores it (with a search warning it lists in
 * `extensions.search`; the sandbox lists nothing).
 */
export type Comparator = ':' | '>' | '>=' | '<' | '<=';

export interface Term {
  field: string | null;
  comparator: Comparator;
  value: string;
  quoted: boolean;
  negated: boolean;
}

export type FilterKind = 'text' | 'time' | 'id' | 'handle' | 'tag';

export interface Filter {
  kind: FilterKind;
  value(record: StoredRecord): string | string[] | undefined;
}

export type Filters = Record<string, Filter> & { default?: Filter };

const TERM = /(-?)(?:([a-z_]+):)?(>=|<=|>|<)?\s*(?:"([^"]*)"|'([^']*)'|(\S+))/gy;

/** The query as OR-groups of AND-ed terms. */
export function parseSearch(query: string): Term[][] {
  const groups: Term[][] = [[]];
  TERM.lastIndex = 0;
  const text = query.trim();
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at])) { at++; continue; }
    TERM.lastIndex = at;
    const m = TERM.exec(text);
    if (!m) break;
    at = TERM.lastIndex;
    const [, minus, field, comparator, double, single, bare] = m;
    const quoted = double !== undefined || single !== undefined;
    const value = double ?? single ?? bare ?? '';
    if (!field && !quoted && !comparator && value === 'OR') { groups.push([]); continue; }
    if (!field && !quoted && !comparator && value === 'AND') continue;
    groups[groups.length - 1].push({ field: field ?? null, comparator: (comparator ?? ':') as Comparator, value, quoted, negated: minus === '-' });
  }
  return groups.filter((g) => g.length > 0);
}

export function matchesSearch(query: string | null | undefined, record: StoredRecord, filters: Filters): boolean {
  if (!query || query.trim() === '') return true;
  const groups = parseSearch(query);
  return groups.length === 0 || groups.some((terms) => terms.every((term) => matchesTerm(term, record, filters)));
}

function matchesTerm(term: Term, record: StoredRecord, filters: Filters): boolean {
  const filter = term.field === null ? filters.default : filters[term.field];
  if (!filter) return true;
  const matched = matchesFilter(term, filter, filter.value(record));
  return term.negated ? !matched : matched;
}

function matchesFilter(term: Term, filter: Filter, actual: string | string[] | undefined): boolean {
  if (term.value === '*' && !term.quoted) return actual !== undefined && actual !== '' && !(Array.isArray(actual) && actual.length === 0);
  if (actual === undefined) return false;
  switch (filter.kind) {
    case 'time': return compare(term.comparator, Date.parse(String(actual)), parseTime(term.value));
    case 'id': return compare(term.comparator, numericId(String(actual)), numericId(term.value));
    case 'handle': return term.value.split(',').some((h) => h.trim().toLowerCase() === String(actual).toLowerCase());
    case 'tag': return (Array.isArray(actual) ? actual : [actual]).some((t) => t.toLowerCase() === term.value.toLowerCase());
    case 'text': {
      const values = (Array.isArray(actual) ? actual : [actual]).map((v) => v.toLowerCase());
      const wanted = term.value.toLowerCase();
      // A phrase (quoted) matches the whole value; a bare word matches a token of it.
      return term.quoted ? values.includes(wanted) : values.some((v) => v === wanted || v.split(/[\s@.,_-]+/).includes(wanted));
    }
  }
}

function compare(comparator: Comparator, actual: number, wanted: number): boolean {
  if (Number.isNaN(actual) || Number.isNaN(wanted)) return false;
  switch (comparator) {
    case ':': return actual === wanted;
    case '>': return actual > wanted;
    case '>=': return actual >= wanted;
    case '<': return actual < wanted;
    case '<=': return actual <= wanted;
  }
}

/** An ISO date-time, or a date (midnight UTC), as epoch ms. */
function parseTime(value: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** The numeric part of a GID (gid://shopify/Product/42) or a bare number. */
export function numericId(value: string): number {
  const m = /(\d+)$/.exec(value);
  return m ? Number(m[1]) : Number.NaN;
}
