import { summarizeCursor } from '../../src/platform/cursor-summary';

const CANARY = 'canary message text 7f3e';

describe('cursor summary: positions only', () => {
  it('shows times, numbers and the shape of what a cursor keeps', () => {
    expect(summarizeCursor(null)).toBe('null');
    expect(summarizeCursor({ changes: { at: 1764560000000, id: '1234' }, deletes: { at: 0, id: '' } }))
      .toBe('changes.at=1764560000000 changes.id=1234 deletes.at=0 deletes.id=‹0 chars›');
    expect(summarizeCursor({ latest: '1700000000.000100', known: { '1700000000.000100': { v: '1700000000.000100:1700000000.000100' } }, threads: ['1700000000.000100'] }))
      .toBe('latest=1700000000.000100 known={1} threads=[1]');
    expect(summarizeCursor({ modifiedTime: '2026-12-01T04:43:23.000Z', generation: 3 })).toBe('modifiedTime=2026-12-01T04:43:23.000Z generation=3');
    expect(summarizeCursor({ link: 'https://org.crm.dynamics.com/api/data/v9.2/accounts?$deltatoken=919042' })).toBe('link=‹70 chars›');
  });

  it('never shows record content, wherever a connector keeps it', () => {
    const shapes: unknown[] = [
      CANARY,
      { text: CANARY },
      { poll: { pending: [{ ts: '1700000000.000100', text: CANARY }] } },
      { seen: { [CANARY]: 'print' } },
      { key: CANARY, at: '2026-12-01T04:43:23.000Z' },
      { a: { b: { c: CANARY } } },
      { 'odd key': CANARY },
      { digits: `1${CANARY}` },
    ];
    for (const cursor of shapes) expect(summarizeCursor(cursor)).not.toMatch(/canary|7f3e/);
  });

  it('stays short whatever the cursor holds', () => {
    const wide = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`field${i}`, { at: 1764560000000 + i, id: String(10 ** 12 + i) }]));
    expect(summarizeCursor(wide).length).toBeLessThanOrEqual(201);
  });
});
