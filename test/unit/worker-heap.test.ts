import { DEFAULT_WORKER_HEAP_MB, workerNodeOptions } from '../../scripts/services/worker-heap';

describe("the worker's heap cap where it is launched", () => {
  it('caps the heap by default and keeps the NODE_OPTIONS given', () => {
    expect(workerNodeOptions({})).toBe(`--max-old-space-size=${DEFAULT_WORKER_HEAP_MB}`);
    expect(workerNodeOptions({ NODE_OPTIONS: '--enable-source-maps', FORGE_WORKER_HEAP_MB: '512' })).toBe('--enable-source-maps --max-old-space-size=512');
  });

  it('refuses a cap that is not a whole number of MB, naming the variable', () => {
    expect(() => workerNodeOptions({ FORGE_WORKER_HEAP_MB: 'lots' })).toThrow(/FORGE_WORKER_HEAP_MB .*got lots/);
    expect(() => workerNodeOptions({ FORGE_WORKER_HEAP_MB: '16' })).toThrow(/at least 64/);
  });
});
