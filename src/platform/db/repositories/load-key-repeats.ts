import type { PoolClient } from 'pg';
import type { KeyMatch } from '../../object-spec';

/** A natural key that more than one record of a load carries. */
export interface RepeatedKey {
  /** How many records carry it. */
  count: number;
  /** The first of them (at most `perKey`), in body order: their indexes and keys as written. */
  records: Array<{ index: number; key: string }>;
}

export interface KeyRepeats {
  /** The first repeated keys, by where each first appears in the load. */
  repeated: RepeatedKey[];
  /** How many keys repeat in all (listed or not). */
  total: number;
}

/**
 * What JavaScript's String.prototype.trim removes (WhiteSpace and LineTerminator): Postgres'
 * btrim removes only spaces unless told, and connectors compare keys trimmed the JavaScript way
 * (kit/keys.ts keyNormaliser).
 */
const JS_TRIMMED = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/**
 * The form in which the system compares keys, in SQL (`$2` is JS_TRIMMED), as kit/keys.ts
 * keyNormaliser does in TypeScript. Case is folded under pg_c_utf8 (Unicode case mapping), not
 * the database's own locale, whose lower() may fold ASCII letters only. Both collations group
 * exactly as the database's own would (equal means the same bytes) and sort by bytes: the
 * aggregate's sort of a million keys is a fifth faster than under a language's collation.
 */
function comparedKey(match: KeyMatch): string {
  const trimmed = 'btrim(record_key, $2)';
  if (match === 'case-insensitive') return `lower(${trimmed} COLLATE pg_c_utf8)`;
  // left() counts characters, as String.prototype.slice counts UTF-16 units: ids are ASCII.
  if (typeof match === 'object') return `left(${trimmed}, ${leadingLength(match.exactFirst)}) COLLATE "C"`;
  return `${trimmed} COLLATE "C"`;
}

/** A declared prefix length, checked before it is written into SQL. */
function leadingLength(n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`keyMatch exactFirst must be a positive integer, not ${n}`);
  return n;
}

/**
 * Keys that two or more records of a stored load carry, compared as the system compares them:
 * run in the transaction that stored the records, before anything acts on them. One aggregate
 * in Postgres whatever the number of records (no key is held in memory here), and a second read
 * of the load's records only when some key repeats.
 */
export async function findRepeatedKeys(client: PoolClient, loadId: string, match: KeyMatch,
  limits: { keys: number; perKey: number }): Promise<KeyRepeats> {
  const key = comparedKey(match);
  const { rows: groups } = await client.query<{ key: string; total: number }>(
    `SELECT key, count(*) OVER ()::int AS total
       FROM (SELECT ${key} AS key, min(idx) AS first FROM load_records WHERE load_id = $1
              GROUP BY 1 HAVING count(*) > 1) repeated
      ORDER BY first LIMIT $3`,
    [loadId, JS_TRIMMED, limits.keys]);
  if (groups.length === 0) return { repeated: [], total: 0 };

  const { rows } = await client.query<{ key: string; count: number; idx: number; record_key: string }>(
    `SELECT key, count::int, idx, record_key
       FROM (SELECT ${key} AS key, idx, record_key,
                    row_number() OVER (PARTITION BY ${key} ORDER BY idx) AS nth,
                    count(*) OVER (PARTITION BY ${key}) AS count
               FROM load_records WHERE load_id = $1 AND ${key} = ANY($3::text[])) keyed
      WHERE nth <= $4 ORDER BY idx`,
    [loadId, JS_TRIMMED, groups.map((g) => g.key), limits.perKey]);
  const byKey = new Map<string, RepeatedKey>(groups.map((g) => [g.key, { count: 0, records: [] }]));
  for (const r of rows) {
    const repeated = byKey.get(r.key)!;
    repeated.count = r.count;
    repeated.records.push({ index: r.idx, key: r.record_key });
  }
  return { repeated: [...byKey.values()], total: groups[0].total };
}
