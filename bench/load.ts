import { liveRecords, startLoadHarness, type LoadHarness } from '../test/helpers/load-harness';

/**
 * Load throughput against the HubSpot sandbox: (a) the platform's own ceiling on an unlimited
 * sandbox beside a sequential one-request-per-record baseline measured in the same run, and (b)
 * the share of what HubSpot's documented burst limit allows that a load actually reaches.
 */
const RECORDS = Number(process.env.BENCH_LOAD_RECORDS ?? 20_000);
const BASELINE_RECORDS = Math.min(RECORDS, 2_000);
const HUBSPOT_LIMIT = { requests: 190, perSeconds: 10 };
const REQUESTS_PER_CHUNK = 3; // snapshot read, batch write, verify read
const BATCH = 100;

function contacts(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => ({ email: `bench-${i}@example.com`, firstname: `${tag}${i}`, lastname: 'Bench' }));
}

async function timedLoad(h: LoadHarness, records: Record<string, unknown>[]): Promise<number> {
  const started = performance.now();
  const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records });
  if (res.status !== 202) throw new Error(`load refused: ${JSON.stringify(res.body)}`);
  const load = await h.waitForLoad(res.body.id, ['completed', 'failed', 'rolled_back'], 30 * 60_000);
  if (load.status !== 'completed' || load.counts.verified !== records.length) throw new Error(`load did not complete: ${JSON.stringify(load)}`);
  return (performance.now() - started) / 1000;
}

/** The naive way: one request per record, one after another (with its token fetched once). */
async function sequentialBaseline(h: LoadHarness, records: Record<string, unknown>[]): Promise<number> {
  const { credentials } = (await h.admin('GET', 'credentials')).body;
  const token = await fetch(`${h.sandbox.url}/oauth/v1/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const started = performance.now();
  for (const record of records) {
    const res = await fetch(`${h.sandbox.url}/crm/v3/objects/contacts`, {
      method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: record }),
    });
    if (res.status >= 300) throw new Error(`baseline write failed: ${res.status}`);
    await res.arrayBuffer();
  }
  return (performance.now() - started) / 1000;
}

export async function benchLoad(): Promise<void> {
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  try {
    const unlimited = await startLoadHarness('hubspot');
    let ceiling: number;
    let baseline: number;
    try {
      baseline = BASELINE_RECORDS / await sequentialBaseline(unlimited, contacts(BASELINE_RECORDS, 'base'));
      await unlimited.admin('POST', 'reset');
      ceiling = RECORDS / await timedLoad(unlimited, contacts(RECORDS, 'ceiling'));
      if (Object.keys(await liveRecords(unlimited, 'contacts')).length !== RECORDS) throw new Error('ceiling run lost records');
    } finally {
      await unlimited.stop();
    }
    console.log(`load (a) platform ceiling, ${RECORDS} upserts with verify: ${ceiling.toFixed(0)} records/s`);
    console.log(`load (a) sequential baseline, one request per record (${BASELINE_RECORDS}): ${baseline.toFixed(0)} records/s`);
    console.log(`load (a) ratio ceiling / baseline: ${(ceiling / baseline).toFixed(2)}x`);

    const limited = await startLoadHarness('hubspot', { sandbox: { enforceRateLimit: true } });
    try {
      const rate = RECORDS / await timedLoad(limited, contacts(RECORDS, 'limited'));
      const allowed = (HUBSPOT_LIMIT.requests / HUBSPOT_LIMIT.perSeconds) * BATCH / REQUESTS_PER_CHUNK;
      console.log(`load (b) under ${HUBSPOT_LIMIT.requests} req/${HUBSPOT_LIMIT.perSeconds}s: ${rate.toFixed(0)} records/s of ${allowed.toFixed(0)} the limit allows (${((rate / allowed) * 100).toFixed(0)}%)`);
    } finally {
      await limited.stop();
    }
    console.log(`load peak RSS of the gateway+worker process: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
  }
}
