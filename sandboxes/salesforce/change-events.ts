import { randomUUID } from 'node:crypto';
import type { Handler, HandlerContext, Reply, SandboxRequest, StoredRecord } from '../kit';
import { presentRecord } from './records';
import { SANDBOX_USER_ID, type SObjectSpec } from './schema';

/**
 * Change Data Capture's event bus (Change Data Capture Developer Guide, API 62.0: "Change Event
 * Message Structure", "ChangeEventHeader Fields", "Change Event Storage and Delivery"): every
 * create, update, delete and undelete of a selected entity publishes one change event after its
 * transaction commits, with a replayId that only grows. Events are kept for the retention window
 * (72 hours) and then purged; a subscriber replays after a retained replayId, all retained events
 * (-2) or only new ones (-1).
 *
 * The bus belongs to the org, not to its records: /__sandbox/reset empties the records and leaves
 * the bus (replayIds never restart). Merged change events (one event for the same change to many
 * records) are not modelled: each record's change is its own event.
 */
export const RETENTION_MS = 72 * 3600 * 1000;
/**
 * Changes one transaction publishes as change events; the rest become one GAP_OVERFLOW event per
 * entity, header only, no record ids ("Overflow Events"). A create, delete or undelete counts one,
 * an update one per changed field.
 */
export const OVERFLOW_THRESHOLD = 100_000;

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE' | 'GAP_OVERFLOW' | GapChangeType;
type GapChangeType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE';

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
  nulledFields: string[];
  diffFields: string[];
}

export interface PublishedEvent {
  replayId: number;
  /** The entity's single-entity channel name: AccountChangeEvent, Invoice__ChangeEvent. */
  eventName: string;
  payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
}

/** The single-entity event name of an sObject: Account -> AccountChangeEvent, Invoice__c -> Invoice__ChangeEvent. */
export function changeEventName(entity: string): string {
  return entity.endsWith('__c') ? `${entity.slice(0, -3)}__ChangeEvent` : `${entity}ChangeEvent`;
}

export interface ChangeEventBusOptions {
  /** The entities selected for Change Data Capture (Setup > Change Data Capture). */
  entities: readonly string[];
  /** How long events stay on the bus. Default RETENTION_MS (72 h). */
  retentionMs?: number;
  /** Changes per transaction before the rest overflow. Default OVERFLOW_THRESHOLD (100,000). */
  overflowThreshold?: number;
  /**
   * Entities whose changes publish gap events instead of change events, as Salesforce does for
   * changes applied directly in its database, events over 1 MB and internal errors ("Gap Events").
   */
  gapEntities?: readonly string[];
}

export class ChangeEventBus {
  private readonly events: Array<PublishedEvent & { publishedAtMs: number }> = [];
  private readonly waiters = new Set<() => void>();
  private nextReplayId = 1;
  private commitNumber = 1_000_000;
  readonly selected: ReadonlySet<string>;
  readonly retentionMs: number;
  readonly overflowThreshold: number;
  readonly gapEntities: ReadonlySet<string>;

  constructor(options: ChangeEventBusOptions) {
    this.selected = new Set(options.entities);
    this.gapEntities = new Set(options.gapEntities ?? []);
    this.retentionMs = options.retentionMs ?? RETENTION_MS;
    this.overflowThreshold = options.overflowThreshold ?? OVERFLOW_THRESHOLD;
  }

  isSelected(entity: string): boolean {
    return this.selected.has(entity);
  }

  /**
   * A write route's handler given the request's transaction: its changes are published together
   * once the handler has answered (committed); a handler that throws (a refused request) publishes none.
   */
  committing(api: 'rest' | 'soap', handler: (req: SandboxRequest, ctx: HandlerContext, tx: ChangeTransaction) => Reply): Handler {
    return (req, ctx) => {
      const tx = new ChangeTransaction(this, ctx, changeOrigin(req, api));
      const reply = handler(req, ctx, tx);
      tx.commit();
      return reply;
    };
  }

  publish(ctx: HandlerContext, events: Array<Omit<PublishedEvent, 'replayId'>>): void {
    if (events.length === 0) return;
    const publishedAtMs = ctx.clock.nowMs();
    for (const event of events) this.events.push({ ...event, replayId: this.nextReplayId++, publishedAtMs });
    for (const wake of [...this.waiters]) wake();
  }

  nextCommitNumber(): number {
    this.commitNumber += 1;
    return this.commitNumber;
  }

  /** The events still retained at `nowMs`, oldest first (older ones are purged). */
  retained(nowMs: number): PublishedEvent[] {
    const oldest = nowMs - this.retentionMs;
    while (this.events.length > 0 && this.events[0].publishedAtMs < oldest) this.events.shift();
    return this.events;
  }

  /** The newest replayId published so far (0 before the first event). */
  latestReplayId(): number {
    return this.nextReplayId - 1;
  }

