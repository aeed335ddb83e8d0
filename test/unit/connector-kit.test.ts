import { z } from 'zod';
import {
  compareKeysetIds, deleteConfirmed, describedObjects, keysetPositionSchema, objectCatalog, parseConfig, parseCursor, pollJob,
  recreateValues, settledUntil, sameKey, normaliserOf, withCurrentVersion,
} from '../../src/connectors/kit';
import type { ObjectSpec } from '../../src/connectors/contract';
import { ConnectorError, classifyHttp } from '../../src/platform/errors';

const spec: ObjectSpec = {
  name: 'contacts', naturalKeys: ['id', 'email'], operations: ['create', 'update'], batchSize: 10, cursor: 'timestamp',
  fields: [{ name: 'id', type: 'string', readOnly: true }, { name: 'email', type: 'string', keyMatch: 'case-insensitive' }, { name: 'name', type: 'string' }],
  systemFields: ['attributes'],
};
const noWait = () => Promise.resolve();

describe('connector kit', () => {
  it('names every invalid config field, as a permanent error', () => {
    const schema = z.object({ baseUrl: z.string().url(), apiVersion: z.string().regex(/^v\d+$/) });
    try {
      parseConfig('acme', schema, { baseUrl: 'nope', apiVersion: 'x' });
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as ConnectorError).kind).toBe('permanent');
      expect((err as ConnectorError).fields?.map((f) => f.field)).toEqual(['config.baseUrl', 'config.apiVersion']);
    }
  });

  it('refuses unknown objects and operations an ObjectSpec does not list', () => {
    const catalog = objectCatalog('acme', [spec]);
    expect(() => catalog.spec('deals')).toThrow(/no object "deals": objects are contacts/);
    expect(() => catalog.requireOperation('contacts', 'delete')).toThrow(/does not support delete: it supports create, update/);
    expect(catalog.requireOperation('contacts', 'update')).toBe(spec);
  });

  it("finds a system's own description of an object by name, and refuses an unknown one as the catalog does", () => {
    const described = [{ spec, path: 'crm/contacts' }, { spec: { ...spec, name: 'deals' }, path: 'crm/deals' }];
    const find = describedObjects('acme', described);
    expect(find('deals')).toBe(described[1]);
    expect(find('contacts')).toBe(described[0]);
    expect(() => find('tickets')).toThrow(/no object "tickets": objects are contacts, deals/);
  });

  it('compares keys as the field says', () => {
    expect(sameKey(spec, 'email', 'A@x.io ', 'a@X.io')).toBe(true);
    expect(sameKey(spec, 'id', 'Ab', 'ab')).toBe(false);
    const byPrefix = normaliserOf({ exactFirst: 15 });
    expect(byPrefix(' 001000000000abcAAA')).toBe(byPrefix('001000000000abc'));
    expect(byPrefix('001000000000ABCAA2')).not.toBe(byPrefix('001000000000abc'));
  });

  it('re-creates from writable, non-blank values only', () => {
    expect(recreateValues(spec, { id: '1', attributes: {}, email: 'a@x.io', name: '' })).toEqual({ email: 'a@x.io' });
  });

  it('reports a delete the system accepted but a read still finds as failed, never deleted', async () => {
    const results = await deleteConfirmed({
      systemName: 'Acme', object: 'contacts', keyField: 'id', keys: ['1', '2', '3'], wait: noWait,
      idsOf: async (keys) => new Map(keys.map((k) => [k, k === '3' ? null : k])),
      remove: async () => new Map(),
      stillPresent: async (ids) => new Set(ids.filter((id) => id === '2')),
    });
    expect(results.map((r) => r.outcome)).toEqual(['deleted', 'failed', 'deleted']);
    expect(results[1].errors?.[0]).toMatchObject({ field: 'id', message: expect.stringContaining('still there') });
  });

  it('orders keyset ids numerically when both are numbers, and reads old HubSpot cursors', () => {
    expect(compareKeysetIds('9', '10')).toBeLessThan(0);
    expect(compareKeysetIds('', '1')).toBeLessThan(0);
    expect(compareKeysetIds('a0B', 'a0C')).toBeLessThan(0);
    expect(keysetPositionSchema.parse({ at: 5, id: '0' })).toEqual({ at: 5, id: '' });
    expect(settledUntil(10_500, 5_000, 1000)).toBe(4_000);
    expect(() => parseCursor('acme', keysetPositionSchema, { at: 'x' }, () => ({ at: 0, id: '' }))).toThrow(/not one this connector wrote/);
  });

  it('re-reads a stale version token and retries, at most three times', async () => {
    const tokens = ['1', '2', '3', '4'];
    const seen: Array<string | undefined> = [];
    const stale = () => new ConnectorError({ kind: 'validation', system: 'acme', code: '5010', message: 'Stale Object Error' });
    await expect(withCurrentVersion({
      readVersion: async () => tokens.shift(),
      attempt: async (v) => { seen.push(v); if (v !== '3') throw stale(); return v; },
      isStale: (err) => err instanceof ConnectorError && err.code === '5010',
    })).resolves.toBe('3');
    expect(seen).toEqual(['1', '2', '3']);
    await expect(withCurrentVersion({ readVersion: async () => 'x', attempt: async () => { throw stale(); }, isStale: () => true }))
      .rejects.toThrow(/Stale Object Error/);
  });

  it('polls an asynchronous job to completion, heartbeating each poll', async () => {
    const states = ['queued', 'working', 'completed'];
    const beats: string[] = [];
    const done = await pollJob({ system: 'acme', describe: 'acme job 1', poll: async () => states.shift()!, isDone: (s) => s === 'completed',
      heartbeat: (s) => beats.push(s), wait: noWait });
    expect(done).toBe('completed');
    expect(beats).toEqual(['queued', 'working', 'completed']);
    let t = 0;
    await expect(pollJob({ system: 'acme', describe: 'acme job 2', poll: async () => 'working', isDone: () => false,
      timeoutMs: 1000, now: () => (t += 600), wait: noWait })).rejects.toMatchObject({ kind: 'transient' });
  });

  it('keeps the vendor code and a scrubbed body on HTTP errors', () => {
    const err = classifyHttp('acme', 400, {}, { error: { code: 'bad_email', detail: 'authorization: Bearer abcdefghijkl' } },
      { extractCode: (b) => (b as { error: { code: string } }).error.code });
    expect(err.code).toBe('bad_email');
    expect(JSON.stringify(err.body)).not.toContain('abcdefghijkl');
    expect(err.message).toContain('bad_email');
  });
});
