import { waitFor } from '../../helpers/wait';
import type { Quirk } from '../fixture';
import { Capture, CAPTURE_POLL_MS, CAPTURE_WAIT_MS } from '../runner/capture';
import { quirkSetUp, refreshGrant, requestsTo, vendorCall } from './helpers';

// Microsoft Teams' own behaviour, beyond the table (a soft delete undone with the same id is declared
// in the fixture's deleteRollback; edited bodies put back, in rollback-exact): one request per
// message, the forge_origin marker in the body, replies of followed threads in capture.
const TEAM = '172b0cce-e65d-44ce-9a49-91d9f2e8593a';
const CHANNEL = '19:conformance0001@thread.tacv2';
const M = `/v1.0/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages`;
const posts = (from: number, to: number, tag: string) => Array.from({ length: to - from }, (_, i) => ({ forge_origin: `${tag}-${from + i}`, content: `${tag} message ${from + i}` }));

export const teamsQuirks: Quirk[] = [
  {
    name: 'posts 30 messages, one request each, each carrying its forge_origin marker in the body',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const load = await loads.run('create', posts(0, 30, 'load'));
      expect(load.counts).toMatchObject({ total: 30, created: 30, failed: 0, verified: 30 });
      const bodies = (await sb.state()).objects.messages.map((m) => (m.body as { content: string }).content);
      expect(bodies).toHaveLength(30);
      expect(bodies.every((c) => /<span data-forge-origin="load-\d+" data-forge-type="text"><\/span>$/.test(c))).toBe(true);
      expect(await requestsTo(sb, 'POST', /\/messages$/)).toHaveLength(30);
    },
  },
  {
    name: 'captures posts, replies of followed threads, edits and soft deletes exactly once, with forge_origin and replyToId',
    phase: 'capture',
    async run(ctx) {
      const sb = await ctx.env.sandbox(ctx.fixture);
      const token = await refreshGrant(sb, `/${String(sb.credentials.tenantId)}/oauth2/v2.0/token`, { scope: 'ChannelMessage.Send' });
      const graph = (method: string, path: string, content?: string) =>
        vendorCall(sb, method, `${M}${path}`, { token, ...(content !== undefined ? { json: { body: { contentType: 'html', content } } } : {}) });
      const a = (await graph('POST', '', 'A<span data-forge-origin="slack:C1/1" data-forge-type="html"></span>')).id as string;
      const b = (await graph('POST', '', 'B')).id as string;
      const capture = await Capture.start(ctx.env, sb, ctx.object.object);
      try {
        await waitFor('the first posts', async () => (await capture.stream()).length >= 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const r = (await graph('POST', `/${a}/replies`, 'R')).id as string;
        await graph('PATCH', `/${b}`, 'B2');
        await graph('PATCH', `/${a}/replies/${r}`, 'R2');
        await graph('POST', `/${a}/softDelete`);
        const name = (id: string) => (id === a ? 'a' : id === b ? 'b' : id === r ? 'r' : id);
        type Event = Awaited<ReturnType<typeof capture.stream>>[number];
        const show = (e: Event) => `${name(e.recordId)}:${e.op}:${String(e.data?.content ?? '')}`;
        const settled = (all: Event[]) => {
          const last = new Map(all.map((e) => [name(e.recordId), show(e)]));
          return last.get('a') === 'a:delete:' && last.get('b') === 'b:upsert:B2' && last.get('r') === 'r:upsert:R2';
        };
        const events = await waitFor('the reply, the edits and the delete', async () => {
          const all = await capture.stream();
          return settled(all) && all;
        }, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        expect(events.slice(0, 2).map(show)).toEqual(['a:upsert:A', 'b:upsert:B']);
        expect(events[0].data).toMatchObject({ forge_origin: 'slack:C1/1' });
        // A poll may land between the reply and its edit: then R is captured too, before R2, once.
        const later = events.slice(2).map(show);
        const reply = later.filter((e) => e.startsWith('r:'));
        expect([['r:upsert:R2'], ['r:upsert:R', 'r:upsert:R2']]).toContainEqual(reply);
        expect(later.filter((e) => !e.startsWith('r:')).sort()).toEqual(['a:delete:', 'b:upsert:B2']);
        expect(events.find((e) => e.recordId === r)?.data).toMatchObject({ replyToId: a });
        const polls = (await capture.view()).polls;
        await waitFor('two more polls', async () => (await capture.view()).polls >= polls + 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        expect(await capture.stream()).toHaveLength(events.length);
        expect((await capture.view()).cursor).toEqual(expect.objectContaining({ deltaToken: expect.any(String), threads: expect.any(Array) }));
      } finally {
        await capture.stop();
      }
    },
  },
];
