import { RssSampler } from './processes';
import { hubspotSandboxToken, startSandboxProcess } from './sandbox-process';
import type { BenchRow } from './table';

/**
 * The unlimited HubSpot sandbox alone, without the platform: the same requests a load sends per
 * 100-record chunk (batch/read by email, batch/upsert, batch/read) from many lanes at once. The
 * platform's ceiling is only meaningful while it stays well below this figure.
 */
const RECORDS = Number(process.env.BENCH_SANDBOX_RECORDS ?? 20_000);
const LANES = Number(process.env.BENCH_SANDBOX_LANES ?? 16);
const BATCH = 100;

export async function benchSandboxAlone(): Promise<BenchRow> {
  const sandbox = await startSandboxProcess('hubspot');
  const rss = new RssSampler();
  try {
    const token = { access_token: await hubspotSandboxToken(sandbox.url) };
    const post = async (action: string, body: unknown) => {
      const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts/batch/${action}`, {
        method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      if (res.status >= 300 && res.status !== 207) throw new Error(`sandbox ${action} answered ${res.status}`);
      await res.arrayBuffer();
    };
    const chunks = Math.ceil(RECORDS / BATCH);
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: LANES }, async () => {
      while (next < chunks) {
        const chunk = next++;
        const emails = Array.from({ length: BATCH }, (_, i) => `alone-${chunk * BATCH + i}@example.com`);
        const read = { properties: ['email', 'firstname'], idProperty: 'email', inputs: emails.map((id) => ({ id })) };
        await post('read', read);
        await post('upsert', { inputs: emails.map((email, i) => ({ id: email, idProperty: 'email', properties: { email, firstname: `a${i}` } })) });
        await post('read', read);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    return { part: 'sandbox', records: chunks * BATCH, recordsPerSecond: (chunks * BATCH) / seconds, peakRss: rss.stop(),
      note: `HubSpot sandbox alone (own process), ${LANES} lanes of read+upsert+read per 100 records` };
  } finally {
    rss.stop();
    await sandbox.stop();
  }
}
