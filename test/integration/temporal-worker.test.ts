import { Client, Connection } from '@temporalio/client';
import { startWorker, type RunningWorker } from '../../src/worker';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/platform/search-attributes';
import { temporalDataConverter } from '../../src/platform/temporal-codec';
import { testConfig, uniqueName } from '../helpers/stack';

describe('the project worker on the real Temporal dev server', () => {
  const config = testConfig();
  let worker: RunningWorker;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    worker = await startWorker(config);
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    client = new Client({ connection, dataConverter: temporalDataConverter(config) });
  });
  afterAll(async () => {
    await worker?.shutdown();
    await connection?.close();
  });

  it('executes a workflow whose activity reaches Postgres', async () => {
    const workflowId = uniqueName('probe');
    const result = await client.workflow.execute('probeWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE, workflowId, args: ['hello'], workflowExecutionTimeout: '60s',
    });
    expect(result).toEqual({ message: 'hello', workflowId, database: expect.stringMatching(/^postgres \d+/) });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
  });

  it('has the Forge search attributes registered as keywords', async () => {
    const res = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const name of SEARCH_ATTRIBUTE_NAMES) {
      expect(res.customAttributes?.[name]).toBeDefined();
    }
  });
});
