import crypto from 'node:crypto';
import { Pool } from 'pg';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Capture into the Stream, end to end: the REST API starts captures on real Temporal and Postgres,
// the worker polls the HubSpot sandbox, and GET /v1/stream shows what arrived.

interface StreamEvent {
  offset: number;
  connectionId: string;
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  occurredAt: string;
  data: Record<string, unknown> | null;
}

const runTag = crypto.randomBytes(3).toString('hex');


/** Offsets strictly increasing, one event per (record, version), each record's versions in time order. */
function expectWellFormed(events: StreamEvent[]): void {
  for (let i = 1; i < events.length; i++) expect(events[i].offset).toBeGreaterThan(events[i - 1].offset);
  const keys = events.map((e) => `${e.object}/${e.recordId}/${e.version}`);
  expect(new Set(keys).size).toBe(keys.length);
  const lastAt = new Map<string, number>();
  for (const e of events) {
    const at = Date.parse(e.occurredAt);
    expect(at).toBeGreaterThanOrEqual(lastAt.get(e.recordId) ?? 0);
    lastAt.set(e.recordId, at);
  }
}

describe('capture from HubSpot into the Stream', () => {
  let h: LoadHarness;
  let pool: Pool;
  let accessToken: string | undefined;
  const started: string[] = [];

  beforeAll(async () => {
    h = await startLoadHarness('hubspot');
    pool = new Pool({ connectionString: h.config.DATABASE_URL, max: 2 });
    // HubSpot's search trails its writes, so the source leaves the last 10 s for later polls: run
    // the sandbox's clock a minute behind, and every change is old enough to be captured at once.
    await runSandboxClockBehind();
  }, 120_000);

  afterAll(async () => {
    for (const id of started) await h?.api('DELETE', `/v1/captures/${id}`).catch(() => {});
    await pool?.end();
    await h?.stop();
  });

  async function runSandboxClockBehind(): Promise<void> {
    await h.admin('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: false });
  }

  /** A connection of its own per test: its own Stream and capture cursor over the shared sandbox. */
  async function newConnection(): Promise<string> {
    const { credentials, config } = (await h.admin('GET', 'credentials')).body;
    const res = await h.api('POST', '/v1/connections', { connector: 'hubspot', name: `capture-${crypto.randomBytes(4).toString('hex')}`, credentials, config });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function startCapture(connectionId: string, object: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await h.api('POST', '/v1/captures', { connectionId, object, intervalSeconds: 1, ...extra });
    expect(res.status).toBe(201);
    started.push(res.body.id);
    return res.body.id;
  }

  async function captureOf(id: string): Promise<any> {
    const res = await h.api('GET', `/v1/captures/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function streamOf(connectionId: string, object?: string): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    let after: number | undefined;
    for (;;) {
      const q = new URLSearchParams({ connectionId, limit: '1000', ...(object ? { object } : {}), ...(after !== undefined ? { after: String(after) } : {}) });
      const page = await h.api('GET', `/v1/stream?${q}`);
      expect(page.status).toBe(200);
      events.push(...page.body.events);
      if (page.body.next === undefined) return events;
      after = page.body.next;
    }
  }

  async function hubspot(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    if (!accessToken) {
      const { credentials } = (await h.admin('GET', 'credentials')).body;
      const res = await fetch(`${h.sandbox.url}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }),
      });
      accessToken = ((await res.json()) as { access_token: string }).access_token;
    }
    const res = await fetch(`${h.sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function seed(object: string, records: Record<string, unknown>[]): Promise<string[]> {
    const res = await h.admin('POST', 'seed', { objects: { [object]: records } });
    expect(res.status).toBe(200);
    return res.body.objects[object].map((r: { id: string | number }) => String(r.id));
  }

  it('validates captures and scopes the Stream to the tenant', async () => {
    const connectionId = await newConnection();
    const bad = await h.api('POST', '/v1/captures', { connectionId, object: 'tickets', intervalSeconds: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['intervalSeconds']);
    const unknownObject = await h.api('POST', '/v1/captures', { connectionId, object: 'tickets' });
    expect(unknownObject.status).toBe(400);
    expect(unknownObject.body.error.fields).toEqual([expect.objectContaining({ field: 'object' })]);

    const badQuery = await h.api('GET', `/v1/stream?connectionId=${connectionId}&limit=1001&after=x`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['after', 'limit']);
    expect((await h.api('GET', '/v1/stream')).body.error.fields[0].field).toBe('connectionId');

    const other = await fetch(`${h.gatewayUrl}/v1/tenants`, {
      method: 'POST', headers: { authorization: `Bearer ${h.config.FORGE_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `other-${runTag}` }),
    }).then((r) => r.json()) as { apiKey: string };
    expect((await h.api('GET', `/v1/stream?connectionId=${connectionId}`, undefined, other.apiKey)).status).toBe(404);
    expect((await h.api('POST', '/v1/captures', { connectionId, object: 'contacts' }, other.apiKey)).status).toBe(400);
  });

  it('captures creates, updates and archives exactly once, in order per record', async () => {
    const connectionId = await newConnection();
    const ids = await seed('contacts', [0, 1, 2].map((i) => ({ email: `crud-${runTag}-${i}@example.com`, firstname: `first-${i}` })));
    const id = await startCapture(connectionId, 'contacts');
    const duplicate = await h.api('POST', '/v1/captures', { connectionId, object: 'contacts' });
    expect(duplicate.status).toBe(409);

    const has = (events: StreamEvent[], recordId: string, test: (e: StreamEvent) => boolean) => events.some((e) => e.recordId === recordId && test(e));
    await waitFor('the created contacts', async () => {
      const events = await streamOf(connectionId, 'contacts');
      return ids.every((r) => has(events, r, (e) => e.op === 'upsert'));
    });

    expect((await hubspot('PATCH', `/crm/v3/objects/contacts/${ids[0]}`, { properties: { firstname: 'renamed-0' } })).status).toBe(200);
    expect((await hubspot('PATCH', `/crm/v3/objects/contacts/${ids[1]}`, { properties: { firstname: 'renamed-1' } })).status).toBe(200);
    await waitFor('the updates', async () => {
      const events = await streamOf(connectionId, 'contacts');
      return [0, 1].every((i) => has(events, ids[i], (e) => e.data?.firstname === `renamed-${i}`));
    });

    expect((await hubspot('DELETE', `/crm/v3/objects/contacts/${ids[0]}`)).status).toBe(204);
    await waitFor('the archive', async () => has(await streamOf(connectionId, 'contacts'), ids[0], (e) => e.op === 'delete'));

    const events = await streamOf(connectionId, 'contacts');
    expectWellFormed(events);
    const story = (recordId: string) => events.filter((e) => e.recordId === recordId).map((e) => (e.op === 'delete' ? 'delete' : String(e.data?.firstname)));
    expect(story(ids[0])).toEqual(['first-0', 'renamed-0', 'delete']);
    expect(story(ids[1])).toEqual(['first-1', 'renamed-1']);
    expect(story(ids[2])).toEqual(['first-2']);
    expect(events.every((e) => e.connectionId === connectionId && e.object === 'contacts')).toBe(true);

    const capture = await waitFor('the capture to count what it appended', async () => {
      const c = await captureOf(id);
      return c.eventsCaptured === events.length && c;
    });
    expect(capture).toMatchObject({ id, connectionId, object: 'contacts', status: 'running', intervalSeconds: 1 });
    expect(capture.cursor).toEqual(expect.objectContaining({ changes: expect.any(Object), deletes: expect.any(Object) }));
    expect(capture.lastPollAt).toEqual(expect.any(String));
    expect(capture.lastError).toBeUndefined();

    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
    expect((await captureOf(id)).status).toBe('stopped');
  });

  it('pauses, resumes and stops; nothing is appended while paused', async () => {
    const connectionId = await newConnection();
    const first = await seed('companies', [{ name: `pause-${runTag}-a`, domain: `a-${runTag}.example.com` }]);
    const id = await startCapture(connectionId, 'companies');
    await waitFor('the first company', async () => (await streamOf(connectionId, 'companies')).some((e) => e.recordId === first[0]));

    expect((await h.api('POST', `/v1/captures/${id}/pause`)).status).toBe(202);
    const paused = await waitFor('the pause', async () => {
      const c = await captureOf(id);
      return c.status === 'paused' && c;
    });
    await waitFor('the paused status in Postgres', async () => {
      const { rows } = await pool.query('SELECT status FROM captures WHERE id = $1', [id]);
      return rows[0].status === 'paused';
    });
    const later = await seed('companies', [1, 2].map((i) => ({ name: `pause-${runTag}-${i}`, domain: `p${i}-${runTag}.example.com` })));
    const countWhilePaused = (await streamOf(connectionId)).length;
    // Absence cannot be waited for: give the capture three of its intervals to (wrongly) poll.
    await new Promise((r) => setTimeout(r, 3_000));
    const stillPaused = await captureOf(id);
    expect(stillPaused.status).toBe('paused');
    expect(stillPaused.polls).toBe(paused.polls);
    expect((await streamOf(connectionId)).length).toBe(countWhilePaused);

    expect((await h.api('POST', `/v1/captures/${id}/resume`)).status).toBe(202);
    await waitFor('the companies seeded while paused', async () => {
      const events = await streamOf(connectionId, 'companies');
      return later.every((r) => events.some((e) => e.recordId === r));
    });
    expect((await captureOf(id)).status).toBe('running');
    expectWellFormed(await streamOf(connectionId));

    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
    const handle = h.temporal.workflow.getHandle(`capture-${h.tenantId}-${id}`);
    const result = await handle.result();
    expect(result.status).toBe('stopped');
    expect((await captureOf(id)).status).toBe('stopped');
    expect((await h.api('POST', `/v1/captures/${id}/resume`)).status).toBe(409);
    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
  });

  it('pauses on a 401 after one attempt, with the reason visible, and resumes once fixed', async () => {
    const connectionId = await newConnection();
    const first = await seed('deals', [{ dealname: `auth-${runTag}-a`, pipeline: 'default', dealstage: 'qualifiedtobuy' }]);
    const id = await startCapture(connectionId, 'deals');
    await waitFor('the first deal', async () => (await streamOf(connectionId, 'deals')).some((e) => e.recordId === first[0]));

    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/crm/v3/objects/deals/search', status: 401 }] });
    const paused = await waitFor('the pause on 401', async () => {
      const c = await captureOf(id);
      return c.status === 'paused' && c;
    });
    expect(paused.lastError.message).toMatch(/401|auth/i);
    expect(paused.lastError.kind).toBe('permanent');
    const { rows } = await pool.query('SELECT status, last_error FROM captures WHERE id = $1', [id]);
    expect(rows[0].status).toBe('paused');
    expect(rows[0].last_error.message).toMatch(/401/);

    // The failed poll was attempted once: its ActivityTaskStarted says attempt 1, and no retry followed.
    const history = await h.temporal.workflow.getHandle(`capture-${h.tenantId}-${id}`).fetchHistory();
    const events = history.events ?? [];
    const failed = events.filter((e) => e.activityTaskFailedEventAttributes);
    expect(failed).toHaveLength(1);
    const startedOfFailed = events.find((e) => e.eventId?.toString() === failed[0].activityTaskFailedEventAttributes!.startedEventId?.toString());
    expect(startedOfFailed?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    expect(failed[0].activityTaskFailedEventAttributes!.failure?.applicationFailureInfo?.type).toBe('permanent');

    await h.admin('DELETE', 'faults');
    const second = await seed('deals', [{ dealname: `auth-${runTag}-b`, pipeline: 'default', dealstage: 'qualifiedtobuy' }]);
    expect((await h.api('POST', `/v1/captures/${id}/resume`)).status).toBe(202);
    await waitFor('the deal seeded after the fix', async () => (await streamOf(connectionId, 'deals')).some((e) => e.recordId === second[0]));
    const resumed = await waitFor('the error to clear', async () => {
      const c = await captureOf(id);
      return c.status === 'running' && c.lastError === undefined && c;
    });
    expect(resumed.status).toBe('running');
    expectWellFormed(await streamOf(connectionId));
  });

  it('captures more than 10,000 changes sharing one timestamp exactly once, across a worker restart', async () => {
    const connectionId = await newConnection();
    const count = 10_050;
    await h.admin('POST', 'clock', { at: new Date(Date.now() - 120_000).toISOString(), frozen: true });
    const ids: string[] = [];
    for (let start = 0; start < count; start += 2_500) {
      const batch = Array.from({ length: Math.min(2_500, count - start) }, (_, i) => ({ email: `bulk-${runTag}-${start + i}@example.com` }));
      ids.push(...await seed('contacts', batch));
    }
    await runSandboxClockBehind();
    const seeded = new Set(ids);
    const state = (await h.admin('GET', 'state')).body.objects.contacts.filter((r: any) => seeded.has(String(r.id)));
    expect(new Set(state.map((r: any) => r.updatedAt)).size).toBe(1);

    // Slow searches, so the restart lands in the middle of the capture.
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/crm/v3/objects/contacts/search', latencyMs: 60 }] });
    const id = await startCapture(connectionId, 'contacts');
    await waitFor('the capture to be under way', async () => (await captureOf(id)).eventsCaptured > 0, 60_000, 50);
    const startedAt = Date.now();
    await h.worker!.shutdown();
    const midway = (await captureOf(id)).eventsCaptured;
    expect(midway).toBeLessThan(count);
    await h.startWorker();
    await h.admin('DELETE', 'faults');

    await waitFor('every bulk contact', async () => {
      const { rows } = await pool.query('SELECT count(DISTINCT record_id)::int AS n FROM stream_events WHERE connection_id = $1 AND record_id = ANY($2)', [connectionId, ids]);
      return rows[0].n === count;
    }, 120_000, 500);
    const captureSeconds = (Date.now() - startedAt) / 1000;

    const { rows: dupes } = await pool.query(
      'SELECT record_id, version, count(*)::int AS n FROM stream_events WHERE connection_id = $1 GROUP BY record_id, version HAVING count(*) > 1', [connectionId]);
    expect(dupes).toEqual([]);
    const events = await streamOf(connectionId, 'contacts');
    expectWellFormed(events);
    const bulk = events.filter((e) => seeded.has(e.recordId));
    expect(bulk).toHaveLength(count);
    expect(new Set(bulk.map((e) => e.occurredAt)).size).toBe(1);
    const capture = await waitFor('the count to settle', async () => {
      const c = await captureOf(id);
      return c.eventsCaptured === events.length && c;
    });
    expect(capture.status).toBe('running');
    process.stderr.write(`[capture] ${count} same-timestamp contacts captured; ${midway} before the worker restart; ` +
      `${captureSeconds.toFixed(1)} s from the restart to the last one\n`);
    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
  }, 180_000);

  it('continues as new to keep history bounded, carrying the cursor and counters over', async () => {
    const connectionId = await newConnection();
    const id = await startCapture(connectionId, 'companies', { options: { pollsPerRun: 5 } });
    const handle = h.temporal.workflow.getHandle(`capture-${h.tenantId}-${id}`);
    const firstRunId = (await handle.describe()).runId;
    await waitFor('the first poll', async () => (await captureOf(id)).polls >= 1);
    const before = (await streamOf(connectionId)).length;

    const [added] = await seed('companies', [{ name: `can-${runTag}`, domain: `can-${runTag}.example.com` }]);
    const done = await waitFor('15 polls over at least 3 runs', async () => {
      const c = await captureOf(id);
      return c.polls >= 15 && c.runs >= 4 && c;
    }, 60_000, 250);
    const events = await streamOf(connectionId);
    expectWellFormed(events);
    expect(events.filter((e) => e.recordId === added)).toHaveLength(1);
    expect(events).toHaveLength(before + 1);
    expect(done.eventsCaptured).toBe(events.length);

    const latest = await handle.describe();
    expect(latest.runId).not.toBe(firstRunId);
    // 5 polls a run: a poll and its sleep are about 11 events; 15+ polls in one run would be 165+.
    expect(latest.historyLength).toBeLessThan(100);
    expect((await handle.fetchHistory()).events!.length).toBeLessThan(100);
    expect((await handle.query<{ polls: number }>('status')).polls).toBeGreaterThanOrEqual(15);
    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
  }, 120_000);
});
