import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { startProcess, type ManagedProcess } from '../../scripts/services/child';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// The connection's secrets are canaries: after failures of every kind (validation, auth,
// throttling, a bad credential check, a bad request body) they appear in no API response, no
// Temporal history, no database column outside the encrypted store and no worker log line.
jest.setTimeout(300_000);

describe('secrets never leak', () => {
  let h: LoadHarness;
  let worker: ManagedProcess;
  const logFile = path.join(os.tmpdir(), `forge-canary-worker-${process.pid}.log`);
  const responses: string[] = [];
  const loadIds: string[] = [];
  let canaries: string[];

  beforeAll(async () => {
    h = await startLoadHarness('hubspot', { worker: false });
    const root = path.join(__dirname, '..', '..');
    worker = startProcess('canary-worker', path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'worker.ts')], logFile, {
      ...process.env,
      DATABASE_URL: h.config.DATABASE_URL, TEMPORAL_ADDRESS: h.config.TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE: h.config.TEMPORAL_TASK_QUEUE,
      FORGE_MASTER_KEY_FILE: h.config.FORGE_MASTER_KEY_FILE!, LOG_LEVEL: 'debug',
      ...(h.config.VAULT_ADDR ? { VAULT_ADDR: h.config.VAULT_ADDR, VAULT_TOKEN: h.config.VAULT_TOKEN! } : {}),
    });
    const { credentials } = (await h.admin('GET', 'credentials')).body;
    canaries = [credentials.clientSecret, credentials.refreshToken, 'canary-wrong-secret-7f3a9c1e5b'];
  });
  afterAll(async () => {
    await worker?.stop();
    await h?.stop();
    fs.rmSync(logFile, { force: true });
  });

  async function keep(method: string, url: string, body?: unknown) {
    const res = await h.api(method, url, body);
    responses.push(JSON.stringify(res.body ?? ''));
    return res;
  }
  async function load(records: unknown[], options: Record<string, unknown> = {}) {
    const res = await keep('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records, options });
    expect(res.status).toBe(202);
    loadIds.push(res.body.id);
    const done = await h.waitForLoad(res.body.id, ['completed', 'failed', 'rolled_back']);
    responses.push(JSON.stringify(done));
    await keep('GET', `/v1/loads/${res.body.id}/records?limit=1000`);
    return done;
  }

  it('after validation, auth, throttling and credential failures', async () => {
    const contacts = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ email: `${tag}${i}@example.com`, firstname: tag }));

    const invalid = contacts(5, 'v').map((r, i) => (i === 2 ? { ...r, lifecyclestage: 'bad' } : r));
    await load(invalid, { onError: 'continue' });

    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', status: 429, retryAfter: 1, times: 2 }] });
    await load(contacts(5, 't'));

    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/oauth/v1/token', status: 401 }, { kind: 'expire-token' }] });
    const revoked = await load(contacts(5, 'a'));
    expect(['rolled_back', 'failed']).toContain(revoked.status);
    await h.admin('DELETE', 'faults');

    const { credentials, config } = (await h.admin('GET', 'credentials')).body;
    const wrong = await keep('POST', '/v1/connections', { connector: 'hubspot', name: 'wrong-secret', credentials: { ...credentials, clientSecret: canaries[2] }, config });
    expect(wrong.status).toBe(201);
    const tested = await keep('POST', `/v1/connections/${wrong.body.id}/test`);
    expect(tested.body.ok).toBe(false);
    await keep('POST', '/v1/connections', { connector: 'hubspot', name: 'bad-body', credentials: { clientSecret: canaries[2], refreshToken: 7 }, config });
    await keep('GET', '/v1/connections');
    await keep('GET', `/v1/connections/${h.connectionId}`);

    const histories: string[] = [];
    for (const id of loadIds) {
      const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
      histories.push(JSON.stringify(history));
    }

    const db = new PgClient({ connectionString: h.config.DATABASE_URL });
    await db.connect();
    const tables = (await db.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'connection_credentials'")).rows.map((r) => r.t);
    const dumps: string[] = [];
    for (const t of tables) dumps.push(JSON.stringify((await db.query(`SELECT * FROM "${t}"`)).rows));
    await db.end();

    await worker.stop();
    const logs = fs.readFileSync(logFile, 'utf8');
    expect(logs.length).toBeGreaterThan(0);
    expect(dumps.join('')).toContain('lifecyclestage'); // the dumps hold the failures they should

    for (const canary of canaries) {
      for (const [where, text] of [['API responses', responses.join('\n')], ['Temporal histories', histories.join('\n')],
        ['database', dumps.join('\n')], ['worker log', logs]] as const) {
        expect({ where, leaked: text.includes(canary) }).toEqual({ where, leaked: false });
      }
    }
  });
});
