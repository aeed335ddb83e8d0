import type { ScenarioSandbox, SuiteEnv } from './suite-env';

export interface StreamEvent {
  offset: number;
  connectionId: string;
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  occurredAt: string;
  data: Record<string, unknown> | null;
}

export interface CaptureView {
  id: string;
  status: string;
  polls: number;
  runs: number;
  eventsCaptured: number;
  cursor: unknown;
  lastError?: { kind?: string; message?: string };
  [more: string]: unknown;
}

/** A capture through the REST API (POST /v1/captures) and the Stream it fills (GET /v1/stream). */
export class Capture {
  private constructor(private readonly env: SuiteEnv, private readonly sb: ScenarioSandbox, readonly object: string, readonly id: string) {}

  static async start(env: SuiteEnv, sb: ScenarioSandbox, object: string, options: Record<string, unknown> = {}): Promise<Capture> {
    const res = await env.api('POST', '/v1/captures', { connectionId: sb.connectionId, object, intervalSeconds: 1, ...(Object.keys(options).length ? { options } : {}) });
    if (res.status !== 201) throw new Error(`POST /v1/captures answered ${res.status}: ${res.text}`);
    const id = res.body.id as string;
    env.workflowIds.push(Capture.workflowId(env, id));
    return new Capture(env, sb, object, id);
  }

  static workflowId(env: SuiteEnv, id: string): string {
    return `capture-${env.tenantId}-${id}`;
  }

  async stream(): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    let after: number | undefined;
    for (;;) {
      const q = new URLSearchParams({ connectionId: this.sb.connectionId, object: this.object, limit: '1000', ...(after !== undefined ? { after: String(after) } : {}) });
      const page = await this.env.api('GET', `/v1/stream?${q}`);
      if (page.status !== 200) throw new Error(`GET /v1/stream answered ${page.status}: ${page.text}`);
      events.push(...(page.body.events as StreamEvent[]));
      if (page.body.next === undefined) return events;
      after = page.body.next as number;
    }
  }

  /**
   * GET /v1/captures/:id with the workflow's live state (polls, runs): the gateway leaves those out
   * when its query of the workflow times out, so this asks again until they are there.
   */
  async view(): Promise<CaptureView> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.env.api('GET', `/v1/captures/${this.id}`);
      if (res.status !== 200) throw new Error(`GET /v1/captures/${this.id} answered ${res.status}: ${res.text}`);
      const view = res.body as CaptureView;
      if (typeof view.polls === 'number' || view.status === 'stopped' || attempt >= 5) return view;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async control(what: 'pause' | 'resume'): Promise<number> {
    return (await this.env.api('POST', `/v1/captures/${this.id}/${what}`)).status;
  }

  async stop(): Promise<number> {
    return (await this.env.api('DELETE', `/v1/captures/${this.id}`)).status;
  }

  handle() {
    return this.env.gateway.temporal.workflow.getHandle(Capture.workflowId(this.env, this.id));
  }
}

/** How often capture scenarios look at the Stream or the capture (each look at the capture queries its workflow). */
export const CAPTURE_POLL_MS = 500;
/** How long a capture scenario waits for a change to reach the Stream (generous: the machine may be busy). */
export const CAPTURE_WAIT_MS = 180_000;

/** Offsets strictly increasing, one event per (record, version). */
export function expectWellFormed(events: StreamEvent[]): void {
  for (let i = 1; i < events.length; i++) expect(events[i].offset).toBeGreaterThan(events[i - 1].offset);
  const versions = events.map((e) => `${e.recordId}/${e.version}`);
  expect(versions.length - new Set(versions).size).toBe(0);
}
