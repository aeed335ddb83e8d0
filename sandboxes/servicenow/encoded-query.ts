/**
 * A subset of ServiceNow's encoded query strings (sysparm_query; "Encoded query strings" in the
 * platform docs): conditions joined by `^` (AND) and `^OR` (OR with the previous condition), `^NQ`
 * (a new query OR-ed with the rest), and `ORDERBY<field>` / `ORDERBYDESC<field>`. Operators: =, !=,
 * IN, NOT IN, >, >=, <, <=, STARTSWITH, ENDSWITH, LIKE, ISEMPTY, ISNOTEMPTY. String comparisons are
 * case-insensitive, as on an instance's database. A condition on a field the table does not have is
 * dropped, as instances do by default (glide.invalid_query.returns_no_rows = false): a misspelled
 * field widens the query instead of failing it.
 */
export type Row = Record<string, string>;

interface Condition {
  field: string;
  operator: string;
  value: string;
}

export interface EncodedQuery {
  /** OR of ANDs of OR-groups: [query][and-term][or-alternative]. */
  queries: Condition[][][];
  orderBy: Array<{ field: string; descending: boolean }>;
}

const OPERATORS = ['NOT IN', 'ISNOTEMPTY', 'ISEMPTY', 'STARTSWITH', 'ENDSWITH', 'NOTLIKE', 'LIKE', 'IN', '!=', '>=', '<=', '=', '>', '<'];

export function parseEncodedQuery(text: string, knownFields: ReadonlySet<string>): EncodedQuery {
  const query: EncodedQuery = { queries: [], orderBy: [] };
  for (const part of text.split('^NQ')) {
    const terms: Condition[][] = [];
    for (const raw of part.split('^')) {
      if (raw === '' || raw === 'EQ') continue;
      const or = raw.startsWith('OR') && !raw.startsWith('ORDERBY');
      const term = or ? raw.slice(2) : raw;
      if (term.startsWith('ORDERBYDESC')) { query.orderBy.push({ field: term.slice(11), descending: true }); continue; }
      if (term.startsWith('ORDERBY')) { query.orderBy.push({ field: term.slice(7), descending: false }); continue; }
      const condition = parseCondition(term);
      if (!condition || !knownFields.has(condition.field)) continue;
      if (or && terms.length > 0) terms[terms.length - 1].push(condition);
      else terms.push([condition]);
    }
    query.queries.push(terms);
  }
  return query;
}

function parseCondition(term: string): Condition | undefined {
  const field = /^[a-z0-9_.]+/i.exec(term)?.[0];
  if (!field) return undefined;
  const rest = term.slice(field.length);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  return operator ? { field, operator, value: rest.slice(operator.length) } : undefined;
}

export function matches(query: EncodedQuery, row: Row): boolean {
  return query.queries.some((terms) => terms.every((alternatives) => alternatives.some((c) => holds(c, row[c.field] ?? ''))));
}

function holds({ operator, value }: Condition, actual: string): boolean {
  const a = actual.toLowerCase();
  const v = value.toLowerCase();
  switch (operator) {
    case '=': return a === v;
    case '!=': return a !== v;
    case 'IN': return v.split(',').includes(a);
    case 'NOT IN': return !v.split(',').includes(a);
    case 'STARTSWITH': return a.startsWith(v);
    case 'ENDSWITH': return a.endsWith(v);
    case 'LIKE': return a.includes(v);
    case 'NOTLIKE': return !a.includes(v);
    case 'ISEMPTY': return a === '';
    case 'ISNOTEMPTY': return a !== '';
    default: {
      const order = compareValues(actual, value);
      if (operator === '>') return order > 0;
      if (operator === '>=') return order >= 0;
      if (operator === '<') return order < 0;
      return order <= 0;
    }
  }
}

/** Numbers by value; everything else (dates "YYYY-MM-DD HH:mm:ss", sys_ids) as text. */
export function compareValues(a: string, b: string): number {
  if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortRows(rows: Row[], orderBy: EncodedQuery['orderBy']): Row[] {
  if (orderBy.length === 0) return rows;
  return [...rows].sort((x, y) => {
    for (const { field, descending } of orderBy) {
      const order = compareValues(x[field] ?? '', y[field] ?? '');
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  });
}
