import { startLoadHarness, type LoadHarness } from '../test/helpers/load-harness';
import { hubspotChanges, salesforceChanges, salesforcePollChanges, stripeChanges, type ChangeMaker } from './capture-changes';
import { RssSampler } from './processes';
import { startSandboxProcess } from './sandbox-process';
import { formatTable, type BenchRow } from './table';

/**
 * Capture into the Stream, each system's sandbox in a process of its own: lag (a change made in
 * the sandbox until its event is readable from GET /v1/stream) at a 1-second poll interval for
 * HubSpot, Stripe and Salesforce, and events per second for a HubSpot backfill. A source that
 * leaves its newest changes for a later poll (HubSpot's search index trails its writes, Salesforce's
 * stamps are whole seconds) adds that settle margin to the lag a user sees; the note says so.
 */
const BACKFILL = Number(process.env.BENCH_CAPTURE_BACKFILL ?? 100_000);
const LAG_SAMPLES = Number(process.env.BENCH_CAPTURE_LAG_SAMPLES ?? 20);
const SEED_SLICE = 5_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const LAG_SYSTEMS: ChangeMaker[] = [hubspotChanges, stripeChanges, salesforceChanges, salesforcePollChanges];

async function startCapture(h: LoadHarness, object: string): Promise<string> {
  const res = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object, intervalSeconds: 1 });
  if (res.status !== 201) throw new Error(`capture refused: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

interface StreamEvent { offset: number; recordId: string }

/** Reads the Stream from `after` on; returns the events and the last offset seen. */
async function readStream(h: LoadHarness, object: string, after: number): Promise<{ events: StreamEvent[]; last: number }> {
  const events: StreamEvent[] = [];
  let last = after;
  for (;;) {
    const page = await h.api('GET', `/v1/stream?connectionId=${h.connectionId}&object=${object}&after=${last}&limit=1000`);
    if (page.status !== 200) throw new Error(`reading the Stream failed (${page.status}): ${JSON.stringify(page.body)}`);
    events.push(...page.body.events);
    if (page.body.events.length > 0) last = page.body.events.at(-1).offset;
    if (!page.body.next) return { events, last };
  }
}

/**
 * Makes LAG_SAMPLES changes half a second apart while reading the Stream every 100 ms, and answers
 * each change's lag: from made to first read back. (Reading only after the last change was made
 * counted up to ten seconds of the bench's own waiting into the lag of the first ones.)
 */
async function measureLag(h: LoadHarness, changes: ChangeMaker): Promise<number[]> {
  const id = await startCapture(h, changes.object);
  const create = await changes.connect(h.sandbox.url);
  const madeAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let making = true;
  const reading = (async () => {
    let after = 0;
    const deadline = Date.now() + 180_000;
    while ((making || seenAt.size < madeAt.size) && Date.now() < deadline) {
      const page = await readStream(h, changes.object, after);
      after = page.last;
      const now = Date.now();
      for (const e of page.events) if (!seenAt.has(e.recordId)) seenAt.set(e.recordId, now);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    for (let i = 0; i < LAG_SAMPLES; i++) {
      const recordId = await create(`lag-${i}`);
      madeAt.set(recordId, Date.now());
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    making = false;
  }
  await reading;
  await h.api('DELETE', `/v1/captures/${id}`);
  const missing = [...madeAt.keys()].filter((rid) => !seenAt.has(rid));
  if (missing.length > 0) throw new Error(`${changes.system}: ${missing.length} of ${madeAt.size} changes did not reach the Stream`);
  return [...madeAt].map(([rid, at]) => (seenAt.get(rid)! - at) / 1000);
}

async function measureBackfill(h: LoadHarness): Promise<number> {
  // Seeded a minute in the past, so the search-lag margin does not hold any of them back.
  const at = new Date(Date.now() - 60_000).toISOString();
  for (let from = 0; from < BACKFILL; from += SEED_SLICE) {
    const contacts = Array.from({ length: Math.min(SEED_SLICE, BACKFILL - from) }, (_, i) => ({
      email: `backfill-${from + i}@example.com`, firstname: `b${from + i}`, lastmodifieddate: at, createdate: at,
    }));
    const res = await h.admin('POST', 'seed', { objects: { contacts } });
    if (res.status >= 300) throw new Error(`seed failed: ${JSON.stringify(res.body)}`);
  }
  const started = performance.now();
  const id = await startCapture(h, 'contacts');
  let count = 0;
  let after = 0;
  const deadline = Date.now() + 30 * 60_000;
  while (count < BACKFILL && Date.now() < deadline) {
    const page = await readStream(h, 'contacts', after);
    after = page.last;
    count += page.events.length;
    if (count < BACKFILL) await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  await h.api('DELETE', `/v1/captures/${id}`);
  if (count !== BACKFILL) throw new Error(`backfill captured ${count} of ${BACKFILL}`);
  return BACKFILL / seconds;
}

function lagCell(lags: number[]): string {
  return `${percentile(lags, 50).toFixed(1)} s / ${percentile(lags, 95).toFixed(1)} s`;
}

/** One system's harness on its sandbox process; `run` measures, then everything is stopped. */
async function onSandbox<T>(changes: ChangeMaker, run: (h: LoadHarness) => Promise<T>): Promise<T> {
  const sandbox = await startSandboxProcess(changes.system);
  try {
    const h = await startLoadHarness(changes.system, { external: sandbox, connectionConfig: changes.connectionConfig });
    try {
      return await run(h);
    } finally {
      await h.stop();
    }
  } finally {
    await sandbox.stop();
  }
}

export async function benchCapture(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const changes of LAG_SYSTEMS) {
    const rss = new RssSampler();
    const row = await onSandbox(changes, async (h): Promise<BenchRow> => {
      const lags = await measureLag(h, changes);
      if (changes.system !== 'hubspot') return { part: changes.part ?? `capture ${changes.system}`, captureLag: lagCell(lags), note: `${lags.length} changes: ${changes.note}` };
      await h.admin('POST', 'reset');
      const rate = await measureBackfill(h);
      return {
        part: 'capture hubspot', records: BACKFILL, captureRate: rate, captureLag: lagCell(lags),
        note: `${lags.length} changes: ${changes.note}; backfill of ${BACKFILL.toLocaleString('en-US')} contacts`,
      };
    });
    rows.push({ ...row, peakRss: rss.stop() });
    process.stderr.write(`${formatTable(rows)}\n`);
  }
  return rows;
}
