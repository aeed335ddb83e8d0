import { setImmediate as nextTurn } from 'node:timers/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { answeredWindowTurn, forgetIdleWindowsNow, keptWindowCount } from '../../src/platform/rate-budget/answered-window';

/** Lets every promise and immediate queued so far settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await nextTurn();
}

describe('the window a process keeps by its requests\' answers', () => {
  const bucket = { name: 'post|C0WINDOW', window: { requests: 2, perSeconds: 0.3 } };

  it('lets N requests go at once, and the next only a window after the answer of the N-th before it', async () => {
    const connection = `c-${process.hrtime.bigint()}`;
    const first = await answeredWindowTurn(connection, [bucket]);
    const second = await answeredWindowTurn(connection, [bucket]);
    let thirdGone = false;
    const third = answeredWindowTurn(connection, [bucket]).then((answered) => { thirdGone = true; return answered; });
    await settle();
    expect(thirdGone).toBe(false); // the first is still out: it may arrive at any moment and start its window then
    second();
    await settle();
    expect(thirdGone).toBe(false); // the second's answer says nothing about the first
    const firstAnsweredAt = performance.now();
    first();
    (await third)();
    expect(performance.now() - firstAnsweredAt).toBeGreaterThanOrEqual(300 - 1); // never sooner than the window
  });

  it('keeps no window for a bucket without one (an allowance spent at once) and apart per connection and bucket', async () => {
    const connection = `c-${process.hrtime.bigint()}`;
    const held = await answeredWindowTurn(connection, [{ ...bucket, window: { requests: 1, perSeconds: 60 } }]);
    await answeredWindowTurn(connection, [{ name: 'day' }, { name: 'other', window: { requests: 1, perSeconds: 60 } }]);
    await answeredWindowTurn(`${connection}-b`, [{ ...bucket, window: { requests: 1, perSeconds: 60 } }]);
    held();
  });

  it('forgets a window once nothing is out and its last answer has left it, and keeps one still in use', async () => {
    const connection = `c-${process.hrtime.bigint()}`;
    const short = { name: 'post|C0SHORT', window: { requests: 1, perSeconds: 0.05 } };
    const long = { name: 'post|C0LONG', window: { requests: 1, perSeconds: 60 } };
    const out = await answeredWindowTurn(connection, [short]);
    (await answeredWindowTurn(connection, [long]))();
    const before = keptWindowCount();
    await sleep(80);
    forgetIdleWindowsNow();
    expect(keptWindowCount()).toBe(before); // one is still out; the other's answer is in its window
    out();
    await sleep(80);
    forgetIdleWindowsNow();
    expect(keptWindowCount()).toBe(before - 1);
    (await answeredWindowTurn(connection, [short]))(); // a new window starts empty: no wait
  });
});
