import type { HandlerContext, Reply, SandboxRequest } from '../kit';
import { answer } from './answer';
import { invalidParam } from './errors';
import { paramsOf } from './form';
import { integerParam, requiredString, stringParam } from './params';
import { present, type Fields, type ResourceSpec } from './resources';
import type { SearchIndex } from './search-index';
import { apiVersionOf } from './versions';

/**
 * The Search API (docs.stripe.com/search#search-query-language): `GET /v1/<resource>/search?query=`
 * with clauses `field:'value'` or `metadata['key']:'value'` (exact match), optionally negated with
 * `-`, joined by AND or by OR (not both), up to 10 clauses; paged with `page`/`next_page`. Deleted
 * objects are never found. Matching runs on the search index, which trails writes (search-index.ts).
 */
interface Clause {
  negated: boolean;
  field: string;
  metadataKey?: string;
  value: string;
}

const CLAUSE = /^(-?)(?:metadata\[(['"])(.+?)\2\]|([a-z_]+)):(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s'"]+))$/;
const MAX_CLAUSES = 10;

export function parseQuery(query: string): { clauses: Clause[]; joiner: 'AND' | 'OR' } {
  const parts = query.trim().split(/\s+(AND|OR)\s+/);
  const joiners = new Set(parts.filter((_, i) => i % 2 === 1));
  if (joiners.size > 1) invalidParam('query', 'Search queries cannot mix AND and OR.');
  const clauses = parts.filter((_, i) => i % 2 === 0).map((text) => {
    const m = CLAUSE.exec(text);
    if (!m) invalidParam('query', `The query "${query}" could not be parsed near "${text}". See https://stripe.com/docs/search#search-query-language.`);
    const raw = m[5] ?? m[6] ?? m[7] ?? '';
    return { negated: m[1] === '-', field: m[3] !== undefined ? 'metadata' : m[4] ?? '', metadataKey: m[3], value: raw.replace(/\\(.)/g, '$1') };
  });
  if (clauses.length > MAX_CLAUSES) invalidParam('query', `Search queries can have at most ${MAX_CLAUSES} clauses.`);
  return { clauses, joiner: joiners.has('OR') ? 'OR' : 'AND' };
}

function matches(object: Fields, clause: Clause): boolean {
  const value = clause.metadataKey !== undefined ? (object.metadata as Record<string, string> | undefined)?.[clause.metadataKey] : object[clause.field];
  const hit = value !== undefined && value !== null && String(value) === clause.value;
  return clause.negated ? !hit : hit;
}

export function searchRoute(spec: ResourceSpec, index: SearchIndex) {
  return {
    method: 'GET' as const,
    path: `/v1/${spec.collection}/search`,
    handle(req: SandboxRequest, ctx: HandlerContext): Reply {
      const params = paramsOf(undefined, req.query);
      const { clauses, joiner } = parseQuery(requiredString(params, 'query'));
      for (const c of clauses) {
        if (c.field !== 'metadata' && !spec.searchFields.includes(c.field)) invalidParam('query', `Field '${c.field}' is an unsupported search field for ${spec.object}.`);
      }
      const limit = integerParam(params, 'limit') ?? 10;
      if (limit < 1 || limit > 100) invalidParam('limit', 'This value must be less than or equal to 100.', 'parameter_invalid_integer');
      const offset = Number(stringParam(params, 'page') ?? '0') || 0;
      const version = apiVersionOf(req);
      const found = ctx.records.list(spec.collection).filter((r) => {
        const indexed = index.searchable(ctx, spec.collection, r);
        if (r.archived || indexed === null) return false;
        const o = present(spec, { ...r, fields: indexed });
        return joiner === 'AND' ? clauses.every((c) => matches(o, c)) : clauses.some((c) => matches(o, c));
      }).reverse();
      const data = found.slice(offset, offset + limit).map((r) => answer(spec, r, ctx, version));
      const more = offset + limit < found.length;
      return {
        status: 200,
        body: { object: 'search_result', data, has_more: more, next_page: more ? String(offset + limit) : null, url: `/v1/${spec.collection}/search` },
      };
    },
  };
}
