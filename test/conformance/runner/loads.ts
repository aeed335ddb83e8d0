import type { Rec, WriteOperation } from '../fixture';
import type { ScenarioSandbox, SuiteEnv } from './suite-env';

export const FINISHED = ['completed', 'failed', 'rolled_back', 'cancelled'];
/**
 * How often a load's status is read. GET /v1/loads/:id queries the workflow, and a query is a task
 * for the worker: a hundred scenarios polling every 100 ms would keep the worker busy answering.
 */
const POLL_MS = 300;

export interface LoadView {
  id: string;
  status: string;
  counts: { total: number; created: number; updated: number; deleted: number; unchanged: number; failed: number; verified: number };
  error?: { message?: string } | string;
  plan?: Record<string, number>;
  [more: string]: unknown;
}

export interface LoadRecordView {
  index: number;
  key: string;
  status: string;
  errors?: Array<{ field: string; message: string }>;
  plan?: { action: string; diff?: Record<string, { from: unknown; to: unknown }> };
  /** The system's id of the record: after a rolled-back delete, the id it came back with. */
  id?: string;
  rollbackNote?: string;
}

/** Loads through the REST API, as a client would run them. */
export class Loads {
  constructor(private readonly env: SuiteEnv, private readonly sb: ScenarioSandbox, private readonly object: { object: string; naturalKey: string }) {}

  async start(operation: WriteOperation, records: Rec[], options: Record<string, unknown> = {}): Promise<string> {
    const res = await this.env.api('POST', '/v1/loads', {
      connectionId: this.sb.connectionId, object: this.object.object, naturalKey: this.object.naturalKey, operation, records, options,
    });
    if (res.status !== 202) throw new Error(`POST /v1/loads (${operation}) answered ${res.status}: ${res.text}`);
    const id = res.body.id as string;
    this.env.workflowIds.push(`load-${this.env.tenantId}-${id}`);
    return id;
  }

  async get(id: string): Promise<LoadView> {
    const res = await this.env.api('GET', `/v1/loads/${id}`);
    if (res.status !== 200) throw new Error(`GET /v1/loads/${id} answered ${res.status}: ${res.text}`);
    return res.body as LoadView;
  }

  async wait(id: string, statuses: string[] = FINISHED, timeoutMs = 240_000): Promise<LoadView> {
    const deadline = Date.now() + timeoutMs;
    let last: LoadView | undefined;
    while (Date.now() < deadline) {
      last = await this.get(id);
      if (statuses.includes(last.status)) return last;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(`load ${id} did not reach ${statuses.join('|')} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }

  /** Starts a load and waits until it has finished. */
  async run(operation: WriteOperation, records: Rec[], options: Record<string, unknown> = {}): Promise<LoadView> {
    return this.wait(await this.start(operation, records, options));
  }

  async records(id: string, status?: string): Promise<LoadRecordView[]> {
    const out: LoadRecordView[] = [];
    let after: string | undefined;
    for (;;) {
      const q = new URLSearchParams({ limit: '1000', ...(status ? { status } : {}), ...(after ? { after } : {}) });
      const page = await this.env.api('GET', `/v1/loads/${id}/records?${q}`);
      if (page.status !== 200) throw new Error(`records of ${id} answered ${page.status}: ${page.text}`);
      out.push(...(page.body.records as LoadRecordView[]));
      if (!page.body.next) return out;
      after = String(page.body.next);
    }
  }

  async signal(id: string, what: 'rollback' | 'cancel'): Promise<void> {
    const res = await this.env.api('POST', `/v1/loads/${id}/${what}`);
    if (res.status !== 202) throw new Error(`POST /v1/loads/${id}/${what} answered ${res.status}: ${res.text}`);
  }

  /** Rolls a completed load back and waits until the rollback has finished. */
  async rollback(id: string): Promise<LoadView> {
    await this.signal(id, 'rollback');
    return this.wait(id, ['rolled_back', 'failed']);
  }

  /**
   * The activity attempts after the first (none: nothing was retried), each with its activity's name
   * (the failure that led to it is encrypted in the history: the name tells a retried rollback from a
   * retried write) and that failure's message as the history holds it.
   */
  async retries(id: string): Promise<Array<{ activity: string; attempt: number; after: string }>> {
    const events = (await this.env.gateway.temporal.workflow.getHandle(`load-${this.env.tenantId}-${id}`).fetchHistory()).events ?? [];
    const names = new Map(events.map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes?.activityType?.name ?? '']));
    return events.flatMap((e) => {
      const started = e.activityTaskStartedEventAttributes;
      if (!started || (started.attempt ?? 1) <= 1) return [];
      return [{ activity: names.get(String(started.scheduledEventId)) ?? '', attempt: started.attempt ?? 1, after: started.lastFailure?.message ?? '' }];
    });
  }
}

export function errorText(load: LoadView): string {
  return typeof load.error === 'string' ? load.error : load.error?.message ?? '';
}
