import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { Key, ObjectSpec, Rec } from '../contract';
import { keyNormaliser } from '../kit';
import type { Row, ServiceNowApi } from './api';
import { SYSTEM } from './errors';
import { toRecord } from './records';

/** Keys per `<field>IN<a,b,...>` query: the encoded query travels in the URL. */
const KEYS_PER_QUERY = 100;

/**
 * Live records by natural key: one `<keyField>IN<k1,k2,...>` query per 100 keys. Rows are matched
 * back to keys here too: an instance drops a condition on a field the table does not have and
 * answers every row (glide.invalid_query.returns_no_rows defaults to false), so a row only counts
 * for a key it really carries. `,` and `^` separate values and conditions in an encoded query and
 * cannot be escaped inside IN: keys containing them are refused.
 */
export async function readByKey(api: ServiceNowApi, spec: ObjectSpec, keyField: string, keys: Key[], fields?: string[]): Promise<Map<Key, Rec | null>> {
  const normalise = keyNormaliser(spec, keyField);
  const unsafe = keys.find((k) => /[,^]/.test(k));
  if (unsafe !== undefined) {
    throw new ConnectorError({ kind: 'validation', system: SYSTEM, fields: [{ field: keyField, message: 'a key cannot contain "," or "^" (encoded query separators)' }], message: `servicenow cannot look ${spec.name} up by a ${keyField} containing "," or "^"` });
  }
  const wanted = [...new Set(keys.map(normalise).filter((k) => k !== ''))];
  const found = new Map<string, Row>();
  for (const part of chunk(wanted, KEYS_PER_QUERY)) {
    const rows = await api.list(spec.name, { query: `${keyField}IN${part.join(',')}`, fields: columns(spec, keyField, fields) });
    for (const row of rows) {
      const value = row[keyField];
      if (typeof value === 'string' && part.includes(normalise(value))) found.set(normalise(value), row);
    }
  }
  return new Map(keys.map((key) => {
    const row = found.get(normalise(key));
    return [key, row ? toRecord(spec, row) : null];
  }));
}

/** The columns a read asks for: the spec's fields (all columns for tables described at run time). */
export function columns(spec: ObjectSpec, keyField: string, extra: string[] = []): string[] | undefined {
  if (spec.dynamicFields) return undefined;
  return [...new Set([...spec.fields.map((f) => f.name), keyField, ...extra])];
}
