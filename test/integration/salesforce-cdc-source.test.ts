import type { CapturePage, ChangeEvent, ConnectorContext, Rec, SourceContract } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { SalesforceApi } from '../../src/connectors/salesforce/api';
import { salesforceCdcSource, type CdcSourceOptions } from '../../src/connectors/salesforce/cdc-source';
import { StreamingClient } from '../../src/connectors/salesforce/streaming';
import { isConnectorError } from '../../src/platform/errors';
import { bucketOf, bucketsFor } from '../../src/platform/rate-budget';
import { startSalesforceSandbox, type SalesforceSandboxOptions } from '../../sandboxes/salesforce';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';
import { waitUntil } from '../helpers/wait';

const V = '/services/data/v62.0';
const T0 = '2024-03-01T09:00:00.000Z';

/** Capture through Change Data Capture against the sandbox's CometD endpoint, over loopback. */
describe('Salesforce capture through Change Data Capture', () => {
  const def = findConnector('salesforce')!;
  let sandbox: RunningSandbox | undefined;
  let ctx: ConnectorContext;
  let token: string | undefined;

  const url = (): string => sandbox!.url;
  const admin = sandboxAdmin(url);
  const seed = async (object: string, records: Rec[]): Promise<string[]> => ((await admin('POST', 'seed', { objects: { [object]: records } })).objects[object] as Array<{ Id: string }>).map((r) => r.Id);
  /** Salesforce's own API, as another user of the org changes records. */
  const salesforce = async (method: string, p: string, body?: unknown, raw = false): Promise<any> => {
    if (!token) {
      const { credentials } = await admin('GET', 'credentials');
      const res = await fetch(`${url()}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }).toString() });
      token = ((await res.json()) as any).access_token;
    }
    const res = await fetch(`${url()}${p}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': raw ? 'text/xml' : 'application/json', ...(raw ? { soapaction: 'undelete' } : {}) },
      body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body) });
    return raw ? res.text() : res.json();
  };
  const create = async (object: string, fields: Rec): Promise<string> => (await salesforce('POST', `${V}/composite/sobjects`, { records: [{ attributes: { type: object }, ...fields }] }))[0].id;
  const update = (object: string, id: string, fields: Rec) => salesforce('PATCH', `${V}/composite/sobjects`, { records: [{ attributes: { type: object }, Id: id, ...fields }] });
  const remove = (id: string) => salesforce('DELETE', `${V}/composite/sobjects?ids=${id}`);
  const undelete = (id: string) => salesforce('POST', '/services/Soap/u/62.0',
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Header><urn:SessionHeader><urn:sessionId>${token}</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:undelete><urn:ids>${id}</urn:ids></urn:undelete></soapenv:Body></soapenv:Envelope>`, true);

  const sourceOf = (options: CdcSourceOptions = {}): SourceContract => salesforceCdcSource(new SalesforceApi(ctx.http, '62.0'), new StreamingClient(ctx.http, '62.0'), { longPollMs: 200, ...options });

  /** Calls capture as the capture workflow does, while it has more, and once more after. */
  async function drain(source: SourceContract, object: string, cursor: unknown, maxCalls = 50): Promise<{ changes: ChangeEvent[]; cursor: unknown; pages: CapturePage[] }> {
    const changes: ChangeEvent[] = [];
    const pages: CapturePage[] = [];
    for (let calls = 0; calls < maxCalls; calls++) {
      const page = await source.capture(object, cursor);
      pages.push(page);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor, pages };
    }
    throw new Error(`capture still had more after ${maxCalls} calls`);
  }

  /** Each record's newest event, as the Stream's reader ends up seeing it. */
  const newest = (changes: ChangeEvent[]): Map<string, ChangeEvent> => new Map(changes.map((c) => [c.recordId, c]));

  async function start(options: SalesforceSandboxOptions = {}): Promise<void> {
    sandbox = await startSalesforceSandbox(options);
    token = undefined;
    ctx = await connectToSandbox(def, url());
  }
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('captures create, update, delete and undelete in replay order, whole records, deletes without data', async () => {
    await start();
    const source = sourceOf();
    const handedOver = await drain(source, 'Account', null);
    expect(handedOver.changes).toEqual([]);
    expect(handedOver.cursor).toMatchObject({ replayId: -2 });

    const id = await create('Account', { Name: 'Acme', Industry: 'Retail' });
    await update('Account', id, { Name: 'Acme Corp', Industry: null });
    await remove(id);
    await undelete(id);
    const other = await create('Account', { Name: 'Other' });

    const { changes, cursor } = await drain(source, 'Account', handedOver.cursor);
    expect(changes.map((c) => [c.recordId, c.op])).toEqual([[id, 'upsert'], [id, 'upsert'], [id, 'delete'], [id, 'upsert'], [other, 'upsert']]);
    const versions = changes.filter((c) => c.recordId === id).map((c) => c.version);
    expect([...versions].sort()).toEqual(versions);
    expect(new Set(versions).size).toBe(4);
    // Every upsert carries the whole record as it is now (the update event alone names two fields).
    expect(changes[1].data).toMatchObject({ Id: id, Name: 'Acme Corp', Industry: null, IsDeleted: false, Website: null });
    expect(changes[1].data).not.toHaveProperty('attributes');
    expect(changes[2].data).toBeNull();
    expect(cursor).toMatchObject({ replayId: 5, fallbacks: 0 });
    expect((await drain(source, 'Account', cursor)).changes).toEqual([]);
  });

  it('sends the ChangeEventHeader and changed fields Salesforce documents', async () => {
    await start();
    const id = await create('Contact', { LastName: 'Lovelace', Email: 'ada@example.com' });
    await update('Contact', id, { Title: 'Countess', Email: null });
    const streaming = new StreamingClient(ctx.http, '62.0');
    const session = await streaming.handshake();
    await streaming.subscribe(session, '/data/ChangeEvents', -2);
    const events = await streaming.connect(session, 0);
    await streaming.disconnect(session);
    expect(events.map((e) => e.replayId)).toEqual([1, 2]);
    const [created, updated] = events.map((e) => e.payload);
    expect(created.ChangeEventHeader).toMatchObject({
      entityName: 'Contact', recordIds: [id], changeType: 'CREATE', changeOrigin: 'com/salesforce/api/rest/62.0', sequenceNumber: 1,
      commitUser: expect.any(String), commitNumber: expect.any(Number), commitTimestamp: expect.any(Number), transactionKey: expect.any(String), changedFields: [],
    });
    expect(created).toMatchObject({ LastName: 'Lovelace', Email: 'ada@example.com', CreatedDate: expect.any(String) });
    expect(updated.ChangeEventHeader).toMatchObject({ changeType: 'UPDATE', nulledFields: ['Email'] });
    expect([...(updated.ChangeEventHeader.changedFields ?? [])].sort()).toEqual(['Email', 'LastModifiedDate', 'Title']);
    expect(Object.keys(updated).sort()).toEqual(['ChangeEventHeader', 'Email', 'LastModifiedDate', 'Title']);
    expect(updated.ChangeEventHeader.commitNumber).toBeGreaterThan(created.ChangeEventHeader.commitNumber);
  });

  it('reads gap events (header only) by record id: the records as they are now, deletes as deletes', async () => {
    await start({ changeDataCapture: { gapEntities: ['Account'] } });
    const source = sourceOf();
    const { cursor } = await drain(source, 'Account', null);
    const kept = await create('Account', { Name: 'Kept', Industry: 'Retail' });
    await update('Account', kept, { Name: 'Kept Corp' });
    const gone = await create('Account', { Name: 'Gone' });
    await remove(gone);
    const [a, b] = (await salesforce('POST', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'Account' }, Name: 'A' }, { attributes: { type: 'Account' }, Name: 'B' }] }))
      .map((r: { id: string }) => r.id);

    // On the wire: headers only, one event for the two creates of one transaction.
    const streaming = new StreamingClient(ctx.http, '62.0');
    const session = await streaming.handshake();
    await streaming.subscribe(session, '/data/AccountChangeEvent', -2);
    const raw = (await streaming.connect(session, 0)).map((e) => e.payload);
    await streaming.disconnect(session);
    expect(raw.map((p) => [p.ChangeEventHeader.changeType, p.ChangeEventHeader.recordIds])).toEqual([
      ['GAP_CREATE', [kept]], ['GAP_UPDATE', [kept]], ['GAP_CREATE', [gone]], ['GAP_DELETE', [gone]], ['GAP_CREATE', [a, b]],
    ]);
    for (const p of raw) {
      expect(Object.keys(p)).toEqual(['ChangeEventHeader']);
      expect(p.ChangeEventHeader).toMatchObject({ sequenceNumber: 1, changedFields: [], nulledFields: [] });
    }

    const { changes } = await drain(source, 'Account', cursor);
    const last = newest(changes);
    expect(last.get(kept)).toMatchObject({ op: 'upsert', data: { Id: kept, Name: 'Kept Corp', Industry: 'Retail', IsDeleted: false } });
    expect(last.get(gone)).toMatchObject({ op: 'delete', data: null });
    expect(last.get(a)).toMatchObject({ op: 'upsert', data: { Name: 'A' } });
    expect(last.get(b)).toMatchObject({ op: 'upsert', data: { Name: 'B' } });
    // A created record deleted before it was read is only its delete: never an upsert without data.
    expect(changes.filter((c) => c.recordId === gone).map((c) => c.op)).toEqual(['delete']);
  });

  it('delivers a change made while a capture call is long-polling in that call', async () => {
    await start();
    const { cursor } = await drain(sourceOf(), 'Contact', null);
    const source = sourceOf({ longPollMs: 8_000 });
    await admin('DELETE', 'requests');
    const started = Date.now();
    const polling = source.capture('Contact', cursor);
    // Handshake and subscribe answered, and a connect received but not answered: the sandbox holds it.
    await waitUntil(async () => {
      const { requests, inFlight } = await admin('GET', 'requests') as { requests: Array<{ path: string }>; inFlight: Array<{ path: string }> };
      return requests.filter((r) => r.path === '/cometd/62.0').length >= 2 && inFlight.some((r) => r.path === '/cometd/62.0');
    }, 4_000);
    const id = await create('Contact', { LastName: 'During' });
    const page = await polling;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(page.changes.map((c) => [c.recordId, c.op])).toEqual([[id, 'upsert']]);
  });

  it('does not wait for a server that holds a connect past the asked timeout: no events this call, the next one has them', async () => {
    await start();
    const source = sourceOf();
    const { cursor } = await drain(source, 'Account', null);
    const id = await create('Account', { Name: 'Held back' });
    // Handshake and subscribe pass; the connect is answered 8 s late (the request gives up after 0.2 + 5 s).
    await admin('POST', 'faults', { faults: [{ path: '/cometd/62.0', latencyMs: 8_000, after: 2, times: 1 }] });
    const started = Date.now();
    const late = await source.capture('Account', cursor);
    expect(Date.now() - started).toBeLessThan(7_500);
    expect(late).toEqual({ changes: [], cursor, hasMore: false });
    expect((await source.capture('Account', cursor)).changes.map((c) => c.recordId)).toEqual([id]);
  });

  it('hands over from the backfill to change events without losing a change made during the backfill', async () => {
    await start();
    // Created through the API an hour ago: their events are older than the backfill and skipped.
    await admin('POST', 'clock', { at: new Date(Date.now() - 3600_000).toISOString(), frozen: false });
    const early = [await create('Account', { Name: 'Early 1' }), await create('Account', { Name: 'Early 2' })];
    await admin('POST', 'clock', { at: new Date().toISOString(), frozen: false });
    const seeded = await seed('Account', Array.from({ length: 250 }, (_, i) => ({ Name: `Seed ${i}`, SystemModstamp: new Date(Date.now() - 1800_000 + i * 1000).toISOString() })));
    const source = sourceOf({ maxChangesPerPoll: 100 });

    const changes: ChangeEvent[] = [];
    let cursor: unknown = null;
    let made = 0;
    for (let calls = 0; calls < 20; calls++) {
      const page = await source.capture('Account', cursor);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (cursor && typeof cursor === 'object' && 'backfill' in cursor) {
        // During the backfill: change a record already read, one not read yet, and create one.
        made++;
        await update('Account', seeded[0], { Name: `Read, then renamed ${made}` });
        await update('Account', seeded[249], { Name: `Unread, renamed ${made}` });
        await create('Account', { Name: `Created during backfill ${made}` });
      }
      if (!page.hasMore && !('backfill' in (cursor as object))) break;
    }
    expect(made).toBeGreaterThanOrEqual(2);
    const state = (await admin('GET', 'state')).objects.Account as Array<Record<string, unknown>>;
    const captured = newest(changes);
    expect(captured.size).toBe(state.length);
    for (const record of state) expect(captured.get(String(record.Id))?.data).toMatchObject({ Name: record.Name });
    // The two early creates were read by the backfill and their events skipped: once each.
    for (const id of early) expect(changes.filter((c) => c.recordId === id)).toHaveLength(1);
  });

  it('gives a change both the backfill and its event deliver one version, so the Stream keeps it once', async () => {
    await start();
    // A clock a minute behind: the backfill reads these creates' second, and their events replay too.
    await admin('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: true });
    const ids = [await create('Contact', { LastName: 'A' }), await create('Contact', { LastName: 'B' })];
    await remove(ids[1]);
    const { changes, pages } = await drain(sourceOf(), 'Contact', null);
    expect(pages[0].changes.map((c) => c.recordId).sort()).toEqual([...ids].sort());
    expect(changes.length).toBeGreaterThan(2);
    const kept = new Map(changes.map((c) => [`${c.recordId} ${c.version}`, c]));
    expect([...kept.values()].map((c) => [c.recordId, c.op])).toEqual([[ids[0], 'upsert'], [ids[1], 'delete']]);
  });

  it('falls back to the backfill when the replayId is past the retention window, and loses nothing', async () => {
    await start({ changeDataCapture: { retentionMs: 60_000 } });
    await admin('POST', 'clock', { at: T0, frozen: true });
    let now = Date.parse(T0) + 60_000;
    const source = sourceOf({ now: () => now });
    const a = await create('Account', { Name: 'A' });
    const first = await drain(source, 'Account', null);
    expect(first.cursor).toMatchObject({ replayId: 1 });

    await admin('POST', 'clock', { advanceMs: 120_000 });
    await update('Account', a, { Name: 'A renamed' });
    const b = await create('Account', { Name: 'B' });
    // Nobody reads for four minutes: every event, the cursor's included, is purged.
    await admin('POST', 'clock', { advanceMs: 240_000 });
    now = Date.parse(T0) + 600_000;
    const second = await drain(source, 'Account', first.cursor);
    expect(second.pages[0].cursor).toMatchObject({ backfill: { at: Date.parse(T0) - 5_000 }, fallbacks: 1 });
    expect(newest(second.changes).get(a)?.data).toMatchObject({ Name: 'A renamed' });
    expect(newest(second.changes).get(b)?.data).toMatchObject({ Name: 'B' });
    expect(second.cursor).toMatchObject({ replayId: -2, fallbacks: 1 });

    const c = await create('Account', { Name: 'C' });
    const third = await drain(source, 'Account', second.cursor);
    expect(third.changes.map((ch) => ch.recordId)).toEqual([c]);
  });

  it('reads an overflow event (GAP_OVERFLOW, no record ids) as a fallback to the backfill, and loses nothing', async () => {
    await start({ changeDataCapture: { overflowThreshold: 2 } });
    await admin('POST', 'clock', { at: T0, frozen: true });
    let now = Date.parse(T0) + 60_000;
    const source = sourceOf({ now: () => now });
    await create('Account', { Name: 'Before' });
    const { cursor } = await drain(source, 'Account', null);
    await admin('POST', 'clock', { advanceMs: 10_000 });
    const created = await salesforce('POST', `${V}/composite/sobjects`, { records: Array.from({ length: 5 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `Bulk ${i}` })) });
    const ids: string[] = created.map((r: { id: string }) => r.id);
    now += 60_000;
    const { changes, pages } = await drain(source, 'Account', cursor);
    expect(pages[0].changes.map((c) => c.recordId)).toEqual(ids.slice(0, 2));
    expect(pages[0].cursor).toMatchObject({ backfill: { at: Date.parse(T0) - 5_000 }, fallbacks: 1 });
    // The fallback backfill reads the five (and 'Before' again, from the settle margin on).
    for (const [i, id] of ids.entries()) expect(newest(changes).get(id)?.data).toMatchObject({ Name: `Bulk ${i}` });
  });

  it('names the object when it is not selected for Change Data Capture', async () => {
    await start();
    const source = def.source({ ...ctx, config: { ...ctx.config, changeDataCapture: true } });
    const { cursor } = await source.capture('Invoice__c', null);
    const failure = await source.capture('Invoice__c', cursor).then(() => undefined, (e: unknown) => e);
    expect(isConnectorError(failure) && failure.kind).toBe('permanent');
    expect(String((failure as Error).message)).toMatch(/Invoice__c is not selected for Change Data Capture.*The channel you requested to subscribe to does not exist \{\/data\/Invoice__ChangeEvent\}/);
  });

  it("does not draw the Streaming API's messages from the API request allocation", () => {
    const buckets = (def.rateLimits ?? []).map(bucketOf);
    expect(bucketsFor(buckets, { method: 'POST', path: '/cometd/62.0' })).toEqual([]);
    expect(bucketsFor(buckets, { method: 'GET', path: `${V}/queryAll` })).toHaveLength(1);
  });

  it('keeps the poll when changeDataCapture is off', async () => {
    await start();
    await create('Account', { Name: 'Polled' });
    const page = await def.source(ctx).capture('Account', null);
    expect(page.cursor).toEqual(expect.objectContaining({ at: expect.any(Number), id: expect.any(String) }));
    expect((await admin('GET', 'requests')).requests.some((r: { path: string }) => r.path.startsWith('/cometd/'))).toBe(false);
  });

  it('refreshes an expired session as the REST client does, and never puts the token in an error', async () => {
    await start({ refreshToken: 'canary-refresh-5e1f' });
    const source = sourceOf();
    const { cursor } = await drain(source, 'Account', null);
    const id = await create('Account', { Name: 'After expiry' });
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    expect((await source.capture('Account', cursor)).changes.map((c) => c.recordId)).toEqual([id]);
    const cometd = (await admin('GET', 'requests')).requests.filter((r: { path: string }) => r.path === '/cometd/62.0').map((r: { status: number }) => r.status);
    expect(cometd).toContain(401);

    // Every Streaming API request refused: a permanent failure whose text holds no token.
    await admin('POST', 'faults', { faults: [{ path: '/cometd/62.0', kind: 'expire-token', times: 100 }] });
    await admin('POST', 'faults', { faults: [{ path: '/services/oauth2/token', status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } }] });
    const failure = await source.capture('Account', cursor).then(() => undefined, (e: unknown) => e);
    expect(isConnectorError(failure) && failure.kind).toBe('permanent');
    const text = JSON.stringify({ message: (failure as Error).message, ...(failure as object) });
    expect(text).not.toContain('canary-refresh-5e1f');
    expect(text).not.toContain('00D5g00000SbxOrg!');
  });

  it('reports a spent event delivery allocation as transient with a Retry-After', async () => {
    await start({ changeDataCapture: { dailyDeliveryAllocation: 1 } });
    const source = sourceOf();
    const { cursor } = await drain(source, 'Account', null);
    await create('Account', { Name: 'One' });
    const delivered = await source.capture('Account', cursor);
    expect(delivered.changes).toHaveLength(1);
    await create('Account', { Name: 'Two' });
    const failure = await source.capture('Account', delivered.cursor).then(() => undefined, (e: unknown) => e);
    expect(isConnectorError(failure) && { kind: failure.kind, retryAfterMs: failure.retryAfterMs }).toEqual({ kind: 'transient', retryAfterMs: 300_000 });
    expect((failure as Error).message).toContain('403::Organization total events daily limit exceeded');
  });
});
