import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Key, Rec, RecordResult } from '../contract';
import { deleteConfirmed, keyValue, recreateValues, restoreOrRecreate, writableValues } from '../kit';
import type { MutationAnswer, ShopifyApi } from './api';
import { SYSTEM } from './auth';
import { userErrorFields } from './errors';
import { CUSTOMERS, customerSpec, ID_FIELD, PRODUCTS, productSpec } from './objects';
import { toCustomerInput, toCustomerRecord, toProductRecord, toProductSetInput, type CustomerNode, type ProductNode } from './records';

type Node = ProductNode | CustomerNode;
const specOf = (object: string) => (object === PRODUCTS ? productSpec : customerSpec);

/**
 * Products and customers through Admin GraphQL mutations, a batch of records aliased in one
 * document. Refusals come back as userErrors beside the data (HTTP 200) and fail their record,
 * named by field; deletes are confirmed by a read by id; a deleted record is re-created (Shopify
 * has no undelete), with a new id the load records.
 */
export function shopifyDestination(api: ShopifyApi): DestinationContract {
  /** The current node of each key (by id, handle or email), null when there is none. */
  async function lookup(object: string, keyField: string, keys: Key[]): Promise<Map<Key, Node | null>> {
    const wanted = keys.filter((k) => k.trim() !== '');
    let found: Array<Node | null>;
    if (keyField === ID_FIELD) {
      const nodes = await api.nodes(wanted);
      const typename = object === PRODUCTS ? 'Product' : 'Customer';
      found = wanted.map((id) => { const n = nodes.get(id); return n && n.__typename === typename ? n : null; });
    } else if (object === PRODUCTS && keyField === 'handle') found = await api.productsByHandle(wanted);
    else if (object === CUSTOMERS && keyField === 'email') found = await api.customersByEmail(wanted);
    else throw unknownKey(object, keyField);
    const byKey = new Map<Key, Node | null>(wanted.map((k, i) => [k, found[i]]));
    return new Map(keys.map((k) => [k, byKey.get(k) ?? null]));
  }

  const toRecord = (object: string, node: Node) => (object === PRODUCTS ? toProductRecord(node as ProductNode) : toCustomerRecord(node as CustomerNode));

  async function create(object: string, records: Rec[]): Promise<MutationAnswer[]> {
    const spec = specOf(object);
    if (object === PRODUCTS) return api.productSet(records.map((r) => ({ input: toProductSetInput(writableValues(spec, r), null), identifier: null })));
    return api.customerCreate(records.map((r) => toCustomerInput(writableValues(spec, r))));
  }

  async function update(object: string, targets: Array<{ record: Rec; current: Node }>): Promise<MutationAnswer[]> {
    const spec = specOf(object);
    if (object === PRODUCTS) {
      return api.productSet(targets.map((t) => ({ input: toProductSetInput(writableValues(spec, t.record), t.current as ProductNode), identifier: { id: t.current.id } })));
    }
    return api.customerUpdate(targets.map((t) => ({ ...toCustomerInput(writableValues(spec, t.record)), id: t.current.id })));
  }

  return {
    async read(object, keyField, keys) {
      const current = await lookup(object, keyField, keys);
      return new Map([...current].map(([key, node]) => [key, node ? toRecord(object, node) : null]));
    },

    async write(object, op, keyField, records) {
      const keys = records.map((r) => keyValue(r, keyField));
      const results: RecordResult[] = new Array(records.length);
      const fail = (index: number, errors: FieldError[]) => { results[index] = { index, key: keys[index], outcome: 'failed', errors }; };
      if (op === 'upsert' && keyField === ID_FIELD) {
        records.forEach((_r, i) => fail(i, [{ field: keyField, message: `Shopify chooses ids itself: upsert ${object} by ${specOf(object).naturalKeys[1]}` }]));
        return results;
      }
      const current = op === 'create' ? new Map<Key, Node | null>() : await lookup(object, keyField, keys);
      const creates: number[] = [];
      const updates: number[] = [];
      records.forEach((_r, i) => {
        const found = current.get(keys[i]) ?? null;
        if (found) updates.push(i);
        else if (op === 'update') fail(i, [{ field: keyField, message: `no ${object} with ${keyField} ${keys[i] || '(blank)'}` }]);
        else creates.push(i);
      });
      const settle = (indexes: number[], answers: MutationAnswer[], outcome: 'created' | 'updated') => indexes.forEach((index, i) => {
        const answer = answers[i];
        if (answer.userErrors.length > 0 || !answer.id) fail(index, userErrorFields(answer.userErrors));
        else results[index] = { index, key: keys[index] || answer.id, id: answer.id, outcome };
      });
      if (creates.length > 0) settle(creates, await create(object, creates.map((i) => records[i])), 'created');
      if (updates.length > 0) settle(updates, await update(object, updates.map((i) => ({ record: records[i], current: current.get(keys[i])! }))), 'updated');
      return results;
    },

    delete(object, keyField, keys) {
      return deleteConfirmed({
        systemName: 'Shopify', object, keyField, keys,
        idsOf: async (wanted) => new Map([...(await lookup(object, keyField, wanted))].map(([k, n]) => [k, n?.id ?? null])),
        remove: async (targets) => {
          const ids = targets.map((t) => t.id);
          const answers = object === PRODUCTS ? await api.productDelete(ids) : await api.customerDelete(ids);
          return new Map(answers.flatMap((a, i) => (a.userErrors.length > 0 ? [[ids[i], userErrorFields(a.userErrors)] as const] : [])));
        },
        stillPresent: async (ids) => new Set((await api.nodes(ids)).keys()),
      });
    },

    /**
     * Shopify has no undelete: the before-image is created again, with a new id (and new variant
     * ids). A retried restore finds the record its first attempt made by its handle or email (both
     * unique), rather than being refused as a duplicate.
     */
    restore(object, _keyField, before) {
      return restoreOrRecreate({
        recreate: async () => {
          const uniqueKey = specOf(object).naturalKeys[1];
          const key = typeof before[uniqueKey] === 'string' ? before[uniqueKey] as string : '';
          const already = key ? (await lookup(object, uniqueKey, [key])).get(key) : null;
          if (already) return already.id;
          const [answer] = await create(object, [recreateValues(specOf(object), before)]);
          if (answer.userErrors.length > 0 || !answer.id) {
            const fields = userErrorFields(answer.userErrors);
            throw new ConnectorError({ kind: 'validation', system: SYSTEM, fields, message: `shopify refused to re-create the ${object} record: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}` });
          }
          return answer.id;
        },
      });
    },
  };
}

function unknownKey(object: string, keyField: string): ConnectorError {
  return new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: keyField, message: 'not a key' }],
    message: `shopify ${object} cannot be looked up by ${keyField}: keys are ${specOf(object).naturalKeys.join(', ')}` });
}
