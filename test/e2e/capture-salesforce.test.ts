import crypto from 'node:crypto';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Capture into the Stream, end to end: the REST API starts a capture on real Temporal and Postgres,
// the worker polls the Salesforce sandbox (SOQL queryAll on SystemModstamp), GET /v1/stream shows it.

interface StreamEvent {
  offset: number;
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  occurredAt: string;
  data: Record<string, unknown> | null;
}

const V = '/services/data/v62.0';


jest.setTimeout(120_000);

describe('capture from Salesforce into the Stream', () => {
  let h: LoadHarness;
  let token: string | undefined;
  const started: string[] = [];

  beforeAll(async () => {
    h = await startLoadHarness('salesforce');
    // The source leaves the last seconds (SETTLE_MS) for later polls: run the sandbox's clock a
    // minute behind, so every change is settled at once.
    await h.admin('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: false });
  });
  afterAll(async () => {
    for (const id of started) await h?.api('DELETE', `/v1/captures/${id}`).catch(() => {});
    await h?.stop();
  });

  async function salesforce(method: string, path: string, body?: unknown): Promise<any> {
    if (!token) {
      const { credentials } = (await h.admin('GET', 'credentials')).body;
      const res = await fetch(`${h.sandbox.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }).toString() });
      token = ((await res.json()) as any).access_token;
    }
    const res = await fetch(`${h.sandbox.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  }

  async function streamOf(connectionId: string): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    let after: number | undefined;
    for (;;) {
      const q = new URLSearchParams({ connectionId, limit: '1000', ...(after !== undefined ? { after: String(after) } : {}) });
      const page = await h.api('GET', `/v1/stream?${q}`);
      expect(page.status).toBe(200);
      events.push(...page.body.events);
      if (page.body.next === undefined) return events;
      after = page.body.next;
    }
  }

  it('captures creates, updates and deletes exactly once, across a pause and resume', async () => {
    const { credentials, config } = (await h.admin('GET', 'credentials')).body;
    const connection = await h.api('POST', '/v1/connections', { connector: 'salesforce', name: `capture-${crypto.randomBytes(3).toString('hex')}`, credentials, config });
    expect(connection.status).toBe(201);
    const connectionId = connection.body.id;

    const created = await salesforce('POST', `${V}/composite/sobjects`, { allOrNone: false, records: Array.from({ length: 150 }, (_, i) => ({ attributes: { type: 'Contact' }, LastName: `C${i}`, External_Id__c: `cap-${i}` })) });
    const ids: string[] = created.map((r: any) => r.id);
    const capture = await h.api('POST', '/v1/captures', { connectionId, object: 'Contact', intervalSeconds: 1 });
    expect(capture.status).toBe(201);
    started.push(capture.body.id);
    await waitFor('the 150 creates', async () => (await streamOf(connectionId)).length >= 150);

    expect((await h.api('POST', `/v1/captures/${capture.body.id}/pause`)).status).toBeLessThan(300);
    // SystemModstamp has whole seconds: the source only takes seconds that have ended (its settle
    // window). With the sandbox clock a minute behind, that window cannot hold back a later edit in
    // the second the cursor sits on, so the edits are made in a later second, as time would have it.
    await h.admin('POST', 'clock', { advanceMs: 2_000 });
    await salesforce('PATCH', `${V}/composite/sobjects`, { records: ids.slice(0, 10).map((Id) => ({ attributes: { type: 'Contact' }, Id, Title: 'Updated' })) });
    await salesforce('DELETE', `${V}/composite/sobjects?ids=${ids.slice(140).join(',')}`);
    expect((await h.api('POST', `/v1/captures/${capture.body.id}/resume`)).status).toBeLessThan(300);

    const events = await waitFor('the updates and deletes', async () => {
      const all = await streamOf(connectionId);
      return all.length >= 170 ? all : undefined;
    });
    // Nothing more arrives: every change was taken exactly once.
    const settled = await streamOf(connectionId);
    expect(settled).toHaveLength(170);
    for (let i = 1; i < events.length; i++) expect(events[i].offset).toBeGreaterThan(events[i - 1].offset);
    expect(new Set(events.map((e) => `${e.recordId}/${e.version}`)).size).toBe(170);
    expect(events.slice(0, 150).every((e) => e.op === 'upsert' && e.object === 'Contact')).toBe(true);
    const later = events.slice(150);
    expect(later.filter((e) => e.op === 'upsert').map((e) => e.recordId).sort()).toEqual(ids.slice(0, 10).sort());
    expect(later.filter((e) => e.op === 'upsert').every((e) => e.data?.Title === 'Updated')).toBe(true);
    expect(later.filter((e) => e.op === 'delete').map((e) => e.recordId).sort()).toEqual(ids.slice(140).sort());
    expect(later.filter((e) => e.op === 'delete').every((e) => e.data === null)).toBe(true);
  });
});
