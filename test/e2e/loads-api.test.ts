import { findConnector } from '../../src/connectors/registry';
import { workflowIds } from '../../src/platform/temporal';
import { freePort } from '../../scripts/services/free-port';
import { seedConnection, seedLoad, startConnectorSandbox, startGateway, type ConnectorSandbox, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';

type Tenant = { id: string; apiKey: string };

describe('/v1/loads', () => {
  let gw: TestGateway;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let connectionA: string;
  const startedWorkflows: string[] = [];

  beforeAll(async () => {
    gw = await startGateway();
    tenantA = await gw.createTenant();
    tenantB = await gw.createTenant();
    connectionA = await seedConnection(gw.pool, tenantA.id);
  });
  afterAll(async () => {
    for (const id of startedWorkflows) await gw.temporal.workflow.getHandle(id).terminate('test over').catch(() => {});
    await gw.close();
  });

  /** A load workflow execution with no worker behind it: enough to prove which signals the gateway sends. */
  async function startIdleWorkflow(tenantId: string, loadId: string): Promise<string> {
    const workflowId = workflowIds.load(tenantId, loadId);
    await gw.temporal.workflow.start('loadWorkflow', { workflowId, taskQueue: uniqueName('no-worker'), args: [{ loadId, tenantId }] });
    startedWorkflows.push(workflowId);
    return workflowId;
  }

  async function signalsReceived(workflowId: string): Promise<string[]> {
    const history = await gw.temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName
      ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
  }

  function fieldsOf(res: { body: any }): string[] {
    return (res.body.error.fields as Array<{ field: string }>).map((f) => f.field).sort();
  }

  describe('validation', () => {
    it('names every bad field of the body at once', async () => {
      const res = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey,
        body: { object: 'contacts', operation: 'merge', records: [], options: { onError: 'ignore', rollbackWindowSeconds: 31 * 24 * 3600 } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(fieldsOf(res)).toEqual(['connectionId', 'operation', 'options.onError', 'options.rollbackWindowSeconds', 'records']);
    });

    it('refuses records that are not objects, naming each one', async () => {
      const res = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey,
        body: { connectionId: connectionA, object: 'contacts', operation: 'upsert', records: [{ email: 'a@example.com' }, 'text', [1], null] },
      });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(['records.1', 'records.2', 'records.3']);
    });

    it('refuses more than 100,000 records', async () => {
      const records = Array.from({ length: 100_001 }, (_, i) => ({ email: `p${i}@example.com` }));
      const res = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey,
        body: { connectionId: connectionA, object: 'contacts', operation: 'upsert', records },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([{ field: 'records', message: 'at most 100000 records per load' }]);
    });

    it("refuses another tenant's connection and one whose connector is not installed, naming connectionId", async () => {
      const orphan = await seedConnection(gw.pool, tenantA.id, 'no-such-system');
      for (const [key, connectionId] of [[tenantB.apiKey, connectionA], [tenantA.apiKey, 'cn_unknown'], [tenantA.apiKey, orphan]]) {
        const res = await gw.call('POST', '/v1/loads', {
          key, body: { connectionId, object: 'contacts', operation: 'upsert', records: [{ email: 'a@example.com' }] },
        });
        expect(res.status).toBe(400);
        expect(fieldsOf(res)).toEqual(['connectionId']);
      }
      const { rows } = await gw.pool.query('SELECT 1 FROM loads WHERE connection_id = $1', [connectionA]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('GET /v1/loads/:id', () => {
    it('reports status, counts from the records and the rollback window', async () => {
      const rollbackUntil = new Date(Date.now() + 3600_000);
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, {
        status: 'completed', rollbackUntil,
        records: [
          { status: 'created', verified: true }, { status: 'created', verified: true }, { status: 'updated', verified: true },
          { status: 'unchanged' }, { status: 'failed', errors: [{ field: 'email', message: 'invalid' }] }, { status: 'rolled_back' },
        ],
      });
      const res = await gw.call('GET', `/v1/loads/${id}`, { key: tenantA.apiKey });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id, status: 'completed', connector: 'hubspot', object: 'contacts', operation: 'upsert', naturalKey: 'email', dryRun: false,
        counts: { total: 6, created: 2, updated: 1, deleted: 0, unchanged: 1, failed: 1, verified: 3, rolledBack: 1, rollbackFailed: 0 },
        rollbackUntil: rollbackUntil.toISOString(), createdAt: expect.any(String), startedAt: null, finishedAt: null,
      });
      expect(res.body.plan).toBeUndefined();
    });

    it('reports the plan of a dry run', async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, {
        status: 'completed', options: { dryRun: true },
        records: [{ status: 'pending', planAction: 'create' }, { status: 'pending', planAction: 'update' }, { status: 'pending', planAction: 'unchanged' },
          { status: 'pending', planAction: 'update' }],
      });
      const res = await gw.call('GET', `/v1/loads/${id}`, { key: tenantA.apiKey });
      expect(res.body).toMatchObject({ dryRun: true, plan: { create: 1, update: 2, delete: 0, unchanged: 1 } });
    });
  });

  describe('GET /v1/loads/:id/records', () => {
    let loadId: string;
    beforeAll(async () => {
      loadId = await seedLoad(gw.pool, tenantA.id, connectionA, {
        status: 'completed',
        records: [{ status: 'created' }, { status: 'failed', errors: [{ field: 'email', message: 'Email address x is invalid' }] },
          { status: 'created' }, { status: 'failed', errors: [{ field: 'phone', message: 'bad phone' }] }, { status: 'updated' }],
      });
    });

    it('pages through the records in index order', async () => {
      const first = await gw.call('GET', `/v1/loads/${loadId}/records?limit=2`, { key: tenantA.apiKey });
      expect(first.status).toBe(200);
      expect(first.body.records.map((r: { index: number }) => r.index)).toEqual([0, 1]);
      expect(first.body.records[1]).toEqual({ index: 1, key: 'key-1', status: 'failed', errors: [{ field: 'email', message: 'Email address x is invalid' }] });
      const second = await gw.call('GET', `/v1/loads/${loadId}/records?limit=2&after=${first.body.next}`, { key: tenantA.apiKey });
      expect(second.body.records.map((r: { index: number }) => r.index)).toEqual([2, 3]);
      const last = await gw.call('GET', `/v1/loads/${loadId}/records?limit=2&after=${second.body.next}`, { key: tenantA.apiKey });
      expect(last.body).toEqual({ records: [{ index: 4, key: 'key-4', status: 'updated' }] });
    });

    it('filters by status', async () => {
      const res = await gw.call('GET', `/v1/loads/${loadId}/records?status=failed`, { key: tenantA.apiKey });
      expect(res.body.records.map((r: { index: number; errors: unknown[] }) => [r.index, r.errors.length])).toEqual([[1, 1], [3, 1]]);
      expect(res.body.next).toBeUndefined();
    });

    it('names an invalid status or limit', async () => {
      const res = await gw.call('GET', `/v1/loads/${loadId}/records?status=exploded&limit=5000`, { key: tenantA.apiKey });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(['limit', 'status']);
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another tenant's load on every route, and leaves it untouched", async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'running' });
      const workflowId = await startIdleWorkflow(tenantA.id, id);
      for (const [method, path] of [['GET', `/v1/loads/${id}`], ['GET', `/v1/loads/${id}/records`], ['POST', `/v1/loads/${id}/cancel`],
        ['POST', `/v1/loads/${id}/rollback`]]) {
        const res = await gw.call(method, path, { key: tenantB.apiKey });
        expect({ method, path, status: res.status, body: res.body })
          .toEqual({ method, path, status: 404, body: { error: { code: 'not_found', message: `no load with id ${id}` } } });
      }
      expect(await signalsReceived(workflowId)).toEqual([]);
      expect((await gw.call('GET', `/v1/loads/${id}`, { key: tenantA.apiKey })).status).toBe(200);
    });
  });

  describe('POST /v1/loads/:id/cancel', () => {
    it('signals cancel to a running load', async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'running' });
      const workflowId = await startIdleWorkflow(tenantA.id, id);
      const res = await gw.call('POST', `/v1/loads/${id}/cancel`, { key: tenantA.apiKey });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id, status: 'running', signal: 'cancel' });
      expect(await signalsReceived(workflowId)).toEqual(['cancel']);
    });

    it('refuses a load that is no longer pending or running, saying why', async () => {
      for (const status of ['completed', 'failed', 'cancelled', 'rolled_back'] as const) {
        const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status });
        const res = await gw.call('POST', `/v1/loads/${id}/cancel`, { key: tenantA.apiKey });
        expect(res.status).toBe(409);
        expect(res.body.error).toEqual({ code: 'conflict', message: `load ${id} is ${status}: only a pending or running load can be cancelled` });
      }
    });

    it('answers 409 when no workflow runs the load', async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'pending' });
      const res = await gw.call('POST', `/v1/loads/${id}/cancel`, { key: tenantA.apiKey });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('no running workflow');
    });
  });

  describe('POST /v1/loads/:id/rollback', () => {
    const inAnHour = () => new Date(Date.now() + 3600_000);

    it('signals rollback to a completed load inside its window', async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'completed', rollbackUntil: inAnHour() });
      const workflowId = await startIdleWorkflow(tenantA.id, id);
      const res = await gw.call('POST', `/v1/loads/${id}/rollback`, { key: tenantA.apiKey });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id, status: 'completed', signal: 'rollback' });
      expect(await signalsReceived(workflowId)).toEqual(['rollback']);
    });

    it('accepts a failed load that continued past its errors', async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'failed', options: { onError: 'continue' }, rollbackUntil: inAnHour() });
      const workflowId = await startIdleWorkflow(tenantA.id, id);
      expect((await gw.call('POST', `/v1/loads/${id}/rollback`, { key: tenantA.apiKey })).status).toBe(202);
      expect(await signalsReceived(workflowId)).toEqual(['rollback']);
    });

    it('refuses a load that has not completed', async () => {
      for (const seed of [{ status: 'running' as const }, { status: 'failed' as const, options: { onError: 'rollback' as const } }]) {
        const id = await seedLoad(gw.pool, tenantA.id, connectionA, { ...seed, rollbackUntil: inAnHour() });
        const res = await gw.call('POST', `/v1/loads/${id}/rollback`, { key: tenantA.apiKey });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toBe(`load ${id} is ${seed.status}, not completed: only a completed load (or a failed one with onError "continue") can be rolled back`);
      }
    });

    it('refuses once the rollback window has closed', async () => {
      const closedAt = new Date(Date.now() - 1000);
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'completed', rollbackUntil: closedAt });
      const res = await gw.call('POST', `/v1/loads/${id}/rollback`, { key: tenantA.apiKey });
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({ code: 'conflict', message: `the rollback window of load ${id} closed at ${closedAt.toISOString()}` });

      const noWindow = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'completed', options: { rollbackWindowSeconds: 0 }, rollbackUntil: null });
      const answer = await gw.call('POST', `/v1/loads/${noWindow}/rollback`, { key: tenantA.apiKey });
      expect(answer.status).toBe(409);
      expect(answer.body.error.message).toBe(`the rollback window of load ${noWindow} closed`);
    });

    it('refuses a dry run', async () => {
      const id = await seedLoad(gw.pool, tenantA.id, connectionA, { status: 'completed', options: { dryRun: true }, rollbackUntil: inAnHour() });
      const res = await gw.call('POST', `/v1/loads/${id}/rollback`, { key: tenantA.apiKey });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('dry run');
    });
  });

  describe('with the HubSpot connector and its sandbox', () => {
    let hubspot: ConnectorSandbox;
    let connectionId: string;
    beforeAll(async () => {
      hubspot = await startConnectorSandbox('hubspot');
      connectionId = await hubspot.createConnection(gw, tenantA.apiKey);
    });
    afterAll(async () => {
      await hubspot?.stop();
    });

    it('stores 20,000 records in chunks and starts the load workflow with its search attributes', async () => {
      const records = Array.from({ length: 20_000 }, (_, i) => ({ email: `person${i}@example.com`, firstname: `P${i}` }));
      // How fast it is stored is the benchmark's business (npm run bench), never a timed test.
      const res = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey,
        body: { connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records, options: { verify: true } },
      });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id: expect.stringMatching(/^ld_/) });
      const loadId = res.body.id as string;
      const workflowId = workflowIds.load(tenantA.id, loadId);
      startedWorkflows.push(workflowId);

      const { rows: [load] } = await gw.pool.query(
        'SELECT chunk_size, chunk_count, record_count, natural_key, options, status FROM loads WHERE id = $1', [loadId]);
      expect(load).toEqual({
        chunk_size: 100, chunk_count: 200, record_count: 20_000, natural_key: 'email', status: 'pending',
        options: { dryRun: false, verify: true, onError: 'rollback', rollbackWindowSeconds: 86400 },
      });
      const { rows: sample } = await gw.pool.query(
        'SELECT idx, chunk, record_key, data FROM load_records WHERE load_id = $1 AND idx IN (0, 150, 19999) ORDER BY idx', [loadId]);
      expect(sample).toEqual([
        { idx: 0, chunk: 0, record_key: 'person0@example.com', data: records[0] },
        { idx: 150, chunk: 1, record_key: 'person150@example.com', data: records[150] },
        { idx: 19999, chunk: 199, record_key: 'person19999@example.com', data: records[19999] },
      ]);

      const description = await gw.temporal.workflow.getHandle(workflowId).describe();
      expect(description.type).toBe('loadWorkflow');
      expect(description.taskQueue).toBe(gw.config.TEMPORAL_TASK_QUEUE);
      expect(description.searchAttributes).toMatchObject({
        ForgeTenant: [tenantA.id], ForgeConnector: ['hubspot'], ForgeObject: ['contacts'], ForgeLoadStatus: ['pending'],
      });

      const view = await gw.call('GET', `/v1/loads/${loadId}`, { key: tenantA.apiKey });
      expect(view.body).toMatchObject({ id: loadId, status: 'pending', connector: 'hubspot', object: 'contacts', operation: 'upsert',
        naturalKey: 'email', dryRun: false, counts: { total: 20_000, created: 0, failed: 0, verified: 0 } });
      expect((await gw.call('GET', `/v1/loads/${loadId}`, { key: tenantB.apiKey })).status).toBe(404);
    });

    it('names every record missing its natural key, and a bad object, operation or naturalKey', async () => {
      const missingKey = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey,
        body: { connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email',
          records: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }, { firstname: 'NoEmail' }, { email: '  ' }] },
      });
      expect(missingKey.status).toBe(400);
      expect(fieldsOf(missingKey)).toEqual(['records.3.email', 'records.4.email']);

      const firstKey = findConnector('hubspot')!.objects.find((o) => o.name === 'contacts')!.naturalKeys[0];
      const defaultKey = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey, body: { connectionId, object: 'contacts', operation: 'update', records: [{ email: 'a@example.com' }] },
      });
      expect(fieldsOf(defaultKey)).toEqual([`records.0.${firstKey}`]);

      const unknownObject = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey, body: { connectionId, object: 'spaceships', operation: 'upsert', records: [{ email: 'a@example.com' }] },
      });
      expect(fieldsOf(unknownObject)).toEqual(['object']);

      const badKey = await gw.call('POST', '/v1/loads', {
        key: tenantA.apiKey, body: { connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'firstname', records: [{ firstname: 'A' }] },
      });
      expect(fieldsOf(badKey)).toEqual(['naturalKey']);
    });

    it('marks the load failed when its workflow cannot be started', async () => {
      const deadTemporal = await startGateway({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
      try {
        const tenant = await deadTemporal.createTenant();
        const id = await hubspot.createConnection(deadTemporal, tenant.apiKey);
        const res = await deadTemporal.call('POST', '/v1/loads', {
          key: tenant.apiKey, body: { connectionId: id, object: 'contacts', operation: 'upsert', naturalKey: 'email', records: [{ email: 'a@example.com' }] },
        });
        expect(res.status).toBe(503);
        expect(res.body.error.code).toBe('workflow_not_started');
        const loadId = /load (ld_\w+)/.exec(res.body.error.message)?.[1];
        const view = await deadTemporal.call('GET', `/v1/loads/${loadId}`, { key: tenant.apiKey });
        expect(view.body).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('could not be started') }, finishedAt: expect.any(String) });
      } finally {
        await deadTemporal.close();
      }
    });
  });
});