  /** Resolves at the next publish, or after `ms`: what a long poll waits on. */
  waitForPublish(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}

/** changeOrigin: com/salesforce/api/<api>/<version>;client=<Sforce-Call-Options client>. */
function changeOrigin(req: SandboxRequest, api: 'rest' | 'soap'): string {
  const version = (req.params.version ?? '').replace(/^v/, '');
  const options = req.headers['sforce-call-options'];
  const client = /client=([^,;]+)/.exec(Array.isArray(options) ? options.join(',') : options ?? '')?.[1];
  return `com/salesforce/api/${api}/${version}${client ? `;client=${client}` : ''}`;
}

/** Changes made by one request, published in order (sequenceNumber) when the request commits. */
export class ChangeTransaction {
  private readonly pending: Array<Omit<PublishedEvent, 'replayId'>> = [];
  private readonly transactionKey = randomUUID();
  private counted = 0;
  private readonly overflowed = new Set<string>();

  constructor(private readonly bus: ChangeEventBus, private readonly ctx: HandlerContext, private readonly origin: string) {}

  created(spec: SObjectSpec, record: StoredRecord): void {
    this.add(spec, record.id, 'CREATE', bodyFields(spec, record), []);
  }

  /** An update: only the fields whose value changed, with LastModifiedDate (changedFields lists them). */
  updated(spec: SObjectSpec, before: StoredRecord, after: StoredRecord): void {
    const names = spec.fields.filter((f) => !f.system && JSON.stringify(before.fields[f.name] ?? null) !== JSON.stringify(after.fields[f.name] ?? null)).map((f) => f.name);
    if (names.length === 0) return;
    const shown = presentRecord(spec, after);
    const fields: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, shown[n] ?? null]));
    fields.LastModifiedDate = shown.LastModifiedDate;
    this.add(spec, after.id, 'UPDATE', fields, names.filter((n) => (after.fields[n] ?? null) === null), [...names, 'LastModifiedDate'], names.length);
  }

  deleted(spec: SObjectSpec, id: string): void {
    this.add(spec, id, 'DELETE', {}, []);
  }

  undeleted(spec: SObjectSpec, record: StoredRecord): void {
    this.add(spec, record.id, 'UNDELETE', bodyFields(spec, record), []);
  }

  /** Publishes what the request changed, after it committed. */
  commit(): void {
    if (this.pending.length === 0) return;
    const commitNumber = this.bus.nextCommitNumber();
    const commitTimestamp = this.ctx.clock.nowMs();
    this.bus.publish(this.ctx, this.pending.map((event) => ({
      ...event,
      payload: { ...event.payload, ChangeEventHeader: { ...event.payload.ChangeEventHeader, commitNumber, commitTimestamp } },
    })));
    this.pending.length = 0;
  }

  private add(spec: SObjectSpec, id: string, changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE', fields: Record<string, unknown>, nulledFields: string[], changedFields: string[] = [], weight = 1): void {
    if (!this.bus.isSelected(spec.name)) return;
    if (this.bus.gapEntities.has(spec.name)) {
      this.addGap(spec, id, `GAP_${changeType}`);
      return;
    }
    this.counted += weight;
    if (this.counted > this.bus.overflowThreshold) {
      if (this.overflowed.has(spec.name)) return;
      this.overflowed.add(spec.name);
      this.pending.push({ eventName: changeEventName(spec.name), payload: { ChangeEventHeader: this.header(spec, [], 'GAP_OVERFLOW', [], []) } });
      return;
    }
    this.pending.push({ eventName: changeEventName(spec.name), payload: { ChangeEventHeader: this.header(spec, [id], changeType, changedFields, nulledFields), ...fields } });
  }

  /**
   * A gap event: the header only, no fields, sequenceNumber 1. The same kind of change to the same
   * entity in one transaction shares one gap event, its recordIds naming every record ("Gap Events").
   */
  private addGap(spec: SObjectSpec, id: string, changeType: GapChangeType): void {
    const same = this.pending.find((e) => e.payload.ChangeEventHeader.entityName === spec.name && e.payload.ChangeEventHeader.changeType === changeType);
    if (same) {
      same.payload.ChangeEventHeader.recordIds.push(id);
      return;
    }
    this.pending.push({ eventName: changeEventName(spec.name), payload: { ChangeEventHeader: { ...this.header(spec, [id], changeType, [], []), sequenceNumber: 1 } } });
  }

  private header(spec: SObjectSpec, recordIds: string[], changeType: ChangeType, changedFields: string[], nulledFields: string[]): ChangeEventHeader {
    return {
      entityName: spec.name,
      recordIds,
      changeType,
      changeOrigin: this.origin,
      transactionKey: this.transactionKey,
      sequenceNumber: this.pending.length + 1,
      commitTimestamp: 0,
      commitNumber: 0,
      commitUser: SANDBOX_USER_ID,
      changedFields,
      nulledFields,
      diffFields: [],
    };
  }
}

/** CREATE and UNDELETE carry every field that has a value, system audit fields included, but not Id or SystemModstamp. */
function bodyFields(spec: SObjectSpec, record: StoredRecord): Record<string, unknown> {
  const shown = presentRecord(spec, record);
  const { attributes: _attributes, Id: _id, IsDeleted: _deleted, SystemModstamp: _stamp, ...fields } = shown;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
}
