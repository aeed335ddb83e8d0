import type { DestinationContract, Rec } from '../../src/connectors/contract';
import type { ObjectSpec } from '../../src/platform/object-spec';
import { readWritten } from '../../src/platform/load/read-back';

// Verify's read-back: by the id the write answered when the natural key is found through a search
// index that trails writes, by natural key otherwise.
function destination(records: Rec[]): { dest: DestinationContract; reads: string[] } {
  const reads: string[] = [];
  const dest = {
    async read(_object: string, keyField: string, keys: string[]) {
      reads.push(`${keyField}:${keys.join(',')}`);
      return new Map(keys.map((k) => [k, records.find((r) => r[keyField] === k) ?? null]));
    },
  } as unknown as DestinationContract;
  return { dest, reads };
}

const spec = (keyLookup?: 'search-index'): ObjectSpec => ({
  name: 'things', naturalKeys: ['id', 'ext'], operations: ['upsert'], batchSize: 10, cursor: 'event-id',
  fields: [{ name: 'id', type: 'string', readOnly: true }, { name: 'ext', type: 'string', ...(keyLookup ? { keyLookup } : {}) }],
});

describe('verify reads back by id where the natural key lags writes', () => {
  const written = [{ id: 'x1', ext: 'a', name: 'A' }];
  const rows = [{ key: 'a', systemId: 'x1', data: { ext: 'a', name: 'A' } }, { key: 'b', systemId: null, data: { ext: 'b' } }];

  it('reads by the id the write answered for a search-index key, by key for the rest; keyed by natural key', async () => {
    const { dest, reads } = destination(written);
    const got = await readWritten({ load: { object: 'things', naturalKey: 'ext' }, spec: spec('search-index'), destination: dest, idField: 'id' }, rows);
    expect(reads).toEqual(['ext:b', 'id:x1']);
    expect(got).toEqual(new Map([['b', null], ['a', written[0]]]));
  });

  it('reads by natural key when the key is read consistently (one read, as every other step)', async () => {
    const { dest, reads } = destination(written);
    await readWritten({ load: { object: 'things', naturalKey: 'ext' }, spec: spec(), destination: dest, idField: 'id' }, rows);
    expect(reads).toEqual(['ext:a,b']);
  });
});
