import { liveRecords, startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitUntil } from '../helpers/wait';

// Loads end to end through the REST API, on real Temporal and Postgres, against the HubSpot sandbox.
// "The sandbox's state" compares live records' writable properties: HubSpot keeps archived records
// (its recycle bin) and stamps every write with a new modification time, which no rollback can undo.
const SYSTEM_STAMPS = ['lastmodifieddate', 'hs_lastmodifieddate'];
const UPSERT_PATH = '/crm/v3/objects/contacts/batch/upsert';

function contacts(from: number, to: number, tag: string) {
  return Array.from({ length: to - from }, (_, i) => ({
    email: `person-${from + i}@example.com`, firstname: `${tag}-${from + i}`, lastname: 'Load',
  }));
}

jest.setTimeout(300_000);

describe('loads into HubSpot: snapshot, write, verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => {
    await h.admin('POST', 'reset');
  });

  async function seedContacts(n: number) {
    const res = await h.admin('POST', 'seed', { objects: { contacts: contacts(0, n, 'before') } });
    expect(res.status).toBeLessThan(300);
  }
  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', naturalKey: 'email', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function requestsTo(path: string) {
    return ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.path === path);
  }

  it('upserts 1,000 records, 300 of them existing, and verifies every one', async () => {
    await seedContacts(300);
    const id = await startLoad({ operation: 'upsert', records: contacts(0, 1000, 'after') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 1000, created: 700, updated: 300, failed: 0, verified: 1000 });
    const live = Object.values(await liveRecords(h, 'contacts'));
    expect(live).toHaveLength(1000);
    expect(live.every((p) => String(p.firstname).startsWith('after-'))).toBe(true);
    expect(new Date(load.rollbackUntil).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it('reports exactly the 3 invalid records, with their field names, and loads the rest', async () => {
    const records = contacts(0, 250, 'v');
    for (const i of [7, 120, 249]) (records[i] as Record<string, unknown>).lifecyclestage = 'not-a-stage';
    const id = await startLoad({ operation: 'upsert', records, options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 250, created: 247, failed: 3 });
    const failed = await h.allRecords(id, 'failed');
    expect(failed.map((r) => r.index)).toEqual([7, 120, 249]);
    for (const r of failed) expect(r.errors.map((e: any) => e.field)).toEqual(['lifecyclestage']);
    expect(Object.keys(await liveRecords(h, 'contacts'))).toHaveLength(247);
  });

  it('rolls the whole load back by default when a record is invalid', async () => {
    await seedContacts(50);
    const before = await liveRecords(h, 'contacts', SYSTEM_STAMPS);
    const records = contacts(0, 150, 'x');
    (records[149] as Record<string, unknown>).lifecyclestage = 'nope';
    const id = await startLoad({ operation: 'upsert', records });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/failed/);
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);
  });

  it('stops at a 401 after one attempt, and rolls back what was written', async () => {
    await seedContacts(100);
    const before = await liveRecords(h, 'contacts', SYSTEM_STAMPS);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, latencyMs: 150 }] });
    const id = await startLoad({ operation: 'upsert', records: contacts(0, 1500, 'auth') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.updated > 0);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/401|auth/i);
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);

    // One attempt: no write activity was ever retried against the failing auth.
    const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
    const writeAttempts = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'writeChunk');
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.every((e) => (e.activityTaskStartedEventAttributes!.attempt ?? 1) === 1)).toBe(true);
    expect(writeAttempts.length).toBeLessThan(15);
  });

  it('waits out a storm of 429s with Retry-After and completes', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, status: 429, retryAfter: 1, times: 6 }] });
    const id = await startLoad({ operation: 'upsert', records: contacts(0, 400, 'storm') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ created: 400, verified: 400, failed: 0 });
    const answers = (await requestsTo(UPSERT_PATH)).map((r) => r.status);
    expect(answers.filter((s) => s === 429)).toHaveLength(6);
  });

  it('cancelled midway, leaves the sandbox as it was before the load', async () => {
    await seedContacts(200);
    const before = await liveRecords(h, 'contacts', SYSTEM_STAMPS);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, latencyMs: 300 }] });
    const id = await startLoad({ operation: 'upsert', records: contacts(100, 2100, 'cancel') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    expect((await h.api('POST', `/v1/loads/${id}/cancel`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['cancelled', 'failed', 'completed']);
    expect(load.status).toBe('cancelled');
    expect(load.counts.created + load.counts.updated).toBeLessThan(2000);
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
  });

  it('rolled back after completion, leaves the sandbox as it was before the load', async () => {
    await seedContacts(120);
    const before = await liveRecords(h, 'contacts', SYSTEM_STAMPS);
    const id = await startLoad({ operation: 'upsert', records: contacts(60, 260, 'rb') });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).status).toBe('completed');
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).not.toEqual(before);
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['rolled_back', 'failed']);
    expect(load.status).toBe('rolled_back');
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);
    const records = await h.allRecords(id);
    expect(records.every((r) => r.status === 'rolled_back')).toBe(true);
  });

  it('catches a delete that answers 2xx but keeps the record, and reports it', async () => {
    await seedContacts(20);
    await h.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const id = await startLoad({ operation: 'delete', records: contacts(0, 20, 'del').map((r) => ({ email: r.email })),
      options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.counts.failed).toBe(20);
    const failed = await h.allRecords(id, 'failed');
    expect(failed[0].errors[0].message).toMatch(/still/i);
    expect(Object.keys(await liveRecords(h, 'contacts'))).toHaveLength(20);
  });

  it('plans a dry run with a field-level diff and writes nothing', async () => {
    await seedContacts(5);
    const id = await startLoad({ operation: 'upsert', records: contacts(3, 8, 'dry'), options: { dryRun: true } });
    const load = await h.waitForLoad(id, ['completed', 'failed']);
    expect(load.plan).toMatchObject({ create: 3, update: 2 });
    const records = await h.allRecords(id);
    expect(records[0].plan).toEqual({ action: 'update', diff: { firstname: { from: 'before-3', to: 'dry-3' } } });
    expect(records[4].plan.action).toBe('create');
    expect(await requestsTo(UPSERT_PATH)).toEqual([]);
  });
});

