import crypto from 'node:crypto';
import { encodeForm } from '../../src/platform/http';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Capture from Stripe's Events API into the Stream, end to end: REST API, Temporal, Postgres.

interface StreamEvent {
  offset: number;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  occurredAt: string;
  data: Record<string, unknown> | null;
}


jest.setTimeout(120_000);

describe('capture from Stripe into the Stream', () => {
  let h: LoadHarness;
  let apiKey: string;
  const started: string[] = [];
  beforeAll(async () => {
    h = await startLoadHarness('stripe');
    apiKey = (await h.admin('GET', 'credentials')).body.credentials.apiKey;
  });
  afterAll(async () => {
    for (const id of started) await h?.api('DELETE', `/v1/captures/${id}`).catch(() => {});
    await h?.stop();
  });

  async function stripe(method: string, path: string, form?: Record<string, unknown>): Promise<any> {
    const res = await fetch(`${h.sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? encodeForm(form) : undefined,
    });
    return res.json();
  }
  async function streamOf(connectionId: string): Promise<StreamEvent[]> {
    const page = await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId, object: 'customers', limit: '1000' })}`);
    expect(page.status).toBe(200);
    return page.body.events;
  }

  it('captures creates, updates and deletes exactly once, in order, across a pause and resume', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const a = (await stripe('POST', '/v1/customers', { name: `a-${tag}` })).id as string;
    const b = (await stripe('POST', '/v1/customers', { name: `b-${tag}` })).id as string;
    const res = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'customers', intervalSeconds: 1 });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    started.push(id);
    await waitFor('the created customers', async () => (await streamOf(h.connectionId)).length >= 2);

    expect((await h.api('POST', `/v1/captures/${id}/pause`)).status).toBe(202);
    await waitFor('the pause', async () => (await h.api('GET', `/v1/captures/${id}`)).body.status === 'paused');
    await stripe('POST', `/v1/customers/${a}`, { name: `a2-${tag}`, metadata: { tier: 'gold' } });
    await stripe('DELETE', `/v1/customers/${b}`);
    await stripe('POST', '/v1/products', { name: 'not captured' });
    expect((await h.api('POST', `/v1/captures/${id}/resume`)).status).toBe(202);

    const events = await waitFor('the update and the delete', async () => {
      const all = await streamOf(h.connectionId);
      return all.length >= 4 && all;
    });
    const story = events.map((e) => `${e.recordId === a ? 'a' : 'b'}:${e.op}:${String(e.data?.name ?? '')}`);
    expect(story).toEqual([`a:upsert:a-${tag}`, `b:upsert:b-${tag}`, `a:upsert:a2-${tag}`, 'b:delete:']);
    expect(events[2].data).toMatchObject({ 'metadata.tier': 'gold' });
    for (let i = 1; i < events.length; i++) expect(events[i].offset).toBeGreaterThan(events[i - 1].offset);
    expect(new Set(events.map((e) => e.version)).size).toBe(events.length);
    expect(events.every((e) => e.version.startsWith('evt_'))).toBe(true);

    // Later polls find nothing new: still exactly these four.
    const polls = (await h.api('GET', `/v1/captures/${id}`)).body.polls as number;
    await waitFor('two more polls', async () => (await h.api('GET', `/v1/captures/${id}`)).body.polls >= polls + 2);
    expect(await streamOf(h.connectionId)).toHaveLength(4);
    expect((await h.api('GET', `/v1/captures/${id}`)).body.cursor).toEqual(expect.objectContaining({ created: expect.any(Number), seen: expect.any(Array) }));
    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
  });
});
