/**
 * The worker's V8 heap cap, set where it is launched (`npm run dev`, the bench, docker-compose): left
 * to itself V8 lets garbage pile up while a load allocates fast, and a 1,000,000-record load took the
 * worker to 585 MB of RSS; capped at 256 MB it peaked at 349 MB at the same rate (10,859 against
 * 11,435 records/s; GC took 18% more of its CPU). FORGE_WORKER_HEAP_MB overrides the cap.
 */
export const DEFAULT_WORKER_HEAP_MB = 256;

/** NODE_OPTIONS for a worker process: the caller's own, with the heap cap. */
export function workerNodeOptions(env: NodeJS.ProcessEnv = process.env): string {
  const heapMb = Number(env.FORGE_WORKER_HEAP_MB ?? DEFAULT_WORKER_HEAP_MB);
  if (!Number.isInteger(heapMb) || heapMb < 64) throw new Error(`FORGE_WORKER_HEAP_MB must be a whole number of MB, at least 64 (got ${env.FORGE_WORKER_HEAP_MB})`);
  return [env.NODE_OPTIONS, `--max-old-space-size=${heapMb}`].filter(Boolean).join(' ');
}
