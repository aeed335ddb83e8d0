import { waitFor } from '../../helpers/wait';
import type { Quirk } from '../fixture';
import { Capture, CAPTURE_POLL_MS, CAPTURE_WAIT_MS } from '../runner/capture';
import { quirkSetUp, vendorCall } from './helpers';

// Slack's own behaviour, beyond the table: a conversation's order, threads, and forge_origin kept
// as message metadata (what the bridge's loop prevention reads).
const CHANNEL = 'C0CONF0001';

export const slackQuirks: Quirk[] = [
  {
    name: 'posts 30 messages, each chunk of 20 in load order',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const messages = Array.from({ length: 30 }, (_, i) => ({ forge_origin: `load:${i}`, text: `message ${i}` }));
      const load = await loads.run('create', messages);
      expect(load.counts).toMatchObject({ total: 30, created: 30, failed: 0, verified: 30 });
      const texts = (await sb.state()).objects.messages.filter((m) => m.channel === CHANNEL).map((m) => m.text as string);
      expect([...texts].sort()).toEqual(messages.map((m) => m.text).sort());
      // One message at a time within a chunk: chunks may run side by side.
      for (const chunk of [messages.slice(0, 20), messages.slice(20)]) {
        const positions = chunk.map((m) => texts.indexOf(m.text));
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      }
    },
  },
  {
    name: 'captures posts, thread replies, edits and deletes exactly once, with forge_origin and thread_ts',
    phase: 'capture',
    async run(ctx) {
      const sb = await ctx.env.sandbox(ctx.fixture);
      const token = String(sb.credentials.botToken);
      const slack = async (method: string, args: Record<string, unknown>) => {
        const body = await vendorCall(sb, 'POST', `/api/${method}`, { token, json: args });
        expect(body.ok).toBe(true);
        return body;
      };
      const first = await slack('chat.postMessage', { channel: CHANNEL, text: 'first', metadata: { event_type: 'forgeworks_copy', event_payload: { origin: 'teams:42' } } });
      const capture = await Capture.start(ctx.env, sb, ctx.object.object);
      try {
        await waitFor('the first post', async () => (await capture.stream()).length >= 1 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const reply = await slack('chat.postMessage', { channel: CHANNEL, text: 'a reply', thread_ts: first.ts });
        const second = await slack('chat.postMessage', { channel: CHANNEL, text: 'second' });
        await slack('chat.update', { channel: CHANNEL, ts: second.ts, text: 'second, edited' });
        await waitFor('reply and edit', async () => (await capture.stream()).some((e) => e.recordId === second.ts && e.data?.text === 'second, edited') || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        await slack('chat.delete', { channel: CHANNEL, ts: reply.ts });
        await waitFor('the delete', async () => (await capture.stream()).some((e) => e.op === 'delete') || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const polls = (await capture.view()).polls;
        await waitFor('two more polls', async () => (await capture.view()).polls >= polls + 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const events = await capture.stream();
        const seen = events.map((e) => `${e.recordId}/${e.op}/${String(e.data?.text ?? '')}`);
        expect(seen).toEqual(expect.arrayContaining([`${first.ts}/upsert/first`, `${reply.ts}/upsert/a reply`, `${reply.ts}/delete/`, `${second.ts}/upsert/second, edited`]));
        expect(new Set(seen).size).toBe(seen.length);
        expect(events.find((e) => e.recordId === first.ts)?.data).toMatchObject({ forge_origin: 'teams:42' });
        expect(events.find((e) => e.recordId === reply.ts && e.op === 'upsert')?.data).toMatchObject({ thread_ts: first.ts });
      } finally {
        await capture.stop();
      }
    },
  },
];
