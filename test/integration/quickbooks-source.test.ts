import type { ChangeEvent, ConnectorContext } from '../../src/connectors/contract';
import { QboApi } from '../../src/connectors/quickbooks/qbo-api';
import { quickbooksSource } from '../../src/connectors/quickbooks/source';
import { findConnector } from '../../src/connectors/registry';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startQuickbooks, type QuickbooksHarness } from '../sandboxes/quickbooks-client';

describe('QuickBooks Online source (queries, then change data capture) against the sandbox', () => {
  const def = findConnector('quickbooks')!;
  let qb: QuickbooksHarness;
  let ctx: ConnectorContext;
  let clockMs: number;

  beforeEach(async () => {
    qb = await startQuickbooks();
    // The test's own client refreshes first: Intuit and FreshBooks void a refresh token once used, so
    // the connection must start from the token that refresh handed out.
    await qb.api('GET', `/companyinfo/${qb.realmId}`);
    await qb.admin('DELETE', 'requests');
    ctx = await connectToSandbox(def, qb.url);
    clockMs = Date.parse('2024-06-01T12:00:00Z');
    await qb.admin('POST', 'clock', { at: new Date(clockMs).toISOString(), frozen: true });
  });
  afterEach(async () => { await qb.stop(); });

  /** The source with its clock on the sandbox's, settled 5 s behind it as in production. */
  const source = (maxChangesPerPoll?: number) =>
    quickbooksSource(new QboApi(ctx.http, String(ctx.config.realmId)), { now: () => clockMs, maxChangesPerPoll });
  const tick = async (ms: number) => {
    clockMs += ms;
    await qb.admin('POST', 'clock', { at: new Date(clockMs).toISOString(), frozen: true });
  };
  async function drain(object: string, from: unknown, maxChangesPerPoll?: number): Promise<{ changes: ChangeEvent[]; cursor: any; polls: number }> {
    const changes: ChangeEvent[] = [];
    let cursor = from;
    for (let polls = 1; polls <= 100; polls++) {
      const page = await source(maxChangesPerPoll).capture(object, cursor);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor, polls };
    }
    throw new Error('capture did not catch up');
  }
  const cdcCalls = async () => ((await qb.admin('GET', 'requests')).body.requests as Array<{ path: string }>).filter((r) => r.path.endsWith('/cdc'));

  it('backfills through queries (inactive customers as deletes), then follows CDC: updates, deactivations, creates, in order', async () => {
    const [ada, bob] = (await qb.admin('POST', 'seed', { objects: { Customer: [
      { DisplayName: 'Ada', MetaData: { LastUpdatedTime: '2024-05-01T10:00:00Z' } },
      { DisplayName: 'Bob', Active: false, MetaData: { LastUpdatedTime: '2024-05-02T10:00:00Z' } },
    ] } })).body.objects.Customer.map((c: any) => c.Id);
    const backfill = await drain('Customer', null);
    expect(backfill.changes.map((c) => `${c.recordId}:${c.op}`)).toEqual([`${ada}:upsert`, `${bob}:delete`]);
    expect(backfill.changes[0].data).toMatchObject({ DisplayName: 'Ada', Id: ada });
    expect(backfill.cursor).toMatchObject({ mode: 'cdc', position: { at: Date.parse('2024-06-01T11:59:54Z') } });
    expect(await cdcCalls()).toHaveLength(0);

    await tick(10_000);
    await qb.api('POST', '/customer', { Id: ada, SyncToken: '0', sparse: true, Notes: 'changed' });
    await tick(1000);
    await qb.api('POST', '/customer', { Id: ada, SyncToken: '1', sparse: true, Active: false });
    const carl = (await qb.api('POST', '/customer', { DisplayName: 'Carl' })).body.Customer.Id;
    await tick(10_000);
    const followed = await drain('Customer', backfill.cursor);
    expect(followed.changes.map((c) => `${c.recordId}:${c.op}`)).toEqual([`${ada}:delete`, `${carl}:upsert`]);
    expect(followed.changes[0].version).toMatch(/\/2\/inactive$/);
    expect(await cdcCalls()).toHaveLength(1);
    const again = await drain('Customer', followed.cursor);
    expect(again.changes).toEqual([]);
  });

  it('captures deleted invoices from CDC tombstones (status: "Deleted")', async () => {
    const [customer] = (await qb.admin('POST', 'seed', { objects: { Customer: [{ DisplayName: 'Ada' }] } })).body.objects.Customer.map((c: any) => c.Id);
    const [widget] = (await qb.admin('POST', 'seed', { objects: { Item: [{ Name: 'W', UnitPrice: 5, IncomeAccountRef: { value: '79' } }] } })).body.objects.Item.map((c: any) => c.Id);
    const start = await drain('Invoice', null);
    await tick(2000);
    const invoice = (await qb.api('POST', '/invoice', { CustomerRef: { value: customer }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 5, SalesItemLineDetail: { ItemRef: { value: widget }, Qty: 1 } }] })).body.Invoice;
    await tick(2000);
    await qb.api('POST', '/invoice?operation=delete', { Id: invoice.Id, SyncToken: '0' });
    await tick(10_000);
    const { changes } = await drain('Invoice', start.cursor);
    expect(changes.map((c) => `${c.recordId}:${c.op}:${c.version.split('/').pop()}`)).toEqual([`${invoice.Id}:delete:deleted`]);
    expect(changes[0].data).toBeNull();
  });

  it('loses and repeats nothing when many changes share one second and polls are small', async () => {
    const start = await drain('Customer', null);
    await tick(2000);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await qb.api('POST', '/customer', { DisplayName: `Same second ${i}` })).body.Customer.Id);
    await tick(10_000);
    const { changes, polls } = await drain('Customer', start.cursor, 7);
    expect(changes.map((c) => c.recordId)).toEqual(ids);
    expect(polls).toBe(4);
  });

  it('falls back to queries when a CDC answer is full (1,000 objects), so no change is lost', async () => {
    const start = await drain('Customer', null);
    await tick(2000);
    const base = clockMs;
    await qb.admin('POST', 'seed', { objects: { Customer: Array.from({ length: 1200 }, (_, i) => ({ DisplayName: `Bulk ${i}`, MetaData: { LastUpdatedTime: new Date(base + Math.floor(i / 10) * 1000).toISOString() } })) } });
    clockMs = base + 200_000;
    await qb.admin('POST', 'clock', { at: new Date(clockMs).toISOString(), frozen: true });
    const { changes, cursor } = await drain('Customer', start.cursor);
    expect(changes).toHaveLength(1200);
    expect(new Set(changes.map((c) => c.recordId)).size).toBe(1200);
    expect(cursor.mode).toBe('cdc');
  });

  it('refuses a cursor older than CDC\'s 30 days instead of silently skipping changes', async () => {
    const old = { mode: 'cdc', position: { at: Date.parse('2024-05-01T00:00:00Z'), id: '' } };
    const failure = await failureOf(source().capture('Customer', old));
    expect(failure).toMatchObject({ kind: 'permanent' });
    expect(failure.message).toMatch(/30 days/);
    expect(await failureOf(source().capture('Customer', { mode: 'cdc' }))).toMatchObject({ kind: 'permanent' });
  });
});
