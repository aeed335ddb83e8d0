import fc from 'fast-check';
import { RecordStore, type StoredRecord } from '../../sandboxes/kit/record-store';
import { RecordView } from '../../sandboxes/kit/record-view';
import { SandboxClock } from '../../sandboxes/kit/clock';
import { compareNumericStrings } from '../../sandboxes/kit/pagination';
import type { TimeBound, TimeField } from '../../sandboxes/kit/time-index';
import { hubspotObjects, ObjectCatalog } from '../../sandboxes/hubspot/objects';
import { scanSearch, type SearchFilter, type SearchSort } from '../../sandboxes/hubspot/search';
import { planIndexedSearch } from '../../sandboxes/hubspot/search-plan';

// The field index must answer exactly what a scan in insertion order answers, whatever the
// sequence of inserts, updates, archives, restores and removals before the lookup.
type Step =
  | { op: 'insert'; email: string }
  | { op: 'update'; pick: number; email: string | null }
  | { op: 'archive' | 'unarchive' | 'remove'; pick: number }
  | { op: 'lookup'; email: string; archived: boolean };

const emails = fc.constantFrom('a@x.com', 'A@x.com', 'b@x.com', 'c@x.com');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), email: emails }),
  fc.record({ op: fc.constant('update' as const), pick: fc.nat(), email: fc.option(emails) }),
  fc.record({ op: fc.constantFrom('archive' as const, 'unarchive' as const, 'remove' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('lookup' as const), email: emails, archived: fc.boolean() }),
);

function scan(store: RecordStore, email: string, archived: boolean): StoredRecord | undefined {
  return store.find('contacts', (r) => r.archived === archived && typeof r.fields.email === 'string'
    && r.fields.email.toLowerCase() === email.toLowerCase());
}

describe('RecordStore field index', () => {
  it('answers as a scan in insertion order does, across every kind of write', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const store = new RecordStore(new SandboxClock(), ['contacts']);
      for (const s of steps) {
        const ids = store.all('contacts').map((r) => r.id);
        const id = ids.length > 0 && 'pick' in s ? ids[s.pick % ids.length] : undefined;
        if (s.op === 'insert') store.insert('contacts', { fields: { email: s.email } });
        else if (s.op === 'update' && id) store.update('contacts', id, { email: s.email ?? undefined });
        else if (s.op === 'archive' && id) store.archive('contacts', id);
        else if (s.op === 'unarchive' && id) store.unarchive('contacts', id);
        else if (s.op === 'remove' && id) store.remove('contacts', id);
        else if (s.op === 'lookup') {
          expect(store.findByField('contacts', 'email', s.email, s.archived)?.id).toBe(scan(store, s.email, s.archived)?.id);
        }
      }
      for (const email of ['a@x.com', 'b@x.com', 'c@x.com']) {
        for (const archived of [false, true]) {
          expect(store.findByField('contacts', 'email', email, archived)?.id).toBe(scan(store, email, archived)?.id);
        }
      }
    }), { numRuns: 300 });
  });

  it('is emptied with the store', () => {
    const store = new RecordStore(new SandboxClock(), ['contacts']);
    store.insert('contacts', { fields: { email: 'a@x.com' } });
    expect(store.findByField('contacts', 'email', 'a@x.com', false)).toBeDefined();
    store.clear();
    expect(store.findByField('contacts', 'email', 'a@x.com', false)).toBeUndefined();
  });
});

// The time index must answer exactly what a scan of the live records answers, in (time, id)
// order, whatever the writes before the read; and HubSpot's search, when it takes the index,
// exactly what its scan-and-sort answers (total and page), for the queries its change feed sends.
const BASE_MS = Date.parse('2024-05-01T00:00:00.000Z');
const instant = fc.integer({ min: 0, max: 3 }).map((k) => BASE_MS + k * 1000);

type TimeStep =
  | { op: 'insert'; createdMs: number; updatedMs: number }
  | { op: 'update'; pick: number; atMs: number }
  | { op: 'archive' | 'unarchive' | 'remove'; pick: number }
  | { op: 'read'; field: TimeField; lower: TimeBound[]; upper: TimeBound[]; offset: number; limit: number };

const idText = fc.oneof(fc.integer({ min: 0, max: 12 }).map(String), fc.constant('7.5'));
const bound: fc.Arbitrary<TimeBound> = fc.record({ ms: instant, id: fc.option(idText, { nil: undefined }), inclusive: fc.boolean() })
  .map((b) => (b.id === undefined ? { ms: b.ms, inclusive: b.inclusive } : b));
