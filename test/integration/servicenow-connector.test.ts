import type { ConnectorContext } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { ServiceNowApi } from '../../src/connectors/servicenow/api';
import { servicenowSource } from '../../src/connectors/servicenow/source';
import { startServiceNowSandbox, type ServiceNowSandboxOptions } from '../../sandboxes/servicenow';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';

// The ServiceNow connector against its sandbox, for what the conformance table does not ask:
// whole-second capture stamps (overlap and deduplicate), deletes from sys_audit_delete, Link-header
// paging, Batch API items left unserviced, a custom table named at run time, and a rate limit
// rule's 429.

jest.setTimeout(60_000);

describe('ServiceNow connector against the sandbox', () => {
  const def = findConnector('servicenow')!;
  let sb: RunningSandbox;
  let ctx: ConnectorContext;

  async function start(options: ServiceNowSandboxOptions & SandboxOptions = {}) {
    sb = await startServiceNowSandbox(options);
    ctx = await connectToSandbox(def, sb.url);
  }
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.url}/__sandbox/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json() as Promise<any>;
  };
  const requests = async (method: string, path: string) => ((await admin('GET', 'requests')).requests as Array<{ method: string; path: string }>)
    .filter((r) => r.method === method && r.path === path);
  afterEach(async () => { await sb.stop(); });

  const sysId = (n: number) => n.toString(16).padStart(32, '0');
  const incident = (n: number, at: string) => ({ sys_id: sysId(n), correlation_id: `c-${n}`, short_description: `incident ${n}`, sys_updated_on: at });

  it('capture resumes inside a whole second: every change once, across polls cut in the middle of the second', async () => {
    await start();
    await admin('POST', 'seed', { objects: { incident: [incident(1, '2025-03-01 10:00:00'), incident(2, '2025-03-01 10:00:00'), incident(3, '2025-03-01 10:00:00')] } });
    const source = servicenowSource(new ServiceNowApi(ctx.http), { maxChangesPerPoll: 2, now: () => Date.parse('2025-03-01T10:00:10Z') });
    const first = await source.capture('incident', null);
    expect(first.changes.map((c) => c.recordId)).toEqual([sysId(1), sysId(2)]);
    expect(first.hasMore).toBe(true);
    // A row of the same second, committed after the first poll read it, with a sys_id after the cursor's.
    await admin('POST', 'seed', { objects: { incident: [incident(4, '2025-03-01 10:00:00')] } });
    const second = await source.capture('incident', first.cursor);
    expect(second.changes.map((c) => c.recordId)).toEqual([sysId(3), sysId(4)]);
    const third = await source.capture('incident', second.cursor);
    expect(third.changes).toEqual([]);
    expect(third.hasMore).toBe(false);
    expect(second.changes[0]).toMatchObject({ op: 'upsert', occurredAt: '2025-03-01T10:00:00.000Z', data: { correlation_id: 'c-3', short_description: 'incident 3' } });
  });

  it('capture leaves the last seconds to settle, and reads deletes from sys_audit_delete as tombstones', async () => {
    await start();
    await admin('POST', 'clock', { at: '2025-03-01T10:00:00.000Z', frozen: true });
    await admin('POST', 'seed', { objects: { incident: [incident(1, '2025-03-01 09:59:00')] } });
    let now = Date.parse('2025-03-01T10:00:01Z');
    const source = servicenowSource(new ServiceNowApi(ctx.http), { now: () => now });
    const seen = await source.capture('incident', null);
    expect(seen.changes.map((c) => c.op)).toEqual(['upsert']);
    expect((await def.destination(ctx).delete('incident', 'correlation_id', ['c-1']))[0].outcome).toBe('deleted');
    expect((await source.capture('incident', seen.cursor)).changes).toEqual([]); // stamped 10:00:00, not settled at 10:00:01
    now = Date.parse('2025-03-01T10:00:05Z');
    const deleted = await source.capture('incident', seen.cursor);
    expect(deleted.changes).toEqual([expect.objectContaining({ op: 'delete', recordId: sysId(1), data: null, occurredAt: '2025-03-01T10:00:00.000Z' })]);
    expect((await source.capture('incident', deleted.cursor)).changes).toEqual([]);
  });

  it('reads follow the Link header page by page', async () => {
    await start();
    await admin('POST', 'seed', { objects: { sys_user: Array.from({ length: 5 }, (_, i) => ({ user_name: `u${i}`, email: `u${i}@example.com` })) } });
    const api = new ServiceNowApi(ctx.http, () => ({}), 2);
    const rows = await api.list('sys_user', { query: 'user_nameSTARTSWITHu^ORDERBYuser_name', fields: ['sys_id', 'user_name'] });
    expect(rows.map((r) => r.user_name)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(await requests('GET', '/api/now/table/sys_user')).toHaveLength(3);
  });

  it('Batch API items left unserviced go again in a follow-up batch, never the ones already answered', async () => {
    await start({ maxBatchItems: 2 });
    const records = Array.from({ length: 5 }, (_, i) => ({ correlation_id: `b-${i}`, short_description: `batched ${i}` }));
    const results = await def.destination(ctx).write('incident', 'create', 'correlation_id', records);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect(await requests('POST', '/api/now/v1/batch')).toHaveLength(3);
    const state = await admin('GET', 'state');
    expect(state.objects.incident.map((r: { correlation_id: string }) => r.correlation_id).sort()).toEqual(records.map((r) => r.correlation_id));
  });

  it('a custom table named at run time: created with a given sys_id, deleted, restored under that sys_id', async () => {
    await start();
    const destination = def.destination(ctx);
    const id = sysId(77);
    const created = await destination.write('u_asset', 'create', 'sys_id', [{ sys_id: id, u_name: 'Laptop', u_serial: 'SN-1' }]);
    expect(created[0]).toMatchObject({ outcome: 'created', id });
    const before = (await destination.read('u_asset', 'sys_id', [id])).get(id)!;
    expect(before).toMatchObject({ sys_id: id, u_name: 'Laptop', u_serial: 'SN-1' });
    expect((await destination.delete('u_asset', 'sys_id', [id]))[0].outcome).toBe('deleted');
    expect(await destination.restore('u_asset', 'sys_id', before)).toEqual({ id, recreated: false });
    expect((await destination.read('u_asset', 'sys_id', [id])).get(id)).toMatchObject({ u_name: 'Laptop', u_serial: 'SN-1' });
    expect(() => destination.read('sys_db_object', 'sys_id', [id])).toThrow(/no object "sys_db_object"/); // not a custom table name
  });

  it("a rate limit rule's 429 is transient with its Retry-After, in ServiceNow's error body", async () => {
    await start({ enforceRateLimit: true, rateLimit: { limit: 1, windowMs: 3_600_000 } });
    const destination = def.destination(ctx);
    await destination.read('incident', 'correlation_id', ['x']);
    const failure = await failureOf(destination.read('incident', 'correlation_id', ['x']));
    expect(failure).toMatchObject({ kind: 'transient', status: 429, code: 'Rate limit exceeded' });
    expect(failure.retryAfterMs).toBeGreaterThan(0);
    expect(failure.body).toMatchObject({ error: { message: 'Rate limit exceeded' }, status: 'failure' });
  });

  it('a Data Policy refusal is a validation error naming the field; a key a query cannot carry is refused before any request', async () => {
    await start();
    const destination = def.destination(ctx);
    const [refused] = await destination.write('sys_user', 'create', 'email', [{ email: 'nouser@example.com', first_name: 'No' }]);
    expect(refused).toMatchObject({ outcome: 'failed', errors: [{ field: 'user_name', message: 'User ID is mandatory (Data Policy)' }] });
    await expect(destination.read('incident', 'correlation_id', ['a,b'])).rejects.toMatchObject({ kind: 'validation', fields: [{ field: 'correlation_id' }] });
  });
});
