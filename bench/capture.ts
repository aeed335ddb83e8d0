import { startLoadHarness, type LoadHarness } from '../test/helpers/load-harness';
import { RssSampler } from './processes';
import { hubspotSandboxToken } from './sandbox-process';
import type { BenchRow } from './table';

/**
 * Capture from the HubSpot sandbox into the Stream: lag (a change made in the sandbox until its
 * event is in the Stream) at a 1-second poll interval, and events per second for a backfill.
 * HubSpot's search index trails its writes, so the source leaves changes younger than 10 s for a
 * later poll: that margin is part of the lag a user sees, and is reported as such.
 */
const BACKFILL = Number(process.env.BENCH_CAPTURE_BACKFILL ?? 100_000);
const LAG_SAMPLES = Number(process.env.BENCH_CAPTURE_LAG_SAMPLES ?? 20);
const SEED_SLICE = 5_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

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
    events.push(...page.body.events);
    if (page.body.events.length > 0) last = page.body.events.at(-1).offset;
    if (!page.body.next) return { events, last };
  }
}

async function measureLag(h: LoadHarness): Promise<number[]> {
  const id = await startCapture(h, 'companies');
  const token = { access_token: await hubspotSandboxToken(h.sandbox.url) };
  const madeAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let after = 0;
  for (let i = 0; i < LAG_SAMPLES; i++) {
    const res = await fetch(`${h.sandbox.url}/crm/v3/objects/companies`, {
      method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { name: `lag-${i}` } }),
    });
    madeAt.set(String(((await res.json()) as { id: string }).id), Date.now());
    await new Promise((r) => setTimeout(r, 500));
  }
  const deadline = Date.now() + 120_000;
  while (seenAt.size < madeAt.size && Date.now() < deadline) {
    const page = await readStream(h, 'companies', after);
    after = page.last;
    for (const e of page.events) if (!seenAt.has(e.recordId)) seenAt.set(e.recordId, Date.now());
    await new Promise((r) => setTimeout(r, 100));
  }
  await h.api('DELETE', `/v1/captures/${id}`);
  if (seenAt.size < madeAt.size) throw new Error(`only ${seenAt.size} of ${madeAt.size} changes reached the Stream`);
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

export async function benchCapture(): Promise<BenchRow> {
  const h = await startLoadHarness('hubspot');
  try {
    const rss = new RssSampler();
    const lags = await measureLag(h);
    await h.admin('POST', 'reset');
    const rate = await measureBackfill(h);
    return {
      part: 'capture', records: BACKFILL, captureRate: rate, peakRss: rss.stop(),
      captureLag: `${percentile(lags, 50).toFixed(1)} s / ${percentile(lags, 95).toFixed(1)} s`,
      note: `lag of ${lags.length} changes at a 1 s interval includes HubSpot's 10 s search-settle margin`,
    };
  } finally {
    await h.stop();
  }
}
