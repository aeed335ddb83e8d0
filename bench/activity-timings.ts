import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface ActivityTiming {
  activity: string;
  count: number;
  /** Scheduled → started: time on the task queue (worker slots, polling). */
  avgQueueMs: number;
  /** Started → completed: time inside the activity. */
  avgRunMs: number;
}

function millis(event: HistoryEvent): number {
  const t = event.eventTime!;
  return Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** Per activity type, how long its tasks waited to start and how long they ran, from a workflow's history. */
export function activityTimings(events: HistoryEvent[]): ActivityTiming[] {
  const scheduled = new Map<string, { activity: string; at: number }>();
  const started = new Map<string, number>();
  const totals = new Map<string, { count: number; queue: number; run: number }>();
  for (const event of events) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(event.eventId), { activity: s.activityType?.name ?? '?', at: millis(event) });
    const st = event.activityTaskStartedEventAttributes;
    if (st) started.set(String(st.scheduledEventId), millis(event));
    const done = event.activityTaskCompletedEventAttributes;
    if (!done) continue;
    const id = String(done.scheduledEventId);
    const from = scheduled.get(id);
    const start = started.get(id);
    if (!from || start === undefined) continue;
    const total = totals.get(from.activity) ?? { count: 0, queue: 0, run: 0 };
    total.count++;
    total.queue += start - from.at;
    total.run += millis(event) - start;
    totals.set(from.activity, total);
  }
  return [...totals].map(([activity, t]) => ({ activity, count: t.count, avgQueueMs: t.queue / t.count, avgRunMs: t.run / t.count }));
}

export function describeTimings(timings: ActivityTiming[]): string {
  return timings.filter((t) => t.count > 2)
    .map((t) => `${t.activity} ×${t.count}: queued ${t.avgQueueMs.toFixed(0)} ms, ran ${t.avgRunMs.toFixed(0)} ms avg`).join('; ');
}
