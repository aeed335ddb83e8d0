import { startSandbox, type RunningSandbox } from '../../../sandboxes/kit';
import { findSandbox } from '../../../sandboxes/registry';
import { startGateway, type ApiAnswer, type TestGateway } from '../../helpers/gateway';
import { uniqueName } from '../../helpers/stack';
import type { ConformanceFixture, ObjectFixture, SandboxAdmin, SandboxState } from '../fixture';
import { WorkerProcess } from './worker-process';

/** A sandbox of its own for one scenario, connected through the gateway (POST /v1/connections). */
export interface ScenarioSandbox extends SandboxAdmin {
  connectionId: string;
  credentials: Record<string, unknown>;
  state(): Promise<SandboxState>;
  live(object: ObjectFixture): Promise<Map<string, Record<string, unknown>>>;
  seed(object: ObjectFixture, records: Array<Record<string, unknown>>): Promise<void>;
  faults(faults: Array<Record<string, unknown>>): Promise<void>;
  requests(): Promise<Array<{ method: string; path: string; status: number; at: string; receivedAt: string }>>;
}

/** The sandbox's log of requests to one method and path. */
export async function requestsTo(sb: ScenarioSandbox, method: string, path: string | RegExp) {
  return (await sb.requests()).filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
}

/**
 * What the suite shares: the gateway (in process), the worker (its own process), one tenant; and
 * what the canary scenarios read afterwards: every API answer, every workflow started, every
 * sandbox's credentials. Each scenario gets a sandbox of its own, so scenarios run side by side.
 */
export class SuiteEnv {
  readonly responses: string[] = [];
  readonly workflowIds: string[] = [];
  readonly sandboxes: Array<{ connector: string; sandbox: RunningSandbox; credentials: Record<string, unknown> }> = [];
  /**
   * POST /v1/connections one at a time: at 10 or more at once the gateway deadlocks its pg pool (the
   * connection's transaction holds a client while the credential store waits for another; see the
   * report of issue 11). Everything else runs side by side.
   */
  private connecting: Promise<unknown> = Promise.resolve();
  private restart: { waiting: number; expected: number; done: Promise<void>; go: () => void } | null = null;

  private constructor(readonly gateway: TestGateway, readonly worker: WorkerProcess, readonly tenantId: string, readonly apiKey: string) {}

  static async start(): Promise<SuiteEnv> {
    const gateway = await startGateway();
    const worker = new WorkerProcess(gateway.config, 'conformance');
    worker.start();
    const tenant = await gateway.createTenant();
    return new SuiteEnv(gateway, worker, tenant.id, tenant.apiKey);
  }

  /**
   * One worker restart shared by `participants` scenarios: each calls restartWorker() (or
   * skipRestart() when it fails before getting there); the worker restarts once all have arrived.
   */
  expectRestart(participants: number): void {
    let go!: () => void;
    const done = new Promise<void>((resolve) => { go = resolve; });
    this.restart = { waiting: 0, expected: participants, done, go };
  }

  async restartWorker(): Promise<void> {
    const r = this.arrive();
    if (r.waiting === r.expected) {
      await this.worker.restart();
      r.go();
    }
    await r.done;
  }

  skipRestart(): void {
    const r = this.arrive();
    if (r.waiting === r.expected) void this.worker.restart().then(r.go);
  }

  /** How many scenarios wait for the shared restart, out of how many. */
  restartArrivals(): { arrived: number; expected: number } {
    return { arrived: this.restart?.waiting ?? 0, expected: this.restart?.expected ?? 0 };
  }

  private arrive() {
    if (!this.restart) throw new Error('expectRestart() was not called');
    this.restart.waiting++;
    return this.restart;
  }

  /**
   * A gateway call as the tenant; every answer is kept for the canary scenario. A read answered
   * 503 busy (no database connection free on a starved machine) is asked again after its
   * Retry-After, as any client of the API should.
   */
  async api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.gateway.call(method, path, { key: this.apiKey, body });
      this.responses.push(answer.text);
      const busy = answer.status === 503 && (answer.body as { error?: { code?: string } } | undefined)?.error?.code === 'busy';
      if (!busy || method !== 'GET' || attempt === 5) return answer;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async sandbox(fixture: ConformanceFixture): Promise<ScenarioSandbox> {
    const definition = findSandbox(fixture.connector);
    if (!definition) throw new Error(`no ${fixture.connector} sandbox in sandboxes/registry.ts`);
    const built = definition();
    const sandbox = await startSandbox(built, { recordExchanges: built.spec !== undefined, databaseUrl: this.gateway.config.DATABASE_URL });
    const call: SandboxAdmin['call'] = async (method, path, body) => {
      const send = () => fetch(`${sandbox.url}/__sandbox/${path.replace(/^\//, '')}`, {
        method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      // A kept-alive socket reset before the request was written (a starved event loop): once more, on a new one.
      const res = await send().catch((err: unknown) => {
        if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
        return send();
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const admin: SandboxAdmin = { url: sandbox.url, call };
    const { credentials, config } = (await call('GET', 'credentials')).body as { credentials: Record<string, unknown>; config: Record<string, unknown> };
    this.sandboxes.push({ connector: fixture.connector, sandbox, credentials });
    await fixture.prepare?.(admin);
    // The sandboxes here enforce no rate limit, so the connection declares none: the scenarios time
    // the contract, not the documented limits (the request budget has its own test, rate-budget.test.ts).
    const creating = this.connecting.then(() => this.createConnection({
      connector: fixture.connector, name: uniqueName(fixture.connector), credentials, config: { ...config, ...fixture.config }, rateLimits: [],
    }));
    this.connecting = creating.catch(() => undefined);
    const created = await creating;
    if (created.status !== 201) throw new Error(`POST /v1/connections answered ${created.status}: ${created.text}`);
    const expectOk = (what: string, res: { status: number; body: any }) => {
      if (res.status >= 300) throw new Error(`sandbox ${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    return {
      ...admin,
      connectionId: created.body.id as string,
      credentials,
      state: async () => expectOk('state', await call('GET', 'state')) as SandboxState,
      live: async (object) => object.live(expectOk('state', await call('GET', 'state')) as SandboxState),
      seed: async (object, records) => { expectOk('seed', await call('POST', 'seed', { objects: object.seed(records) })); },
      faults: async (faults) => { expectOk('faults', await call('POST', 'faults', { faults })); },
      requests: async () => (expectOk('requests', await call('GET', 'requests')) as { requests: any[] }).requests,
    };
  }

  /** POST /v1/connections, again after a 503 (the gateway's advice when a credential store is slow to answer). */
  private async createConnection(body: Record<string, unknown>): Promise<ApiAnswer> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.api('POST', '/v1/connections', body);
      if (answer.status !== 503 || attempt >= 6) return answer;
      await new Promise((r) => setTimeout(r, 1_000 * attempt));
    }
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.gateway.close();
    await Promise.all(this.sandboxes.map((s) => s.sandbox.stop()));
    if (!process.env.CONFORMANCE_KEEP_LOGS) this.worker.removeLogs();
  }
}
