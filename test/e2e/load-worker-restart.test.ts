import os from 'node:os';
import path from 'node:path';
import { startProcess, type ManagedProcess } from '../../scripts/services/child';
import { liveRecords, startLoadHarness, workerProcessEnv, type LoadHarness } from '../helpers/load-harness';

// The worker process is killed (SIGKILL) in the middle of a load and a new one started: the load
// finishes with every record written exactly once.
describe('a load survives its worker being killed', () => {
  let h: LoadHarness;
  const workers: ManagedProcess[] = [];
  beforeAll(async () => { h = await startLoadHarness('hubspot', { worker: false }); });
  afterAll(async () => {
    for (const w of workers) await w.stop(500);
    await h?.stop();
  });

  function spawnWorker(n: number): ManagedProcess {
    const env = workerProcessEnv(h.config);
    const root = path.join(__dirname, '..', '..');
    const worker = startProcess(`worker-${n}`, path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'worker.ts')],
      path.join(os.tmpdir(), `forge-worker-restart-${process.pid}-${n}.log`), env);
    workers.push(worker);
    return worker;
  }

  it('finishes with every record created exactly once', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', latencyMs: 400 }] });
    const records = Array.from({ length: 1200 }, (_, i) => ({ email: `crash-${i}@example.com`, firstname: `c${i}` }));
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'create', naturalKey: 'email', records });
    expect(res.status).toBe(202);
    const id = res.body.id;

    const first = spawnWorker(1);
    const deadline = Date.now() + 120_000;
    while ((await h.api('GET', `/v1/loads/${id}`)).body.counts.created === 0) {
      if (Date.now() > deadline) throw new Error('the first worker wrote nothing');
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(-first.child.pid!, 'SIGKILL'); // the whole group: tsx and the node process it runs
    await first.stop();

    spawnWorker(2);
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back'], 180_000);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 1200, created: 1200, failed: 0, verified: 1200 });
    const emails = Object.values(await liveRecords(h, 'contacts')).map((p) => p.email);
    expect(emails).toHaveLength(1200);
    expect(new Set(emails).size).toBe(1200);
    const conflicts = ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.status === 409);
    expect(conflicts).toEqual([]);
  }, 300_000);
});
