import { CostPacer } from '../../src/connectors/kit/graphql-cost';

// The kit's cost pacer with a hand-driven clock: how long it waits is computed from the bucket the
// system last reported (currentlyAvailable, restoreRate), never from a throttled answer.
function pacerAt(start = 0) {
  let now = start;
  const waits: number[] = [];
  const pacer = new CostPacer({ now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
  return { pacer, waits, advance: (ms: number) => { now += ms; } };
}

describe('CostPacer', () => {
  it('sends at once before the first report, and while the reported bucket holds the cost', async () => {
    const { pacer, waits } = pacerAt();
    await pacer.reserve(500);
    pacer.observe({ maximumAvailable: 1000, currentlyAvailable: 300, restoreRate: 50 });
    await pacer.reserve(300);
    expect(waits).toEqual([]);
  });

  it('waits for the bucket to refill at restoreRate: (cost - available) / rate seconds', async () => {
    const { pacer, waits } = pacerAt();
    pacer.observe({ maximumAvailable: 1000, currentlyAvailable: 20, restoreRate: 50 });
    await pacer.reserve(100);
    expect(waits).toEqual([1600]);
  });

  it('counts what it sent before the next report, so calls side by side pace against each other', async () => {
    const { pacer, waits, advance } = pacerAt();
    pacer.observe({ maximumAvailable: 200, currentlyAvailable: 200, restoreRate: 100 });
    await pacer.reserve(150);
    await pacer.reserve(150);
    expect(waits).toEqual([1000]);
    advance(500);
    expect(pacer.waitMs(150)).toBe(1000);
  });

  it('never waits for more than the bucket can hold, and says how long a throttled query must wait', () => {
    const { pacer } = pacerAt();
    pacer.observe({ maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 10 });
    expect(pacer.waitMs(5000)).toBe(10_000);
    expect(pacer.retryAfterMs(60, { maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 })).toBe(4000);
  });
});
