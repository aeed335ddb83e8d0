import type { ChangeEvent, Rec, SourceContract } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { SalesforceApi } from '../../src/connectors/salesforce/api';
import { salesforceSource } from '../../src/connectors/salesforce/source';
import { startSalesforceSandbox } from '../../sandboxes/salesforce';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox } from '../helpers/sandbox-connection';

/** Polls until hasMore is false, as the capture workflow does. */
async function drain(source: SourceContract, object: string, cursor: unknown, maxPolls = 100): Promise<{ changes: ChangeEvent[]; cursor: unknown; polls: number }> {
  const changes: ChangeEvent[] = [];
  let polls = 0;
  for (;;) {
    const page = await source.capture(object, cursor);
    polls++;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, polls };
    if (polls >= maxPolls) throw new Error(`capture still had more after ${polls} polls`);
  }
}

const T0 = '2024-03-01T09:00:00.000Z';
const V = '/services/data/v62.0';

describe('Salesforce source against the sandbox', () => {
  const def = findConnector('salesforce')!;
  let sandbox: RunningSandbox;
  let api: SalesforceApi;
  let token: string | undefined;

  const admin = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${sandbox.url}/__sandbox/${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  };
  const seed = async (object: string, records: Rec[]): Promise<string[]> => ((await admin('POST', 'seed', { objects: { [object]: records } })).objects[object] as Array<{ Id: string }>).map((r) => r.Id);
  const salesforce = async (method: string, p: string, body?: unknown): Promise<any> => {
    if (!token) {
      const { credentials } = await admin('GET', 'credentials');
      const res = await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }).toString() });
      token = ((await res.json()) as any).access_token;
    }
    const res = await fetch(`${sandbox.url}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  };

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox();
    token = undefined;
    api = new SalesforceApi((await connectToSandbox(def, sandbox.url)).http, '62.0');
    // Salesforce's time stands still unless a test moves it: many changes share one SystemModstamp.
    await admin('POST', 'clock', { at: T0, frozen: true });
  });
  afterEach(async () => { await sandbox.stop(); });

  it('captures 450 records written in one second, 100 per poll, exactly once, in (SystemModstamp, Id) order', async () => {
    const ids = await seed('Account', Array.from({ length: 450 }, (_, i) => ({ Name: `A${i}`, SystemModstamp: T0 })));
    const source = salesforceSource(api, { maxChangesPerPoll: 100, now: () => Date.parse(T0) + 60_000 });
    const { changes, cursor, polls } = await drain(source, 'Account', null);
    expect(polls).toBe(5);
    expect(changes.map((c) => c.recordId)).toEqual([...ids].sort());
    expect(changes[0]).toMatchObject({ object: 'Account', op: 'upsert', occurredAt: T0, version: `${T0}/upsert`, data: expect.objectContaining({ Name: expect.any(String), IsDeleted: false }) });
    expect(changes[0].data).not.toHaveProperty('attributes');
    expect(cursor).toEqual({ at: Date.parse(T0), id: [...ids].sort()[449] });
    expect((await source.capture('Account', cursor)).changes).toEqual([]);
  });

  it('captures updates and deletes (queryAll), leaves unsettled seconds for later, and resumes exactly once', async () => {
    const [a, b, c] = await seed('Contact', [{ LastName: 'A' }, { LastName: 'B' }, { LastName: 'C' }]);
    let now = Date.parse(T0) + 60_000;
    const source = salesforceSource(api, { now: () => now, settleMs: 5000 });
    const first = await drain(source, 'Contact', null);
    expect(first.changes.map((ch) => ch.recordId)).toEqual([a, b, c]);

    await admin('POST', 'clock', { at: '2024-03-01T09:01:00.400Z', frozen: true });
    await salesforce('PATCH', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'Contact' }, Id: c, Title: 'CEO' }] });
    await salesforce('DELETE', `${V}/composite/sobjects?ids=${a}`);
    // The second 09:01:00 is not over (settle window): nothing yet.
    now = Date.parse('2024-03-01T09:01:05.000Z');
    expect((await source.capture('Contact', first.cursor)).changes).toEqual([]);
    now = Date.parse('2024-03-01T09:01:07.000Z');
    const second = await drain(source, 'Contact', first.cursor);
    expect(second.changes.map((ch) => [ch.recordId, ch.op])).toEqual([[a, 'delete'], [c, 'upsert']].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    const deleted = second.changes.find((ch) => ch.op === 'delete')!;
    expect(deleted).toMatchObject({ data: null, occurredAt: '2024-03-01T09:01:00.000Z', version: '2024-03-01T09:01:00.000Z/deleted' });
    expect(second.changes.find((ch) => ch.recordId === c)!.data).toMatchObject({ Title: 'CEO' });

    // Resumed from a cursor saved mid-second: the rest of that second, then nothing twice.
    const midSecond = { at: Date.parse('2024-03-01T09:01:00.000Z'), id: [a, c].sort()[0] };
    const resumed = await drain(source, 'Contact', midSecond);
    expect(resumed.changes.map((ch) => ch.recordId)).toEqual([[a, c].sort()[1]]);
    expect((await drain(source, 'Contact', second.cursor)).changes).toEqual([]);
  });

  it('captures custom objects with the fields describe lists', async () => {
    await seed('Invoice__c', [{ Name: 'INV-1', Invoice_Number__c: 'N-1', Status__c: 'Paid' }]);
    const source = def.source(await connectToSandbox(def, sandbox.url));
    const { changes } = await drain(source, 'Invoice__c', null);
    expect(changes).toHaveLength(1);
    expect(changes[0].data).toMatchObject({ Name: 'INV-1', Invoice_Number__c: 'N-1', Status__c: 'Paid', Amount__c: null });
  });
});
