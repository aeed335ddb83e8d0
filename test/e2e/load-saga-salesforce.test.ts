import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitUntil } from '../helpers/wait';

// Loads end to end through the REST API, on real Temporal and Postgres, against the Salesforce sandbox.
// "The sandbox's state" is every live record (IsDeleted false) by Id with its fields, less the stamps
// Salesforce moves on every write and no rollback can undo (SystemModstamp, LastModifiedDate).
// Deleted records stay in the recycle bin (IsDeleted true) and are not part of it.
const MOVING_STAMPS = ['attributes', 'SystemModstamp', 'LastModifiedDate', 'DeletedDate'];
const V = '/services/data/v62.0';
const UPSERT_PATH = `${V}/composite/sobjects/Contact/External_Id__c`;

function contacts(from: number, to: number, tag: string) {
  return Array.from({ length: to - from }, (_, i) => ({
    External_Id__c: `ext-${from + i}`, LastName: `${tag}-${from + i}`, Email: `person-${from + i}@example.com`,
  }));
}

jest.setTimeout(120_000);

describe('loads into Salesforce: snapshot, write, verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('salesforce'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  async function liveContacts(): Promise<Record<string, Record<string, unknown>>> {
    const state = (await h.admin('GET', 'state')).body;
    const out: Record<string, Record<string, unknown>> = {};
    for (const rec of state.objects.Contact as Array<Record<string, unknown>>) {
      if (rec.IsDeleted) continue;
      const fields = { ...rec };
      for (const f of MOVING_STAMPS) delete fields[f];
      out[String(rec.Id)] = fields;
    }
    return out;
  }
  async function seedContacts(n: number) {
    const res = await h.admin('POST', 'seed', { objects: { Contact: contacts(0, n, 'before') } });
    expect(res.status).toBeLessThan(300);
  }
  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'Contact', naturalKey: 'External_Id__c', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function requestsTo(path: string) {
    return ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.path === path);
  }

  it('upserts 500 records by an External ID field, 150 of them existing, and verifies every one', async () => {
    await seedContacts(150);
    const id = await startLoad({ operation: 'upsert', records: contacts(0, 500, 'after') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 500, created: 350, updated: 150, failed: 0, verified: 500 });
    const live = Object.values(await liveContacts());
    expect(live).toHaveLength(500);
    expect(live.every((r) => String(r.LastName).startsWith('after-'))).toBe(true);
    expect(await requestsTo(UPSERT_PATH)).toHaveLength(3);
  });

  it('reports exactly the 3 invalid records, with their field names, and loads the rest', async () => {
    const records: Array<Record<string, unknown>> = contacts(0, 250, 'v');
    records[7].Email = 'not-an-email';
    delete records[120].LastName;
    records[249].Email = 'bad@';
    const id = await startLoad({ operation: 'upsert', records, options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 250, created: 247, failed: 3 });
    const failed = await h.allRecords(id, 'failed');
    expect(failed.map((r) => [r.index, r.errors.map((e: any) => e.field)])).toEqual([[7, ['Email']], [120, ['LastName']], [249, ['Email']]]);
    expect(failed[1].errors[0].message).toMatch(/REQUIRED_FIELD_MISSING/);
    expect(Object.keys(await liveContacts())).toHaveLength(247);
  });

  it('stops at a 401 midway with every activity at attempt 1, and rolls back what was written', async () => {
    await seedContacts(100);
    const before = await liveContacts();
    await h.admin('POST', 'faults', { faults: [{ method: 'PATCH', path: UPSERT_PATH, latencyMs: 300 }] });
    const id = await startLoad({ operation: 'upsert', records: contacts(0, 1000, 'auth') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.updated > 0);
    await h.admin('POST', 'faults', { faults: [{ method: 'PATCH', path: UPSERT_PATH, status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/401|INVALID_SESSION_ID/i);
    expect(await liveContacts()).toEqual(before);

    const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.length).toBeGreaterThan(0);
    const retried = (history.events ?? []).filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1);
    if (retried.length) console.log(JSON.stringify((history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes || e.activityTaskScheduledEventAttributes || e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes).map((e) => [e.eventId?.toString(), e.activityTaskScheduledEventAttributes?.activityType?.name, e.activityTaskStartedEventAttributes?.attempt, e.activityTaskFailedEventAttributes?.failure?.message, e.activityTaskStartedEventAttributes?.lastFailure?.message])));
    expect(started.every((e) => (e.activityTaskStartedEventAttributes!.attempt ?? 1) === 1)).toBe(true);
  });

  it('waits out a storm of 429s with Retry-After and completes', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'PATCH', path: UPSERT_PATH, status: 429, retryAfter: 1, times: 4 }] });
    const id = await startLoad({ operation: 'upsert', records: contacts(0, 400, 'storm') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ created: 400, verified: 400, failed: 0 });
    expect((await requestsTo(UPSERT_PATH)).map((r) => r.status).filter((s) => s === 429)).toHaveLength(4);
  });

  it('cancelled midway, leaves the sandbox as it was before the load', async () => {
    await seedContacts(200);
    const before = await liveContacts();
    await h.admin('POST', 'faults', { faults: [{ method: 'PATCH', path: UPSERT_PATH, latencyMs: 400 }] });
    const id = await startLoad({ operation: 'upsert', records: contacts(100, 1500, 'cancel') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    expect((await h.api('POST', `/v1/loads/${id}/cancel`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['cancelled', 'failed', 'completed']);
    expect(load.status).toBe('cancelled');
    expect(load.counts.created + load.counts.updated).toBeLessThan(1400);
    expect(await liveContacts()).toEqual(before);
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
  });

  it('rolled back after completion, leaves the sandbox as it was before the load', async () => {
    await seedContacts(120);
    const before = await liveContacts();
    const id = await startLoad({ operation: 'upsert', records: contacts(60, 260, 'rb') });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).status).toBe('completed');
    expect(await liveContacts()).not.toEqual(before);
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['rolled_back', 'failed']);
    expect(load.status).toBe('rolled_back');
    expect(await liveContacts()).toEqual(before);
    expect((await h.allRecords(id)).every((r) => r.status === 'rolled_back')).toBe(true);
  });

  it('rolls back a delete load from the recycle bin: the same Ids come back with every field', async () => {
    await seedContacts(30);
    const before = await liveContacts();
    const id = await startLoad({ operation: 'delete', records: contacts(0, 30, 'x').map((r) => ({ External_Id__c: r.External_Id__c })) });
    const done = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(done.counts).toMatchObject({ deleted: 30, failed: 0 });
    expect(await liveContacts()).toEqual({});
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await liveContacts()).toEqual(before);
    expect((await requestsTo('/services/Soap/u/62.0')).length).toBe(30);
  });

  it('catches a delete that answers success but keeps the record, and reports it', async () => {
    await seedContacts(20);
    await h.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const id = await startLoad({ operation: 'delete', records: contacts(0, 20, 'del').map((r) => ({ External_Id__c: r.External_Id__c })), options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.counts.failed).toBe(20);
    expect((await h.allRecords(id, 'failed'))[0].errors[0].message).toMatch(/still there/);
    expect(Object.keys(await liveContacts())).toHaveLength(20);
  });
});

