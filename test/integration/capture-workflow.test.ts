import crypto from 'node:crypto';
import { Pool } from 'pg';
import type { ChangeEvent } from '../../src/connectors/contract';
import { migrate } from '../../src/platform/db/migrate';
import { inTransaction } from '../../src/platform/db/pool';
import { CapturesRepository } from '../../src/platform/db/repositories/captures';
import { StreamRepository } from '../../src/platform/db/repositories/stream';
import { testStack, uniqueName } from '../helpers/stack';

// The poll's transaction on real Postgres: what makes a capture exactly-once into the Stream.
describe('the Stream and capture cursor on real Postgres', () => {
  const pool = new Pool({ connectionString: testStack().databaseUrl, max: 4 });
  const captures = new CapturesRepository(pool);
  const stream = new StreamRepository(pool);
  let tenantId: string;
  let connectionId: string;

  beforeAll(async () => {
    await migrate(testStack().databaseUrl);
    tenantId = uniqueName('tn');
    connectionId = uniqueName('cn');
    await pool.query("INSERT INTO tenants (id, name, api_key_hash) VALUES ($1, $1, $2)", [tenantId, crypto.randomBytes(32).toString('hex')]);
    await pool.query("INSERT INTO connections (id, tenant_id, connector, name) VALUES ($1, $2, 'hubspot', $1)", [connectionId, tenantId]);
  });
  afterAll(() => pool.end());

  const change = (recordId: string, version: string, op: ChangeEvent['op'] = 'upsert'): ChangeEvent => ({
    object: 'contacts', recordId, op, version, occurredAt: '2024-11-25T10:00:00.000Z', data: op === 'delete' ? null : { id: recordId },
  });

  async function newCapture(): Promise<string> {
    const id = uniqueName('cp');
    await captures.insert({ id, tenantId, connectionId, connector: 'hubspot', object: uniqueName('obj'), intervalSeconds: 1, pollsPerRun: 5 });
    return id;
  }

  it('appends a page in its order, and a retried page appends nothing', async () => {
    const captureId = await newCapture();
    const page = ['30', '10', '20'].map((id) => change(id, `v-${captureId}`));
    const origin = { tenantId, connectionId, captureId };
    expect(await inTransaction(pool, (db) => stream.append(db, origin, page))).toBe(3);
    expect(await inTransaction(pool, (db) => stream.append(db, origin, [...page, change('40', `v-${captureId}`)]))).toBe(1);
    const events = (await stream.list({ tenantId, connectionId, after: 0, limit: 1000 })).filter((e) => e.version === `v-${captureId}`);
    expect(events.map((e) => e.recordId)).toEqual(['30', '10', '20', '40']);
    expect(events.every((e, i) => i === 0 || e.offset > events[i - 1].offset)).toBe(true);
    // Duplicates inside one page (the same version twice) are kept once too.
    expect(await inTransaction(pool, (db) => stream.append(db, origin, [change('50', 'dup'), change('50', 'dup')]))).toBe(1);
  });

  it('moves the cursor with a version that tells a stale attempt apart', async () => {
    const captureId = await newCapture();
    const before = (await captures.find(captureId))!;
    expect(before).toMatchObject({ status: 'running', cursor: null, cursorVersion: 0, eventsCaptured: 0 });
    await inTransaction(pool, async (db) => {
      expect(await captures.lockForPoll(db, captureId)).toEqual({ status: 'running', cursorVersion: 0 });
      expect(await captures.advanceCursor(db, captureId, { at: 5 }, 3)).toBe(1);
    });
    // The version answered is the one Postgres wrote, whoever moved it before.
    await pool.query('UPDATE captures SET cursor_version = 41 WHERE id = $1', [captureId]);
    expect(await inTransaction(pool, (db) => captures.advanceCursor(db, captureId, { at: 5 }, 0))).toBe(42);
    await pool.query('UPDATE captures SET cursor_version = 1 WHERE id = $1', [captureId]);
    const after = (await captures.find(captureId))!;
    expect(after).toMatchObject({ cursor: { at: 5 }, cursorVersion: 1, eventsCaptured: 3, lastError: null });
    expect(after.lastPollAt).toBeInstanceOf(Date);
  });

  it('never brings a stopped capture back', async () => {
    const captureId = await newCapture();
    expect(await captures.setStatus(captureId, 'paused', { message: 'hubspot answered HTTP 401', kind: 'permanent', at: new Date().toISOString() })).toBe(true);
    expect(await captures.setStatus(captureId, 'stopped')).toBe(true);
    expect(await captures.setStatus(captureId, 'running', null)).toBe(false);
    const row = (await captures.find(captureId))!;
    expect(row.status).toBe('stopped');
    expect(row.lastError?.message).toMatch(/401/);
    expect(row.stoppedAt).toBeInstanceOf(Date);
  });
});
