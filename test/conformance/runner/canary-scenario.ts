import { Client as PgClient } from 'pg';
import { limiter } from './limit';
import type { ScenarioContext } from './load-scenarios';

/** Workflow histories fetched from Temporal at once while gathering. */
const HISTORIES_AT_ONCE = 8;

/**
 * Run last, after every other scenario (validation failures, 401s, 429s, restarts): the secret
 * values of every connection the suite made appear in no API answer, no Temporal history, no
 * database table outside the encrypted credential store and no worker log line.
 */
export async function canarySecrets(ctx: ScenarioContext): Promise<void> {
  const { env, fixture } = ctx;
  const mine = env.sandboxes.filter((s) => s.connector === fixture.connector);
  const canaries = mine.flatMap((s) => fixture.secretFields.map((f) => s.credentials[f]))
    .filter((v): v is string => typeof v === 'string' && v.length >= 8);
  expect(canaries.length).toBeGreaterThanOrEqual(mine.length);
  const { responses, histories, dumps, logs } = await leftoversOf(env);

  // Not vacuous: each place holds what the suite did.
  expect(responses.length).toBeGreaterThan(10);
  expect(logs.length).toBeGreaterThan(0);
  expect(dumps.join('\n')).toContain(env.tenantId);
  expect(histories.length).toBeGreaterThan(5);

  const places: Array<[string, string]> = [['API answers', responses.join('\n')], ['Temporal histories', histories.join('\n')],
    ['database', dumps.join('\n')], ['worker logs', logs]];
  const leaks = canaries.flatMap((canary) => places.filter(([, text]) => text.includes(canary)).map(([where]) => `${where} hold a ${canary.slice(0, 6)}… secret`));
  expect(leaks).toEqual([]);
}

interface Leftovers {
  responses: string[];
  histories: string[];
  dumps: string[];
  logs: string;
}

const gathered = new WeakMap<ScenarioContext['env'], Promise<Leftovers>>();

/** Everything the suite left behind, gathered once for all canary scenarios. */
function leftoversOf(env: ScenarioContext['env']): Promise<Leftovers> {
  let found = gathered.get(env);
  if (!found) {
    found = gather(env);
    gathered.set(env, found);
  }
  return found;
}

async function gather(env: ScenarioContext['env']): Promise<Leftovers> {
  // Hundreds of workflows: one at a time, their round trips alone took most of the canary phase.
  const slot = limiter(HISTORIES_AT_ONCE);
  const histories = await Promise.all(env.workflowIds.map((id) => slot(async () => {
    const history = await env.gateway.temporal.workflow.getHandle(id).fetchHistory();
    expect(history.events?.length ?? 0).toBeGreaterThan(0);
    return JSON.stringify(history);
  })));

  const db = new PgClient({ connectionString: env.gateway.config.DATABASE_URL });
  await db.connect();
  const dumps: string[] = [];
  try {
    const tables = (await db.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'connection_credentials'")).rows.map((r) => r.t);
    for (const t of tables) dumps.push(JSON.stringify((await db.query(`SELECT * FROM "${t}"`)).rows));
  } finally {
    await db.end();
  }
  return { responses: [...env.responses], histories, dumps, logs: env.worker.logs() };
}
