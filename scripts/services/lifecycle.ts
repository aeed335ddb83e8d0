/**
 * The ways an orchestrator (npm run dev) is asked to stop: Ctrl-C, SIGTERM from a process manager
 * or a CI timeout, SIGHUP from a closed terminal, and — when it was started over IPC (by
 * scripts/dev.mjs) — the channel closing because that parent died. `stop` is called once; a
 * closed terminal must not turn the stop's own log lines into a crash.
 */
export function onStopRequest(stop: (why: string, exitCode: number) => void): void {
  let requested = false;
  const once = (why: string, exitCode: number) => {
    if (requested) return;
    requested = true;
    stop(why, exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => once(signal, 0));
  if (process.connected) process.on('disconnect', () => once('the process that started this one is gone', 1));
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
}
