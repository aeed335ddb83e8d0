import path from 'node:path';
import { answerConsent, openCallback } from '../helpers/consent-page';
import { startConnectorSandbox, startGateway, type ConnectorSandbox, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';
import { cleanEnv, connectWith, forge, tempDir } from './forge-process';

// `forge connect` end to end: the CLI opens a connect session and prints its authorization URL;
// the sandbox's consent page is answered over HTTP as a browser would; the CLI sees the session end
// and exits with the connection (or the reason), which `forge test` then checks.
jest.setTimeout(120_000);

describe('forge connect', () => {
  let gw: TestGateway;
  let hubspot: ConnectorSandbox;
  let salesforce: ConnectorSandbox;
  let env: NodeJS.ProcessEnv;
  let apiKey: string;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    hubspot = await startConnectorSandbox('hubspot');
    salesforce = await startConnectorSandbox('salesforce');
    const client = (s: ConnectorSandbox) => ({ clientId: s.credentials.clientId!, clientSecret: s.credentials.clientSecret! });
    gw = await startGateway({ oauthClients: { hubspot: client(hubspot), salesforce: client(salesforce) } });
    apiKey = (await gw.createTenant()).apiKey;
    tmp = tempDir();
    env = cleanEnv({ FORGE_URL: gw.url, FORGE_API_KEY: apiKey, FORGE_CONFIG: path.join(tmp.dir, 'absent.json') });
  });
  afterAll(async () => {
    tmp?.cleanup();
    await gw?.close();
    await hubspot?.stop();
    await salesforce?.stop();
  });

  const configArgs = (s: ConnectorSandbox) => Object.entries(s.config).flatMap(([k, v]) => ['--config', `${k}=${String(v)}`]);

  it.each([['hubspot'], ['salesforce']])('connects %s through its consent page; forge test passes on the new connection', async (connector) => {
    const system = connector === 'hubspot' ? hubspot : salesforce;
    const name = uniqueName(connector);
    const run = await connectWith([connector, '--name', name, '--interval', '0.2', ...configArgs(system)], env, async (url) => {
      const location = await answerConsent(url, 'allow');
      expect((await openCallback(location)).status).toBe(200);
    });
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((l) => l.startsWith('forge:')) }).toEqual({ code: 0, stderr: [] });
    const connectionId = /connected: (cn_\S+)/.exec(run.stdout)?.[1];
    expect(connectionId).toBeDefined();
    const tested = await forge(['test', connectionId!], env);
    expect(tested.code).toBe(0);
    const listed = await forge(['connections', '--json'], env);
    expect(listed.json().connections).toEqual(expect.arrayContaining([expect.objectContaining({ id: connectionId, connector, name })]));
    for (const text of [run.stdout, run.stderr, tested.stdout, tested.stderr]) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(system.credentials.clientSecret!);
    }
  });

  it('exits non-zero with the reason when the user denies consent, and no connection is made', async () => {
    const before = (await forge(['connections', '--json'], env)).json().connections.length;
    const run = await connectWith(['hubspot', '--name', uniqueName('denied'), '--interval', '0.2', ...configArgs(hubspot)], env, async (url) => {
      await openCallback(await answerConsent(url, 'deny'));
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/hubspot was not connected: the session is denied/);
    expect((await forge(['connections', '--json'], env)).json().connections).toHaveLength(before);
  });
});
