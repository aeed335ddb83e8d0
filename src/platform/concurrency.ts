/**
 * Runs `work` over `items` with at most `limit` calls in flight, for systems that take one record
 * per call (Stripe). Results keep the input order. When a call throws, no further call is started,
 * the calls already in flight are awaited (so nothing is left running unseen), and the first error
 * is thrown: the caller's retry policy decides what happens next.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure !== undefined) throw failure.error;
  return results;
}

/**
 * Runs work one at a time per key, in the order it asked, within this process (for systems whose
 * writes must not overlap per container: a Teams or Slack channel, where the conversation's order
 * matters and the throttle is per channel). Work for different keys runs in parallel. It does not
 * reach across worker processes: loads spread over several workers need the workflow to run the
 * object's chunks one after another.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
