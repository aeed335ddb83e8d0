import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PostgresCredentialStore } from '../../src/platform/credentials/postgres';
import { readMasterKeyring } from '../../src/platform/credentials/master-key';
import { rotateMasterKey } from '../../src/platform/credentials/rotate-master-key';
import { VaultCredentialStore } from '../../src/platform/credentials/vault';
import { AesGcmPayloadCodec, codecFor, codecKeyringFrom } from '../../src/platform/temporal-codec';
import { startGateway, seedConnection, type TestGateway } from '../helpers/gateway';
import { startLoopbackServer, sendJson, type LoopbackServer } from '../helpers/loopback-server';
import { testStack, uniqueName } from '../helpers/stack';

// Credentials, connections, master keys and API keys over their whole life, and the limits that
// keep one tenant from taking the service for itself.
describe('lifecycle', () => {
  let gw: TestGateway;
  let vendor: LoopbackServer;
  let tenant: { id: string; apiKey: string };
  beforeAll(async () => {
    gw = await startGateway();
    vendor = await startLoopbackServer((req, res) => sendJson(res, req.headers.authorization === 'Bearer sk_test_replacement_0002' ? 200 : 401, { data: [] }));
    tenant = await gw.createTenant();
  });
  afterAll(async () => {
    await vendor?.stop();
    await gw?.close();
  });

  const stripe = (apiKey: string) => ({ connector: 'stripe', name: uniqueName('stripe'), credentials: { apiKey }, config: { baseUrl: vendor.url } });

  it('replaces credentials, then deletes the connection from both stores', async () => {
    const created = await gw.call('POST', '/v1/connections', { key: tenant.apiKey, body: stripe('sk_test_original_00001') });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await gw.call('POST', `/v1/connections/${id}/test`, { key: tenant.apiKey })).body.ok).toBe(false);

    const bad = await gw.call('PUT', `/v1/connections/${id}/credentials`, { key: tenant.apiKey, body: { credentials: { apiKey: 7, secret: 'sk_test_echo_me_123456' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toContain('credentials.apiKey');
    expect(bad.text).not.toContain('sk_test_echo_me_123456');
    const other = await gw.createTenant();
    expect((await gw.call('PUT', `/v1/connections/${id}/credentials`, { key: other.apiKey, body: { credentials: { apiKey: 'sk_test_hijack_000001' } } })).status).toBe(404);

    const replaced = await gw.call('PUT', `/v1/connections/${id}/credentials`, { key: tenant.apiKey, body: { credentials: { apiKey: 'sk_test_replacement_0002' } } });
    expect(replaced.status).toBe(204);
    expect((await gw.call('POST', `/v1/connections/${id}/test`, { key: tenant.apiKey })).body).toEqual({ ok: true });

    expect((await gw.call('DELETE', `/v1/connections/${id}`, { key: other.apiKey })).status).toBe(404);
    expect((await gw.call('DELETE', `/v1/connections/${id}`, { key: tenant.apiKey })).status).toBe(204);
    expect((await gw.call('GET', `/v1/connections/${id}`, { key: tenant.apiKey })).status).toBe(404);
    expect((await gw.call('GET', '/v1/connections', { key: tenant.apiKey })).body.connections.map((c: { id: string }) => c.id)).not.toContain(id);
    const { rows } = await gw.pool.query('SELECT 1 FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2', [tenant.id, id]);
    expect(rows).toEqual([]);
    const stack = testStack();
    if (stack.vault.address) {
      const vault = new VaultCredentialStore({ address: stack.vault.address, token: stack.vault.token });
      expect(await vault.get(tenant.id, id)).toBeNull();
    }
    expect((await gw.call('DELETE', `/v1/connections/${id}`, { key: tenant.apiKey })).status).toBe(404);
  });

  it('refuses to delete a connection a live capture uses', async () => {
    const id = await seedConnection(gw.pool, tenant.id);
    await gw.pool.query(`INSERT INTO captures (id, tenant_id, connection_id, connector, object, interval_seconds, status)
      VALUES ($1, $2, $3, 'hubspot', 'contacts', 60, 'running')`, [uniqueName('cp_live'), tenant.id, id]);
    expect((await gw.call('DELETE', `/v1/connections/${id}`, { key: tenant.apiKey })).status).toBe(409);
  });

  it('creates, lists and revokes API keys; a revoked key stops working at once; the last key stays', async () => {
    const own = await gw.createTenant();
    const second = await gw.call('POST', '/v1/api-keys', { key: own.apiKey, body: { name: 'ci' } });
    expect(second.status).toBe(201);
    expect((await gw.call('GET', '/v1/connections', { key: second.body.apiKey })).status).toBe(200);
    const listed = await gw.call('GET', '/v1/api-keys', { key: second.body.apiKey });
    expect(listed.body.keys.map((k: { name: string }) => k.name).sort()).toEqual(['ci', 'initial']);
    expect(listed.text).not.toContain(own.apiKey);
    expect(listed.text).not.toContain(second.body.apiKey);
    const initial = listed.body.keys.find((k: { name: string }) => k.name === 'initial');

    expect((await gw.call('DELETE', `/v1/api-keys/${initial.id}`, { key: tenant.apiKey })).status).toBe(404); // another tenant's key
    expect((await gw.call('DELETE', `/v1/api-keys/${initial.id}`, { key: second.body.apiKey })).status).toBe(204);
    expect((await gw.call('GET', '/v1/connections', { key: own.apiKey })).status).toBe(401);
    expect((await gw.call('DELETE', `/v1/api-keys/${second.body.id}`, { key: second.body.apiKey })).status).toBe(409);
  });

  it('rotates the master key: rows re-encrypted under a new version, still readable, old payloads still decode', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-rotate-'));
    const file = path.join(dir, 'master.key');
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
    try {
      const before = readMasterKeyring(file);
      const store = new PostgresCredentialStore({ pool: gw.pool, masterKey: before.keys.get(1)!, reloadKeys: () => readMasterKeyring(file) });
      const t = uniqueName('tn_rot');
      await store.put(t, 'cn_a', { apiKey: 'sk_test_rotation_00001' });
      const oldCodec = new AesGcmPayloadCodec(codecKeyringFrom(before));
      const [encoded] = await oldCodec.encode([{ metadata: {}, data: Buffer.from('history payload') }]);

      // (Limited to this test's tenant: the other rows of the shared test database use the stack's key.)
      const { version, reencrypted } = await rotateMasterKey(file, gw.pool, { tenantId: t });
      expect(version).toBe(2);
      expect(reencrypted).toBe(1);
      const { rows } = await gw.pool.query('SELECT key_version FROM connection_credentials WHERE tenant_id = $1', [t]);
      expect(rows).toEqual([{ key_version: 2 }]);
      // A process still on version 1 re-reads the keyring when it meets a version-2 row.
      expect(await store.get(t, 'cn_a')).toEqual({ apiKey: 'sk_test_rotation_00001' });
      const newCodec = codecFor(file);
      const [fresh] = await newCodec.encode([{ metadata: {}, data: Buffer.from('new payload') }]);
      expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toMatch(/^fw2-/);
      expect(Buffer.from((await newCodec.decode([encoded]))[0].data!).toString()).toBe('history payload');
      expect(Buffer.from((await oldCodec.decode([fresh]).catch(() => [{ data: Buffer.from('unknown key') }]))[0].data!).toString()).toBe('unknown key');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('per-tenant limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ FORGE_TENANT_RATE_PER_SECOND: 5, FORGE_TENANT_RATE_BURST: 10, FORGE_TENANT_MAX_LIVE_CAPTURES: 1, FORGE_TENANT_MAX_ACTIVE_LOADS: 1 });
  });
  afterAll(async () => { await gw?.close(); });

  it('answers 429 with Retry-After past the request rate, for that tenant only', async () => {
    const [noisy, quiet] = [await gw.createTenant(), await gw.createTenant()];
    const answers = await Promise.all(Array.from({ length: 30 }, async () => {
      const res = await fetch(`${gw.url}/v1/connections`, { headers: { authorization: `Bearer ${noisy.apiKey}` } });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: { code: string } } };
    }));
    const statuses = answers.map((a) => a.status);
    // A burst of 10, refilled at 5 a second while the 30 requests are answered.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(16);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(14);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.body.error?.code).toBe('too_many_requests');
    expect((await gw.call('GET', '/v1/connections', { key: quiet.apiKey })).status).toBe(200);
  });

  it('refuses a second live capture and a second load in progress with 429', async () => {
    const t = await gw.createTenant();
    const connectionId = await seedConnection(gw.pool, t.id);
    await gw.pool.query(`INSERT INTO captures (id, tenant_id, connection_id, connector, object, interval_seconds, status)
      VALUES ($1, $2, $3, 'hubspot', 'contacts', 60, 'running')`, [uniqueName('cp_live'), t.id, connectionId]);
    const capture = await gw.call('POST', '/v1/captures', { key: t.apiKey, body: { connectionId, object: 'companies', intervalSeconds: 60 } });
    expect({ status: capture.status, code: capture.body.error?.code }).toEqual({ status: 429, code: 'too_many_captures' });
    await gw.pool.query(`INSERT INTO loads (id, tenant_id, connection_id, connector, object, operation, natural_key, options, status, chunk_size, chunk_count, record_count)
      VALUES ($1, $2, $3, 'hubspot', 'contacts', 'upsert', 'email', '{}', 'running', 100, 1, 1)`, [uniqueName('ld_run'), t.id, connectionId]);
    const load = await gw.call('POST', '/v1/loads', { key: t.apiKey, body: { connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records: [{ email: 'a@b.c' }] } });
    expect({ status: load.status, code: load.body.error?.code }).toEqual({ status: 429, code: 'too_many_loads' });
  });
});
