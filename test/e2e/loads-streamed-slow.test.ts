import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

/**
 * Streamed uploads that take long: a large file arrives over minutes, longer than any one SQL
 * statement may run, and an upload that stops sending must not hold a transaction open forever.
 * The limits are shortened here (statement 300 ms, idle 1 s) so the test runs in seconds.
 */
describe('streamed loads that upload slowly', () => {
  let h: LoadHarness;
  beforeAll(async () => {
    h = await startLoadHarness('hubspot', { worker: false, config: { FORGE_DB_STATEMENT_TIMEOUT_MS: 300, FORGE_UPLOAD_IDLE_TIMEOUT_MS: 1_000 } });
  });
  afterAll(async () => { await h?.stop(); });

  async function storedLoads(): Promise<{ loads: number; records: number }> {
    const pg = new Client({ connectionString: h.config.DATABASE_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        `SELECT count(DISTINCT l.id)::int AS loads, count(r.idx)::int AS records
         FROM loads l LEFT JOIN load_records r ON r.load_id = l.id WHERE l.tenant_id = $1`, [h.tenantId]);
      return rows[0];
    } finally {
      await pg.end();
    }
  }

  /** NDJSON lines sent in `pieces` pieces, `gapMs` apart; with `stallAfter`, it stops sending after that piece. */
  function upload(pieces: number, perPiece: number, gapMs: number, stallAfter?: number) {
    let piece = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (stallAfter !== undefined && piece === stallAfter) return new Promise<void>(() => undefined);
        if (piece === pieces) { controller.close(); return; }
        if (piece > 0) await sleep(gapMs);
        const lines = Array.from({ length: perPiece }, (_, i) => JSON.stringify({ email: `slow-${piece * perPiece + i}@example.com` }));
        controller.enqueue(new TextEncoder().encode(`${lines.join('\n')}\n`));
        piece++;
      },
    });
    const q = new URLSearchParams({ connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', dryRun: 'true' });
    return fetch(`${h.gatewayUrl}/v1/loads?${q}`, {
      method: 'POST', headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/x-ndjson' }, body, duplex: 'half',
    } as RequestInit);
  }

  it('stores every record of an upload that lasts longer than the statement timeout', async () => {
    const res = await upload(8, 50, 200);
    expect(res.status).toBe(202);
    const { id } = await res.json() as { id: string };
    const load = await h.api('GET', `/v1/loads/${id}`);
    expect(load.body.counts.total).toBe(400);
  });

  it('abandons an upload that stops sending, storing nothing of it', async () => {
    const before = await storedLoads();
    const outcome = await upload(10, 50, 50, 3).then((res) => `answered ${res.status}`, (err: Error) => `failed: ${err.message}`);
    expect(outcome).toMatch(/^failed/);
    expect(await storedLoads()).toEqual(before);
  });

  it('a load refused for a bad line leaves no idle watch behind to fire later', async () => {
    const q = new URLSearchParams({ connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email' });
    // Line 2 is bad and the rest (far more than a stream buffers) is never read.
    const lines = [JSON.stringify({ email: 'ok@example.com' }), '{"email":', ...Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ email: `rest-${i}@example.com` }))];
    const res = await fetch(`${h.gatewayUrl}/v1/loads?${q}`, {
      method: 'POST', headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/x-ndjson' }, body: `${lines.join('\n')}\n`,
    });
    expect(res.status).toBe(400);
    // Past the idle limit: a watch left armed would now destroy the unread body with an error no one
    // listens to, and the gateway's process (this one) would die of it.
    await sleep(1_500);
    expect((await h.api('GET', '/v1/loads')).status).toBe(200);
  });
});
