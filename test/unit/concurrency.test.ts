import { mapWithConcurrency } from '../../src/platform/concurrency';

describe('mapWithConcurrency', () => {
  const tracked = () => {
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const work = async (item: number) => {
      started.push(item);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (item < 0) throw new Error(`refused ${item}`);
      return item * 2;
    };
    return { started, work, most: () => most };
  };

  it('keeps the input order with at most `limit` calls in flight', async () => {
    const t = tracked();
    expect(await mapWithConcurrency([1, 2, 3, 4, 5, 6], 3, t.work)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(t.most()).toBe(3);
  });

  it('probeFirst: a refusal of the first call stops the fan-out after that one call', async () => {
    const t = tracked();
    await expect(mapWithConcurrency([-1, 2, 3, 4], 4, t.work, { probeFirst: true })).rejects.toThrow('refused -1');
    expect(t.started).toEqual([-1]);
    const without = tracked();
    await expect(mapWithConcurrency([-1, 2, 3, 4], 4, without.work)).rejects.toThrow('refused -1');
    expect(without.started).toEqual([-1, 2, 3, 4]);
  });

  it('probeFirst: after the first call succeeds, the rest fan out and the order holds', async () => {
    const t = tracked();
    expect(await mapWithConcurrency([1, 2, 3, 4, 5], 2, t.work, { probeFirst: true })).toEqual([2, 4, 6, 8, 10]);
    expect(t.most()).toBe(2);
  });
});
