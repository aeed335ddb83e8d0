import type { ConnectorContext } from '../../src/connectors/contract';
import { MarketoApi } from '../../src/connectors/marketo/api';
import { marketoSource } from '../../src/connectors/marketo/source';
import { findConnector } from '../../src/connectors/registry';
import type { RunningSandbox } from '../../sandboxes/kit';
import { startMarketoSandbox } from '../../sandboxes/marketo';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { checkAgainstSpec, specExchanges, unexplained } from '../helpers/spec-check';

// The Marketo connector against its sandbox: errors inside HTTP 200 (601/602 -> one token refresh
// and retry, 606/615 transient, a second refusal permanent), skipped records' reasons as field
// errors, capture from the Activities API (lead changes and deleted leads from paging tokens), and
// every exchange held against Marketo's published descriptions.

jest.setTimeout(60_000);

describe('Marketo connector against the sandbox', () => {
  const def = findConnector('marketo')!;
  let sb: RunningSandbox;
  let ctx: ConnectorContext;

  beforeEach(async () => {
    sb = await startMarketoSandbox({ recordExchanges: true });
    ctx = await connectToSandbox(def, sb.url);
  });
  afterEach(async () => { await sb.stop(); });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.url}/__sandbox/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json() as Promise<any>;
  };
  const requests = async (method: string, path: string) => ((await admin('GET', 'requests')).requests as Array<{ method: string; path: string; status: number }>)
    .filter((r) => r.method === method && r.path === path);
  const inBody = (code: string, message: string) => ({ requestId: 'e1#f', success: false, errors: [{ code, message }], warnings: [], result: [] });

  it('602 inside HTTP 200: one new token and one retry; 601 again after that is permanent, with no loop', async () => {
    const destination = def.destination(ctx);
    await destination.read('leads', 'email', ['a@example.com']); // a token in the cache
    await admin('POST', 'faults', { faults: [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, body: inBody('602', 'Access token expired'), times: 1 }] });
    expect((await destination.read('leads', 'email', ['a@example.com'])).get('a@example.com')).toBeNull();
    expect(await requests('POST', '/identity/oauth/token')).toHaveLength(2);

    await admin('POST', 'faults', { faults: [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, body: inBody('601', 'Access token invalid') }] });
    const failure = await failureOf(destination.read('leads', 'email', ['a@example.com']));
    expect(failure).toMatchObject({ kind: 'permanent', status: 401, code: '601' });
    expect(await requests('POST', '/identity/oauth/token')).toHaveLength(3);
  });

  it('606 and 615 inside HTTP 200 are transient: 606 waits out the 20-second window, 615 a moment', async () => {
    const destination = def.destination(ctx);
    await admin('POST', 'faults', { faults: [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, body: inBody('606', "Max rate limit '100' exceeded with in '20' secs"), times: 1 }] });
    expect(await failureOf(destination.read('leads', 'email', ['a@example.com']))).toMatchObject({ kind: 'transient', code: '606', retryAfterMs: 20_000 });
    await admin('POST', 'faults', { faults: [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, body: inBody('615', 'Concurrent access limit reached'), times: 1 }] });
    expect(await failureOf(destination.read('leads', 'email', ['a@example.com']))).toMatchObject({ kind: 'transient', code: '615', retryAfterMs: 2_000 });
  });

  it("the sandbox's own limit: the 101st call in 20 seconds answers 606 in HTTP 200", async () => {
    await sb.stop();
    sb = await startMarketoSandbox({ enforceRateLimit: true, rateLimit: { limit: 2, windowMs: 20_000 } });
    ctx = await connectToSandbox(def, sb.url);
    const destination = def.destination(ctx);
    await destination.read('leads', 'email', ['a@example.com']);
    await destination.read('leads', 'email', ['a@example.com']);
    expect(await failureOf(destination.read('leads', 'email', ['a@example.com']))).toMatchObject({ kind: 'transient', code: '606' });
  });

  it('skipped records fail with field-named errors: 1003 names the field, 1004/1005 the lookup field', async () => {
    const destination = def.destination(ctx);
    await destination.write('leads', 'create', 'email', [{ email: 'exists@example.com', lastName: 'E' }]);
    const created = await destination.write('leads', 'create', 'email', [
      { email: 'ok@example.com', lastName: 'Ok' }, { email: 'bad@example.com', numberOfEmployees: 'many' }, { email: 'EXISTS@example.com', lastName: 'Twice' },
    ]);
    expect(created.map((r) => [r.outcome, r.errors?.map((e) => e.field)])).toEqual([['created', undefined], ['failed', ['numberOfEmployees']], ['failed', ['email']]]);
    expect(created[1].errors![0].message).toBe("1003 Invalid value for field 'numberOfEmployees'");
    const updated = await destination.write('leads', 'update', 'email', [{ email: 'nobody@example.com', title: 'X' }]);
    expect(updated[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'email', message: '1004 Lead not found' }] });
  });

  it('captures lead changes and deleted leads from paging tokens: one upsert per lead per page, deletes ordered after', async () => {
    const destination = def.destination(ctx);
    const source = marketoSource(new MarketoApi(ctx.http));
    const first = await source.capture('leads', null);
    expect(first.changes).toEqual([]);
    await destination.write('leads', 'create', 'email', [{ email: 'c1@example.com', lastName: 'One' }, { email: 'c2@example.com', lastName: 'Two' }]);
    const created = await source.capture('leads', first.cursor);
    expect(created.changes.map((c) => [c.op, c.data?.email])).toEqual([['upsert', 'c1@example.com'], ['upsert', 'c2@example.com']]);
    await destination.write('leads', 'update', 'email', [{ email: 'c1@example.com', title: 'Boss', phone: '123' }]);
    await destination.delete('leads', 'email', ['c2@example.com']);
    const later = await source.capture('leads', created.cursor);
    expect(later.changes.map((c) => [c.op, c.recordId])).toEqual([['upsert', created.changes[0].recordId], ['delete', created.changes[1].recordId]]);
    expect(later.changes[0].data).toMatchObject({ title: 'Boss', phone: '123' });
    expect(later.changes[1].version > created.changes[1].version).toBe(true);
    expect((await source.capture('leads', later.cursor)).changes).toEqual([]);
    await expect(source.capture('companies', null)).rejects.toMatchObject({ kind: 'permanent' });
  });

  it("every exchange of leads and companies (token, sync, read, delete, activities) conforms to Marketo's published descriptions", async () => {
    const destination = def.destination(ctx);
    const source = marketoSource(new MarketoApi(ctx.http));
    const cursor = (await source.capture('leads', null)).cursor;
    await destination.write('leads', 'upsert', 'email', [{ email: 's1@example.com', lastName: 'S', numberOfEmployees: 5 }, { email: 's2@example.com', numberOfEmployees: 'x' }]);
    const before = (await destination.read('leads', 'email', ['s1@example.com'])).get('s1@example.com')!;
    await destination.delete('leads', 'email', ['s1@example.com']);
    await destination.restore('leads', 'email', before);
    await source.capture('leads', cursor);
    await destination.write('companies', 'upsert', 'externalCompanyId', [{ externalCompanyId: 'co-1', company: 'Co' }]);
    await destination.write('companies', 'update', 'externalCompanyId', [{ externalCompanyId: 'co-1', industry: 'Retail' }]);
    await destination.delete('companies', 'externalCompanyId', ['co-1']);
    const source_ = sb.definition.spec!;
    const exchanges = specExchanges(source_, sb.exchanges());
    expect(exchanges.length).toBeGreaterThan(10);
    expect(unexplained(source_, checkAgainstSpec('marketo', exchanges))).toEqual([]);
  });
});
