import type { ObjectSpec } from '../../src/platform/object-spec';
import { diffFields, mismatches, restoreImage, sameValue, valueAt, writtenFields } from '../../src/platform/load/compare';
import { planRecord } from '../../src/platform/load/plan';

// Nested values as the platform sees them, for every connector: a per-key map (Stripe metadata,
// property groups), a whole-written object (an address), create-only, write-only and unclearable
// fields refused at plan time with their names.
const spec: ObjectSpec = {
  name: 'things',
  naturalKeys: ['id', 'metadata.external_id'],
  fields: [
    { name: 'id', type: 'string', readOnly: true },
    { name: 'name', type: 'string' },
    { name: 'metadata', type: 'map' },
    { name: 'metadata.external_id', type: 'string' },
    {
      name: 'address', type: 'object',
      fields: ['city', 'country', 'line1', 'line2', 'postal_code', 'state'].map((name) => ({ name, type: 'string' as const })),
    },
    {
      name: 'recurring', type: 'object',
      fields: [{ name: 'interval', type: 'string' }, { name: 'interval_count', type: 'number', default: 1 }, { name: 'meter', type: 'string' }],
    },
    { name: 'tax_behavior', type: 'string', createOnly: true, clearable: false, hint: 'create a new thing instead' },
    { name: 'due_date', type: 'number', clearable: false },
    { name: 'days_until_due', type: 'number', writeOnly: true, hint: 'write due_date instead' },
    { name: 'lines', type: 'json', readOnly: true },
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: 10,
  cursor: 'event-id',
};

const before = {
  id: 'x1', name: 'Ada', 'metadata.external_id': 'e-1', 'metadata.tier': 'silver',
  address: { city: 'Lyon', country: 'FR', line1: '1 rue', line2: null, postal_code: '69001', state: null },
  tax_behavior: 'exclusive', due_date: null, lines: [{ amount: 5 }],
};

describe('nested values: compare, verify and restore key by key', () => {
  it('reads a path from nested values, dotted fields or both', () => {
    expect(valueAt({ metadata: { tier: 'gold' } }, 'metadata.tier')).toBe('gold');
    expect(valueAt({ 'metadata.tier': 'gold' }, 'metadata.tier')).toBe('gold');
    expect(valueAt({ 'address.city': 'Paris', address: { line1: '2 rue' } }, 'address')).toEqual({ city: 'Paris', line1: '2 rue' });
    expect(valueAt({ metadata: { 'a.b': '1' } }, 'metadata.a.b')).toBe('1');
    expect(valueAt({ name: 'x' }, 'metadata.tier')).toBeUndefined();
  });

  it('compares objects key by key in any order, blanks alike, arrays item by item', () => {
    expect(sameValue({ a: 1, b: { c: 'x' } }, { b: { c: 'x' }, a: '1' })).toBe(true);
    expect(sameValue({ city: null, line1: '' }, null)).toBe(true);
    expect(sameValue({ city: 'Paris' }, { city: 'Paris', line1: 'x' })).toBe(false);
    expect(sameValue([{ a: 1 }], [{ a: 2 }])).toBe(false);
    expect(sameValue([], null)).toBe(true);
    expect(sameValue({ a: 1 }, 'a')).toBe(false);
  });

  it('writes a map per key, an object whole, and leaves read-only paths out', () => {
    const record = { 'metadata.external_id': 'e-1', metadata: { tier: 'gold', added: 'yes' }, 'address.city': 'Paris', lines: [], 'lines.0.amount': 3, id: 'x1' };
    expect(writtenFields(record, spec).paths.sort()).toEqual(['address', 'metadata.added', 'metadata.external_id', 'metadata.tier']);
    expect(writtenFields({ metadata: null }, spec).paths).toEqual(['metadata']);
    expect(writtenFields({ recurring: { interval: 'month' } }, spec).paths).toEqual(['recurring']);
  });

  it('diffs a whole object with the sub-fields the record leaves out blank (or their default), and names the differing sub-field in verify', () => {
    const desired = { 'metadata.external_id': 'e-1', 'address.city': 'Paris' };
    const fields = writtenFields(desired, spec);
    const diff = diffFields(before, desired, fields);
    expect(Object.keys(diff)).toEqual(['address']);
    expect(diff.address.to).toEqual({ city: 'Paris', country: null, line1: null, line2: null, postal_code: null, state: null });
    const readBack = { ...before, address: { city: 'Paris', country: 'FR', line1: null, line2: null, postal_code: null, state: null } };
    expect(mismatches(desired, readBack, fields)).toEqual([{ field: 'address.country', message: 'wrote null but read back "FR"' }]);
    expect(mismatches({ recurring: { interval: 'month' } }, { recurring: { interval: 'month', interval_count: 1, meter: null } },
      writtenFields({ recurring: { interval: 'month' } }, spec))).toEqual([]);
  });

  it('restores the keys that were there and unsets the keys the load added; a whole object comes back whole', () => {
    const desired = { 'metadata.external_id': 'e-1', metadata: { tier: 'gold', added: 'yes' }, address: { city: 'Paris' } };
    const image = restoreImage(before, writtenFields(desired, spec));
    expect(image).toEqual({
      'metadata.external_id': 'e-1', 'metadata.tier': 'silver', 'metadata.added': null,
      address: { city: 'Lyon', country: 'FR', line1: '1 rue', line2: null, postal_code: '69001', state: null },
    });
    expect(restoreImage({ id: 'x2', address: null }, writtenFields({ address: { city: 'Paris' } }, spec))).toEqual({ address: null });
    // Blanking the whole map restores every key that was there.
    expect(restoreImage(before, writtenFields({ metadata: '' }, spec))).toEqual({ metadata: { external_id: 'e-1', tier: 'silver' } });
  });
});

describe('plan: writes no rollback could undo are refused, naming the field', () => {
  it('refuses a change of a create-only field on an existing record, and lets a create set it', () => {
    const desired = { 'metadata.external_id': 'e-1', tax_behavior: 'inclusive', name: 'Ada L.' };
    const plan = planRecord('upsert', before, desired, writtenFields(desired, spec));
    expect(plan.action).toBe('fail');
    expect(plan.errors).toEqual([{ field: 'tax_behavior', message: expect.stringMatching(/tax_behavior cannot change .* rollback .*create a new thing instead/) }]);
    expect(planRecord('upsert', null, desired, writtenFields(desired, spec)).action).toBe('create');
    expect(planRecord('upsert', before, { ...desired, tax_behavior: 'exclusive' }, writtenFields(desired, spec)).action).toBe('update');
  });

  it('refuses setting a field the system cannot blank where it is blank, and blanking it', () => {
    const setIt = { 'metadata.external_id': 'e-1', due_date: 1767225600 };
    expect(planRecord('update', before, setIt, writtenFields(setIt, spec)).errors).toEqual([{ field: 'due_date', message: expect.stringMatching(/cannot blank it again/) }]);
    const blankIt = { 'metadata.external_id': 'e-1', due_date: null };
    expect(planRecord('update', { ...before, due_date: 1767225600 }, blankIt, writtenFields(blankIt, spec)).errors)
      .toEqual([{ field: 'due_date', message: 'things cannot blank due_date' }]);
    expect(planRecord('update', { ...before, due_date: 1767139200 }, setIt, writtenFields(setIt, spec)).action).toBe('update');
  });

  it('refuses a field the system never returns, on create and update alike', () => {
    const desired = { 'metadata.external_id': 'e-9', days_until_due: 30 };
    for (const current of [null, before]) {
      const plan = planRecord('upsert', current, desired, writtenFields(desired, spec));
      expect(plan.errors).toEqual([{ field: 'days_until_due', message: expect.stringMatching(/never return days_until_due.*write due_date instead/) }]);
    }
  });

  it('plans a nested metadata change key by key and leaves an unchanged nested value unwritten', () => {
    const desired = { 'metadata.external_id': 'e-1', metadata: { tier: 'silver' }, address: { ...before.address } };
    expect(planRecord('upsert', before, desired, writtenFields(desired, spec))).toEqual({ action: 'unchanged' });
    const changed = { 'metadata.external_id': 'e-1', metadata: { tier: 'gold' } };
    expect(planRecord('upsert', before, changed, writtenFields(changed, spec))).toEqual({ action: 'update', diff: { 'metadata.tier': { from: 'silver', to: 'gold' } } });
  });
});
