/** At most `slots` of the functions it is handed run at once; the rest wait their turn, in order. */
export function limiter(slots: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (running >= slots) return;
    const start = queue.shift();
    if (start) {
      running++;
      start();
    }
  };
  return <T>(fn: () => Promise<T>) => new Promise<T>((resolve, reject) => {
    queue.push(() => {
      fn().then(resolve, reject).finally(() => {
        running--;
        next();
      });
    });
    next();
  });
}
