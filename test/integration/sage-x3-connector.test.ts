import type { ConnectorContext, DestinationContract } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { SageX3Api } from '../../src/connectors/sage-x3/api';
import { sageX3Source } from '../../src/connectors/sage-x3/source';
import { startSageX3Sandbox } from '../../sandboxes/sage-x3';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

// The Sage X3 connector against its sandbox through the registered definition: api1 URLs with
// representation facets, $diagnoses naming properties, $links.$next paging, UPDDATTIM capture.

type Logged = { method: string; path: string; status: number; query: string };

describe('Sage X3 connector against the sandbox', () => {
  const def = findConnector('sage-x3')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const admin = sandboxAdmin(() => sandbox.url);
  const requests = async (): Promise<Logged[]> => (await admin('GET', 'requests')).requests;
  const customers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ BPCNUM: `C${from + i}`, BPCNAM: `Customer ${from + i}`, CUR: 'EUR' }));

  beforeAll(async () => { sandbox = await startSageX3Sandbox(); });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    ctx = await connectToSandbox(def, sandbox.url);
    dest = def.destination(ctx);
  });

  it('writes through the class with the facet each operation needs', async () => {
    await dest.write('BPCUSTOMER', 'upsert', 'BPCNUM', customers(1));
    await dest.write('BPCUSTOMER', 'upsert', 'BPCNUM', [{ BPCNUM: 'C0', BPCSHO: 'SHORT' }]);
    await dest.delete('BPCUSTOMER', 'BPCNUM', ['C0']);
    const calls = (await requests()).map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query).get('representation')}`);
    expect(calls).toEqual(expect.arrayContaining([
      'POST /api1/x3/erp/SEED/BPCUSTOMER BPCUSTOMER.$create',
      "PUT /api1/x3/erp/SEED/BPCUSTOMER('C0') BPCUSTOMER.$edit",
      "DELETE /api1/x3/erp/SEED/BPCUSTOMER('C0') BPCUSTOMER.$details",
      'GET /api1/x3/erp/SEED/BPCUSTOMER BPCUSTOMER.$query',
    ]));
  });

  it('a refusal fails its record naming the property its $diagnoses sit on', async () => {
    const results = await dest.write('BPCUSTOMER', 'create', 'BPCNUM', [{ BPCNUM: 'C9', BPCNAM: 'Nine', CUR: 'euros' }, { BPCNUM: 'C8' }, ...customers(1)]);
    expect(results.map((r) => [r.outcome, r.errors?.map((e) => e.field)])).toEqual([['failed', ['CUR']], ['failed', ['BPCNAM']], ['created', undefined]]);
  });

  it('follows $links.$next until the last page', async () => {
    await admin('POST', 'seed', { objects: { BPCUSTOMER: customers(5) } });
    const rows = await new SageX3Api(ctx.http, 2).query(def.objects[0], "BPCNAM ne ''", 'BPCNUM asc');
    expect(rows.map((r) => r.BPCNUM)).toEqual(['C0', 'C1', 'C2', 'C3', 'C4']);
    expect((await requests()).map((r) => new URLSearchParams(r.query).get('startIndex'))).toEqual([null, '3', '5']);
  });

  it('captures creates and updates on UPDDATTIM as a keyset, without repeats', async () => {
    const source = sageX3Source(new SageX3Api(ctx.http), { now: () => Date.now() + 3_000 });
    await dest.write('BPCUSTOMER', 'create', 'BPCNUM', customers(2));
    const first = await source.capture('BPCUSTOMER', null);
    expect(first.changes.map((c) => c.recordId)).toEqual(['C0', 'C1']);
    await new Promise((r) => setTimeout(r, 1100));
    await dest.write('BPCUSTOMER', 'update', 'BPCNUM', [{ BPCNUM: 'C0', BPCSHO: 'CHANGED' }]);
    const second = await sageX3Source(new SageX3Api(ctx.http), { now: () => Date.now() + 3_000 }).capture('BPCUSTOMER', first.cursor);
    expect(second.changes.map((c) => [c.recordId, c.data?.BPCSHO])).toEqual([['C0', 'CHANGED']]);
    expect((await source.capture('BPCUSTOMER', second.cursor)).changes).toEqual([]);
  });
});
