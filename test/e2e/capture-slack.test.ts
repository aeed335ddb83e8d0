import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Capture of a Slack channel through POST /v1/captures into the Stream: posts, replies, edits and
// deletes, each exactly once, with forge_origin surfaced in the events.
const CHANNEL = 'C0CAPT0001';
const OBJECT = `messages:${CHANNEL}`;

jest.setTimeout(90_000);


describe('capture of a Slack channel into the Stream', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('slack'); });
  afterAll(async () => { await h?.stop(); });

  async function slack(method: string, args: Record<string, unknown>): Promise<any> {
    const { credentials } = (await h.admin('GET', 'credentials')).body;
    const res = await fetch(`${h.sandbox.url}/api/${method}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credentials.botToken}` }, body: JSON.stringify(args),
    });
    const body: any = await res.json();
    expect(body.ok).toBe(true);
    return body;
  }
  async function stream(): Promise<any[]> {
    const page = await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId: h.connectionId, object: OBJECT, limit: '1000' })}`);
    expect(page.status).toBe(200);
    return page.body.events;
  }

  it('captures posts, replies, edits and deletes exactly once', async () => {
    await h.admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'bridge' }] } });
    const first = await slack('chat.postMessage', { channel: CHANNEL, text: 'first', metadata: { event_type: 'forgeworks_copy', event_payload: { origin: 'teams:42' } } });
    const created = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: OBJECT, intervalSeconds: 1 });
    expect(created.status).toBe(201);
    try {
      await waitFor('the first post', async () => (await stream()).length >= 1);
      const reply = await slack('chat.postMessage', { channel: CHANNEL, text: 'a reply', thread_ts: first.ts });
      const second = await slack('chat.postMessage', { channel: CHANNEL, text: 'second' });
      await slack('chat.update', { channel: CHANNEL, ts: second.ts, text: 'second, edited' });
      await waitFor('reply and edit', async () => (await stream()).some((e) => e.recordId === second.ts && e.data?.text === 'second, edited'));
      await slack('chat.delete', { channel: CHANNEL, ts: reply.ts });
      const events = await waitFor('the delete', async () => {
        const all = await stream();
        return all.some((e) => e.op === 'delete') ? all : undefined;
      });
      // Two more polls' worth of time: nothing new may appear.
      const offset = events[events.length - 1].offset;
      await waitFor('two more polls', async () => {
        const capture = (await h.api('GET', `/v1/captures/${created.body.id}`)).body;
        return JSON.stringify(capture).length > 0 && (await h.admin('GET', 'requests')).body.requests.filter((r: any) => r.path === '/api/conversations.history').length >= 6;
      });
      const final = await stream();
      expect(final[final.length - 1].offset).toBe(offset);
      const seen = final.map((e) => `${e.recordId}/${e.op}/${e.data?.text ?? ''}`);
      expect(seen).toEqual(expect.arrayContaining([`${first.ts}/upsert/first`, `${reply.ts}/upsert/a reply`, `${reply.ts}/delete/`, `${second.ts}/upsert/second, edited`]));
      expect(new Set(seen).size).toBe(seen.length);
      expect(final.find((e) => e.recordId === first.ts).data).toMatchObject({ forge_origin: 'teams:42' });
      expect(final.find((e) => e.recordId === reply.ts && e.op === 'upsert').data).toMatchObject({ thread_ts: first.ts });
    } finally {
      await h.api('DELETE', `/v1/captures/${created.body.id}`);
    }
  });
});