const timeStep: fc.Arbitrary<TimeStep> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), createdMs: instant, updatedMs: instant }),
  fc.record({ op: fc.constant('update' as const), pick: fc.nat(), atMs: instant }),
  fc.record({ op: fc.constantFrom('archive' as const, 'unarchive' as const, 'remove' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('read' as const), field: fc.constantFrom<TimeField>('createdAt', 'updatedAt'),
    lower: fc.array(bound, { maxLength: 2 }), upper: fc.array(bound, { maxLength: 2 }), offset: fc.nat(6), limit: fc.integer({ min: 0, max: 6 }),
  }),
);

function keyAfter(ms: number, id: string, b: TimeBound): number {
  return ms - b.ms || (b.id === undefined ? 0 : compareNumericStrings(id, b.id));
}

function scanByTime(store: RecordStore, s: Extract<TimeStep, { op: 'read' }>): string[] {
  return store.all('contacts')
    .filter((r) => !r.archived)
    .map((r) => ({ ms: Date.parse(r[s.field]), id: r.id }))
    .filter(({ ms, id }) => s.lower.every((b) => {
      const c = keyAfter(ms, id, b);
      return c > 0 || (c === 0 && b.inclusive);
    }) && s.upper.every((b) => {
      const c = keyAfter(ms, id, b);
      return c < 0 || (c === 0 && b.inclusive);
    }))
    .sort((a, b) => a.ms - b.ms || compareNumericStrings(a.id, b.id))
    .map((r) => r.id);
}

/** Runs a sequence of writes against a fresh store, calling `onRead` at each read step. */
function replay<S extends { op: string }>(steps: Array<TimeStep | S>, onRead: (store: RecordStore, step: S) => void): void {
  const clock = new SandboxClock();
  const store = new RecordStore(clock, ['contacts']);
  for (const s of steps) {
    const ids = store.all('contacts').map((r) => r.id);
    const id = ids.length > 0 && 'pick' in s ? ids[(s.pick as number) % ids.length] : undefined;
    if (s.op === 'insert' && 'createdMs' in s) {
      store.insert('contacts', { fields: { email: `${ids.length}@x.com` }, createdAt: new Date(s.createdMs).toISOString(), updatedAt: new Date(s.updatedMs).toISOString() });
    } else if (s.op === 'update' && 'atMs' in s && id) {
      clock.set(s.atMs, true);
      store.update('contacts', id, { firstname: `at ${s.atMs}` });
    } else if (s.op === 'archive' && id) store.archive('contacts', id);
    else if (s.op === 'unarchive' && id) store.unarchive('contacts', id);
    else if (s.op === 'remove' && id) store.remove('contacts', id);
    else if (!['insert', 'update', 'archive', 'unarchive', 'remove'].includes(s.op)) onRead(store, s as S);
  }
}

describe('RecordStore time index', () => {
  it('answers as a scan of the live records sorted by (time, id) does, across every kind of write', () => {
    fc.assert(fc.property(fc.array(timeStep, { maxLength: 50 }), (steps) => {
      replay<Extract<TimeStep, { op: 'read' }>>(steps, (store, s) => {
        const range = store.liveByTime('contacts', s.field, s.lower, s.upper);
        const expected = scanByTime(store, s);
        expect(range.count).toBe(expected.length);
        expect(range.slice(s.offset, s.limit).map((r) => r.id)).toEqual(expected.slice(s.offset, s.offset + s.limit));
      });
    }), { numRuns: 300 });
  });

  it('folds in writes made without reads once they outnumber the index', () => {
    const clock = new SandboxClock();
    const store = new RecordStore(clock, ['contacts']);
    store.liveByTime('contacts', 'updatedAt', [], []);
    for (let i = 0; i < 10_000; i++) {
      clock.set(BASE_MS + (i % 7) * 1000, true);
      store.insert('contacts', { fields: {} });
    }
    const all = store.liveByTime('contacts', 'updatedAt', [], []);
    expect(all.count).toBe(10_000);
    const ids = all.slice(0, 10_000).map((r) => [Date.parse(r.updatedAt), Number(r.id)] as const);
    expect(ids.every((k, i) => i === 0 || ids[i - 1][0] < k[0] || (ids[i - 1][0] === k[0] && ids[i - 1][1] < k[1]))).toBe(true);
  });
});

