import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// Temporal stores only ciphertext: a load that fails with a vendor body snippet (a validation error
// quoting the record) leaves no clear text of it in the workflow's history, while the gateway
// (which holds the codec) still reads status and progress. The codec endpoint decodes for the Web UI.
describe('Temporal payload codec', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });

  it('histories hold no clear payload or failure text; the codec endpoint decodes them for an admin only', async () => {
    const marker = 'clear-text-marker-5b2d40867f3a';
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/crm/v3/objects/contacts/batch/read', status: 503, body: { message: `upstream said ${marker}` }, times: 1 }] });
    const res = await h.api('POST', '/v1/loads', {
      connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email',
      records: [{ email: 'codec@example.com', firstname: marker }], options: { rollbackWindowSeconds: 0 },
    });
    expect(res.status).toBe(202);
    const done = await h.waitForLoad(res.body.id, ['completed', 'failed', 'rolled_back'], 60_000);
    expect(done.status).toBe('completed');
    const workflowId = `load-${h.tenantId}-${res.body.id}`;
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const raw = JSON.stringify(history);
    const events = history.events ?? [];
    // A retried activity's last failure is recorded on its started event once it completes.
    const lastFailure = events.map((e) => e.activityTaskStartedEventAttributes?.lastFailure).find(Boolean);
    expect(lastFailure).toBeDefined(); // the 503 was really recorded in the history...
    expect(raw).not.toContain(marker); // ...but neither its snippet nor any payload is in clear
    expect(raw).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(lastFailure!.message).toBe('Encoded failure');

    // The codec endpoint (Temporal's remote codec protocol) decodes for the admin key only.
    const started = events[0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const body = { payloads: started.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
      data: Buffer.from(p.data as Uint8Array).toString('base64'),
    })) };
    const anonymous = await fetch(`${h.gatewayUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(anonymous.status).toBe(401);
    const tenantKey = await fetch(`${h.gatewayUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.apiKey}` }, body: JSON.stringify(body) });
    expect(tenantKey.status).toBe(401);
    const decoded = await fetch(`${h.gatewayUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.config.FORGE_ADMIN_KEY}` }, body: JSON.stringify(body) });
    expect(decoded.status).toBe(200);
    const payload = ((await decoded.json()) as { payloads: Array<{ data: string }> }).payloads[0];
    expect(Buffer.from(payload.data, 'base64').toString()).toContain(res.body.id);
  });
});
