export interface FanOutOptions {
  /**
   * The first call runs alone before the others start: a refusal that concerns every call (a 401,
   * a 429 with Retry-After) then costs one request, not one per lane, and no sibling is sent
   * inside a Retry-After it has not seen yet.
   */
  probeFirst?: boolean;
}

/**
 * Runs `work` over `items` with at most `limit` calls in flight, for systems that take one record
 * per call (Stripe). Results keep the input order. When a call throws, no further call is started,
 * the calls already in flight are awaited (so nothing is left running unseen), and the first error
 * is thrown: the caller's retry policy decides what happens next.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, options: FanOutOptions = {},
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  if (options.probeFirst && items.length > 0) {
    results[0] = await work(items[0], 0);
    next = 1;
  }
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
