import fc from 'fast-check';
import { RecordStore, type StoredRecord } from '../../sandboxes/kit/record-store';
import { SandboxClock } from '../../sandboxes/kit/clock';

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
