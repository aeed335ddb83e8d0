import type { ConnectorContext, DestinationContract } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { Sage300Api } from '../../src/connectors/sage-300/api';
import { sage300Source } from '../../src/connectors/sage-300/source';
import { startSage300Sandbox } from '../../sandboxes/sage-300';
import type { RunningSandbox } from '../../sandboxes/kit';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

// The Sage 300 connector against its sandbox through the registered definition, one test per
// quirk of issue 17 (OData paging, error bodies naming the property, capture by a date-only stamp,
// re-create under the same key). The sandbox answers pages of 2 so paging shows.

type Logged = { method: string; path: string; status: number; query: string };

describe('Sage 300 connector against the sandbox', () => {
  const def = findConnector('sage-300')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const admin = sandboxAdmin(() => sandbox.url);
  const requests = async (): Promise<Logged[]> => (await admin('GET', 'requests')).requests;
  const customers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ CustomerNumber: `C${from + i}`, CustomerName: `Customer ${from + i}`, CreditLimitCustomerCurrency: 100 + i }));

  beforeAll(async () => { sandbox = await startSage300Sandbox({ pageSize: 2 }); });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    ctx = await connectToSandbox(def, sandbox.url);
    dest = def.destination(ctx);
  });

  it('is registered with Basic credentials, a server + company config and ARCustomers + ICItems keyed by their own keys', async () => {
    expect(def.auth.scheme).toBe('basic');
    expect(def.objects.map((o) => [o.name, o.naturalKeys])).toEqual([['ARCustomers', ['CustomerNumber']], ['ICItems', ['UnformattedItemNumber']]]);
    await def.check(ctx);
    expect((await requests())[0]).toMatchObject({ method: 'GET', path: '/Sage300WebApi/v1.0/-/SAMLTD/AR/ARCustomers', status: 200 });
  });

  it('a refused entity fails its record naming the property from the message; a duplicate key names the key', async () => {
    await dest.write('ARCustomers', 'create', 'CustomerNumber', customers(1));
    const results = await dest.write('ARCustomers', 'create', 'CustomerNumber', [
      { CustomerNumber: 'C9', CustomerName: 'Nine', CreditLimitCustomerCurrency: 'lots' },
      { CustomerNumber: 'C8' },
      { CustomerNumber: 'C0', CustomerName: 'Again' },
      ...customers(1, 5),
    ]);
    expect(results.map((r) => [r.outcome, r.errors?.map((e) => e.field)])).toEqual([
      ['failed', ['CreditLimitCustomerCurrency']], ['failed', ['CustomerName']], ['failed', ['CustomerNumber']], ['created', undefined],
    ]);
    const err = await failureOf(ctx.http.request({ method: 'GET', path: "AR/ARCustomers('NOPE')", headers: { 'content-type': 'application/json' } }));
    expect(err).toMatchObject({ kind: 'not_found', status: 404, code: 'RecordNotFound' });
  });

  it('pages a $filter with $skip until an empty page, whatever the server page size', async () => {
    await admin('POST', 'seed', { objects: { ARCustomers: customers(5) } });
    const resource = { spec: def.objects[0], path: 'AR/ARCustomers' };
    const rows = await new Sage300Api(ctx.http).list(resource, "CustomerName ne 'x'", ['CustomerNumber']);
    expect(rows.map((r) => r.CustomerNumber)).toEqual(['C0', 'C1', 'C2', 'C3', 'C4']);
    const skips = (await requests()).map((r) => new URLSearchParams(r.query).get('$skip'));
    expect(skips).toEqual(['0', '2', '4', '5']);
  });

  it('captures by the date-only DateLastMaintained: a same-day update is emitted once, an unchanged record never again', async () => {
    const source = sage300Source(new Sage300Api(ctx.http));
    await dest.write('ARCustomers', 'create', 'CustomerNumber', customers(3));
    const first = await source.capture('ARCustomers', null);
    expect(first.changes.map((c) => c.recordId)).toEqual(['C0', 'C1', 'C2']);
    await dest.write('ARCustomers', 'update', 'CustomerNumber', [{ CustomerNumber: 'C1', PhoneNumber: '555-0101' }]);
    const second = await source.capture('ARCustomers', first.cursor);
    expect(second.changes.map((c) => [c.recordId, c.data?.PhoneNumber])).toEqual([['C1', '555-0101']]);
    expect(second.changes[0].version > first.changes[1].version).toBe(true);
    expect((await source.capture('ARCustomers', second.cursor)).changes).toEqual([]);
    const filters = (await requests()).map((r) => new URLSearchParams(r.query).get('$filter')).filter(Boolean);
    expect(filters.at(-1)).toMatch(/^DateLastMaintained ge datetime'\d{4}-\d\d-\d\dT00:00:00'$/);
  });

  it('a rolled-back delete re-creates the customer under its own CustomerNumber (no native undelete)', async () => {
    await admin('POST', 'seed', { objects: { ARCustomers: [{ CustomerNumber: 'C7', CustomerName: 'Seven', CreditLimitCustomerCurrency: 70 }] } });
    const before = (await dest.read('ARCustomers', 'CustomerNumber', ['C7'])).get('C7')!;
    expect((await dest.delete('ARCustomers', 'CustomerNumber', ['C7']))[0].outcome).toBe('deleted');
    expect(await dest.restore('ARCustomers', 'CustomerNumber', before)).toEqual({ id: 'C7', recreated: true });
    expect((await dest.read('ARCustomers', 'CustomerNumber', ['C7'])).get('C7')).toMatchObject({ CustomerName: 'Seven', CreditLimitCustomerCurrency: 70 });
    expect(await dest.restore('ARCustomers', 'CustomerNumber', before)).toEqual({ id: 'C7', recreated: true });
  });

  it('the sandbox refuses a request without Content-Type: application/json with 500, as the Web API does', async () => {
    const credentials = sandbox.credentials().credentials as { username: string; password: string };
    const auth = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const res = await fetch(`${sandbox.url}/Sage300WebApi/v1.0/-/SAMLTD/AR/ARCustomers`, { headers: { authorization: auth } });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: 'InternalServerError' } });
  });
});
