import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { ObjectSpec } from '../contract';
import { functionFailure, SYSTEM } from './errors';
import type { IntacctGateway } from './gateway';
import { fieldLabels, ID, KEYS_PER_READ } from './objects';
import type { FunctionResult, IntacctFunction } from './xml';

export type Row = Record<string, unknown>;

/** Rows per readByQuery / readMore page (the documented maximum is 1000). */
export const PAGE_SIZE = 1000;

/**
 * The functions the connector calls, typed: read (by RECORDNO), readByName (by the object's ID
 * field), readByQuery + readMore, create / update / delete. No decisions here.
 */
export class IntacctApi {
  constructor(private readonly gateway: IntacctGateway, private readonly pageSize = PAGE_SIZE) {}

  /**
   * The records with these keys: `read` for RECORDNO, `readByName` for the ID field, 100 keys a
   * function, every function in one request. A key Intacct does not have is simply absent.
   */
  async readByKeys(spec: ObjectSpec, keyField: string, keys: string[], fields: string[]): Promise<Row[]> {
    const fn = keyField === ID ? 'read' : 'readByName';
    const functions = chunk(keys, KEYS_PER_READ).map((part, i): IntacctFunction => ({
      controlId: `${fn}-${i}`, call: { [fn]: { object: spec.name, keys: part.join(','), fields: fields.join(',') } },
    }));
    const results = await this.gateway.run(functions);
    return results.flatMap((r) => succeeded(r, fieldLabels[spec.name]).data?.records ?? []);
  }

  /** readByQuery, then readMore on its resultId until nothing remains. */
  async query(object: string, query: string, fields: string[]): Promise<Row[]> {
    const [first] = await this.gateway.run([{ controlId: 'query', call: { readByQuery: { object, fields: fields.join(','), query, pagesize: this.pageSize } } }]);
    let page = succeeded(first, fieldLabels[object]);
    const rows = [...page.data?.records ?? []];
    while ((page.data?.numRemaining ?? 0) > 0 && page.data?.resultId) {
      const [more] = await this.gateway.run([{ controlId: 'more', call: { readMore: { resultId: page.data.resultId } } }]);
      page = succeeded(more, fieldLabels[object]);
      rows.push(...page.data?.records ?? []);
    }
    return rows;
  }

  /** Write functions (create/update/delete), one request per FUNCTIONS_PER_REQUEST, answered in order. */
  async write(functions: IntacctFunction[], perRequest: number): Promise<FunctionResult[]> {
    const results: FunctionResult[] = [];
    for (const part of chunk(functions, perRequest)) results.push(...await this.gateway.run(part));
    return results;
  }
}

/** A read function's result, or its failure as a permanent error of the whole call (a read refused is no record's fault). */
function succeeded(result: FunctionResult, labels: Record<string, string> = {}): FunctionResult {
  if (result.status === 'success') return result;
  const error = functionFailure(result, labels);
  throw new ConnectorError({ kind: 'permanent', system: SYSTEM, code: error.code, body: error.body, message: error.message });
}