type SearchStep = { op: 'search'; filters: SearchFilter[]; sort: SearchSort; offset: number; limit: number };

const timeProperty = fc.constantFrom('lastmodifieddate', 'hs_lastmodifieddate', 'createdate');
const timeValue = fc.tuple(instant, fc.boolean()).map(([ms, iso]) => (iso ? new Date(ms).toISOString() : String(ms)));
const timeFilter: fc.Arbitrary<SearchFilter> = fc.record({
  propertyName: timeProperty, operator: fc.constantFrom('EQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN') as fc.Arbitrary<SearchFilter['operator']>,
  value: timeValue, highValue: timeValue,
});
const idFilter: fc.Arbitrary<SearchFilter> = fc.record({
  propertyName: fc.constant('hs_object_id'), operator: fc.constantFrom('EQ', 'GT', 'GTE', 'LT', 'LTE') as fc.Arbitrary<SearchFilter['operator']>,
  value: idText,
});
const searchStep: fc.Arbitrary<SearchStep> = fc.oneof(
  // What the HubSpot connector's change feed sends (change-windows.ts): both must take the index.
  fc.record({ op: fc.constant('search' as const), filters: fc.tuple(timeValue, idText).map(([at, id]): SearchFilter[] => [
    { propertyName: 'lastmodifieddate', operator: 'EQ', value: at }, { propertyName: 'hs_object_id', operator: 'GT', value: id }]),
  sort: fc.constant({ propertyName: 'hs_object_id', descending: false }), offset: fc.constant(0), limit: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('search' as const), filters: fc.tuple(timeValue, timeValue).map(([from, until]): SearchFilter[] => [
    { propertyName: 'lastmodifieddate', operator: 'GT', value: from }, { propertyName: 'lastmodifieddate', operator: 'LTE', value: until }]),
  sort: fc.constant({ propertyName: 'lastmodifieddate', descending: false }), offset: fc.constant(0), limit: fc.integer({ min: 1, max: 4 }) }),
  // Anything else of the same kind: indexed where the plan says so, and then answering the same.
  fc.record({
    op: fc.constant('search' as const), filters: fc.array(fc.oneof(timeFilter, idFilter), { maxLength: 3 }),
    sort: fc.record({ propertyName: fc.oneof(timeProperty, fc.constant('hs_object_id')), descending: fc.boolean() }),
    offset: fc.nat(6), limit: fc.integer({ min: 0, max: 5 }),
  }),
);

describe('HubSpot sandbox search through the time index', () => {
  const catalog = new ObjectCatalog(hubspotObjects);
  const spec = catalog.resolve('contacts')!;
  const noFaults = { staleReadWindowMs: () => null, deleteLies: () => false };

  it('answers the change feed\'s queries (and every other one it plans) exactly as its scan-and-sort does', () => {
    let planned = 0;
    fc.assert(fc.property(fc.array(fc.oneof(timeStep.filter((s) => s.op !== 'read'), searchStep), { maxLength: 50 }), (steps) => {
      replay<SearchStep>(steps, (store, s) => {
        const view = new RecordView(store, new SandboxClock(), noFaults);
        const plan = planIndexedSearch(spec, [s.filters], s.sort, undefined);
        // Exactly the two shapes the connector sends: the other generator can make look-alikes
        // (lastmodifieddate GT with hs_object_id LTE, say) that no plan covers, and need not.
        const [first, second] = s.filters;
        const connectorShape = !s.sort.descending && s.filters.length === 2 && first.propertyName === 'lastmodifieddate'
          && ((first.operator === 'EQ' && second.propertyName === 'hs_object_id' && second.operator === 'GT' && s.sort.propertyName === 'hs_object_id')
            || (first.operator === 'GT' && second.propertyName === 'lastmodifieddate' && second.operator === 'LTE' && s.sort.propertyName === 'lastmodifieddate'));
        if (connectorShape) expect(plan).toBeDefined();
        if (!plan) return;
        planned++;
        const range = view.liveByTime('contacts', plan.field, plan.lower, plan.upper)!;
        const scanned = scanSearch(catalog, spec, view, { groups: [s.filters], sort: s.sort, query: undefined, offset: s.offset, limit: s.limit });
        expect(range.count).toBe(scanned.total);
        expect(range.slice(s.offset, s.limit).map((r) => r.id)).toEqual(scanned.records.map((r) => r.id));
      });
    }), { numRuns: 300 });
    expect(planned).toBeGreaterThan(100);
  });
});
