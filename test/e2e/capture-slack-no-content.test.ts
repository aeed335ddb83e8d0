import crypto from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { codecFor } from '../../src/platform/temporal-codec';
import { workflowIds } from '../../src/platform/temporal';
import { captureStatusQuery } from '../../src/platform/workflow-api';
import { startSandbox } from '../../sandboxes/kit';
import { slackSandbox } from '../../sandboxes/slack';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// A Slack capture stopped midway by the 2025 limits (conversations.history 1 call a minute, 15 a
// page) keeps its poll's position in the cursor. Message text must reach neither GET /v1/captures
// nor the capture workflow's history (payloads decrypted before looking), only the Stream.

jest.setTimeout(120_000);

const CANARY = `canary-text-${crypto.randomBytes(4).toString('hex')}`;

/** Every payload in a history, decrypted and decoded as text. */
async function payloadTexts(history: unknown, masterKeyFile: string): Promise<string> {
  const payloads: Payload[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if ('data' in node && 'metadata' in node && (node as Payload).data instanceof Uint8Array) payloads.push(node as Payload);
    else for (const value of Object.values(node)) walk(value);
  };
  walk(history);
  const decoded = await codecFor(masterKeyFile).decode(payloads);
  return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}

describe('a Slack capture midway through a poll', () => {
  let h: LoadHarness;

  beforeAll(async () => {
    h = await startLoadHarness('slack', { external: await startSandbox(slackSandbox({ appDistribution: 'non-marketplace-2025' })) });
  });
  afterAll(async () => { await h?.stop(); });

  it('shows where it stands, never what the messages say', async () => {
    const channel = `C${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    await h.admin('POST', 'seed', {
      objects: {
        channels: [{ id: channel, name: 'canary' }],
        messages: Array.from({ length: 20 }, (_, i) => ({ channel, ts: `1700000${String(i).padStart(3, '0')}.000100`, text: `${CANARY} ${i}` })),
      },
    });
    const created = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: `messages:${channel}`, intervalSeconds: 60 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    try {
      // 20 messages are two history pages: the first is read, the second refused for a minute.
      const handle = h.temporal.workflow.getHandle(workflowIds.capture(h.tenantId, id));
      const state = await waitFor('a poll stopped midway', async () => {
        const s = await handle.query(captureStatusQuery);
        return s.cursorSummary?.includes('poll.') ? s : undefined;
      });
      expect(state.cursorSummary).toMatch(/poll\.windows=\[1\]/);

      const answers = [await h.api('GET', '/v1/captures'), await h.api('GET', `/v1/captures/${id}`)];
      expect(answers[1].body.cursor.poll).toBeDefined();
      const history = await payloadTexts(await handle.fetchHistory(), h.config.FORGE_MASTER_KEY_FILE!);
      expect(history).toContain('cursorSummary'); // the activity results were decoded
      for (const [where, text] of [['GET /v1/captures', JSON.stringify(answers.map((a) => a.body))], ['workflow history', history]] as const) {
        expect({ where, leaked: text.includes(CANARY) }).toEqual({ where, leaked: false });
      }
    } finally {
      await h.api('DELETE', `/v1/captures/${id}`);
    }
  });
});
