import { objectSpec, type ConnectorDefinition } from '../../../src/connectors/contract';
import { findSandbox } from '../../../sandboxes/registry';
import type { ConformanceFixture, ObjectFixture, ScenarioId, WriteOperation } from '../fixture';
import { capture401Pauses, captureAcrossRestart, capturePauseResume } from './capture-scenario';
import { canarySecrets } from './canary-scenario';
import {
  auth401Midway, auth401Once, cancelMidway, dryRun, invalidRollsBack, lyingDelete, rateLimit429, refusedOperation, restoreAfterDelete, rollbackExact, nestedRollbackExact,
  roundTrip, validationNamesField, verifyUnderStaleRead, type ScenarioContext,
} from './load-scenarios';
import { limiter } from './limit';
import { specConformance } from './spec-scenario';
import { SuiteEnv } from './suite-env';

const OPERATIONS: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];
/** Scenarios running at once: enough to keep the worker busy, few enough for a 2-core machine. */
const SCENARIOS_AT_ONCE = 12;

/**
 * One row of the table. Phases run one after the other, for every connector at once; the scenarios
 * of a phase run side by side, each on a sandbox of its own: 'loads' first, then 'capture' (all
 * capture scenarios share one restart of the worker), then 'canary' (it reads what everything
 * before it left behind).
 */
export interface Scenario {
  id: ScenarioId | `quirk:${string}`;
  knownFailure?: string;
  name: string;
  phase: 'loads' | 'capture' | 'canary';
  object: ObjectFixture;
  run(ctx: ScenarioContext): Promise<void>;
}

function restoredIdsName(object: ObjectFixture): string {
  const declared = object.deleteRollback;
  if (!declared) return '';
  return `, ${declared.id === 'kept' ? 'each under its own' : 'each with a new'} ${declared.idField}${declared.everyField ? ' and every column' : ''} (${declared.why})`;
}

export function tableFor(fixture: ConformanceFixture, hasSpec = false): Scenario[] {
  const primary = fixture.primary;
  const rows: Scenario[] = [];
  for (const object of [primary, ...(fixture.others ?? [])]) {
    for (const op of OPERATIONS) {
      const cannot = object.cannot[op];
      rows.push(cannot === undefined
        ? { id: `round-trip:${op}`, name: `${object.object}: round trip of ${op}, read back`, phase: 'loads', object, run: roundTrip[op] }
        : { id: `round-trip:${op}`, name: `${object.object}: cannot ${op} (${cannot}): the gateway refuses it`, phase: 'loads', object, run: (ctx) => refusedOperation(ctx, op) });
    }
  }
  const on = (id: ScenarioId, name: string, run: Scenario['run'], phase: Scenario['phase'] = 'loads'): Scenario => ({ id, name: `${primary.object}: ${name}`, phase, object: primary, run });
  rows.push(
    on('verify-under-stale-read', 'verify under stale reads still verifies', verifyUnderStaleRead),
    on('lying-delete', 'a delete that answers success but keeps the record fails the record', lyingDelete),
    on('restore-after-delete', `rolling back a delete load brings the records back${restoredIdsName(primary)}`, restoreAfterDelete),
    on('rollback-exact', 'a rollback restores the whole sandbox state exactly', rollbackExact),
    on('cancel-midway', 'cancelled midway, the sandbox is as before', cancelMidway),
    on('auth-401-once', '401: the load fails after exactly one request', auth401Once),
    on('auth-401-midway', '401 midway: stops at attempt 1 and rolls back exactly', auth401Midway),
    on('rate-limit-429', '429 with Retry-After: waited out, the load completes', rateLimit429),
    on('validation-names-field', `the system's refusal fails the record naming ${primary.invalid.field}`, validationNamesField),
    on('invalid-rolls-back', 'by default one refused record rolls the whole load back exactly', invalidRollsBack),
    on('dry-run', 'a dry run plans a field-level diff and writes nothing', dryRun),
    on('capture-pause-resume', 'capture: paused appends nothing, resumed catches up, stopped stays stopped', capturePauseResume),
    on('capture-401-pauses', 'capture: a 401 pauses it after one attempt with the reason; resumed, it goes on', capture401Pauses),
    on('capture-across-restart', `capture across a worker restart: no loss, no duplicates${fixture.capture.tombstones === true ? ', tombstones' : ''}`,
      captureAcrossRestart, 'capture'),
    on('canary-secrets', 'secrets appear in no API answer, history, table or worker log', canarySecrets, 'canary'),
  );
  // Declared on another object too, its rolled-back delete is checked the same way (Zendesk: tickets
  // come back natively, users do not).
  for (const other of (fixture.others ?? []).filter((o) => o.deleteRollback)) {
    rows.push({ id: 'restore-after-delete', name: `${other.object}: rolling back a delete load brings the records back${restoredIdsName(other)}`, phase: 'loads', object: other, run: restoreAfterDelete });
  }
  if (primary.nestedPatch) {
    rows.push(on('nested-rollback-exact', `an update into nested values (${Object.keys(primary.nestedPatch).join(', ')}) verifies and rolls back exactly`, nestedRollbackExact));
  }
  if (hasSpec) rows.push(on('spec-conformance', "every request and answer of every scenario conforms to the system's published API description", specConformance, 'canary'));
  for (const quirk of fixture.quirks ?? []) {
    rows.push({ id: `quirk:${quirk.name}`, name: `quirk: ${quirk.name}`, phase: quirk.phase, object: primary, run: quirk.run, knownFailure: quirk.knownFailure });
  }
  for (const row of rows) row.knownFailure ??= fixture.knownFailures?.[row.id as ScenarioId];
  const only = fixture.variant?.scenarios;
  return only ? rows.filter((row) => only.includes(row.id as ScenarioId)) : rows;
}

export interface Suite {
  connector: ConnectorDefinition;
  fixture: ConformanceFixture;
}

/**
 * The conformance suite: every scenario of the table, for every given connector, against its
 * sandbox, through the REST gateway and the real worker on Temporal. A fixture's knownFailures
 * run as test.failing: they must fail, so a fix is noticed.
 */
export function runConformance(suites: Suite[]): void {
  const tables = suites.map((s) => ({ ...s, table: tableFor(s.fixture, findSandbox(s.connector.id)?.().spec !== undefined) }));
  const outcomes = new Map<Scenario, Promise<void>>();
  let env: SuiteEnv | undefined;
  const timings: string[] = [];

  beforeAll(async () => {
    env = await SuiteEnv.start();
    const started = env;
    const slot = limiter(SCENARIOS_AT_ONCE);
    // Capture scenarios all wait for one shared worker restart while holding their place: a limit
    // on how many run at once would leave the rest queued behind the waiters (once there were
    // more capture scenarios than places, the barrier only broke by timing out).
    const unlimited = <T>(fn: () => Promise<T>) => fn();
    const launch = (phase: Scenario['phase'], after: Promise<unknown>) => Promise.allSettled(tables.flatMap(({ connector, fixture, table }) =>
      table.filter((s) => s.phase === phase).map((s) => {
        const gate = phase === 'capture' ? unlimited : slot;
        const run = after.then(() => gate(async () => {
          const spec = objectSpec(connector, s.object.object);
          if (!spec) throw new Error(`${connector.id} has no object ${s.object.object}`);
          const t0 = Date.now();
          let asked = false;
          const restartWorker = async () => {
            if (s.phase !== 'capture' || asked) throw new Error('only capture-phase scenarios restart the worker, once each');
            asked = true;
            await started.restartWorker();
          };
          try {
            await s.run({ env: started, connector, fixture, object: s.object, spec, restartWorker });
          } finally {
            if (s.phase === 'capture' && !asked) started.skipRestart();
            timings.push(`${connector.id} ${s.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          }
        }));
        run.catch(() => undefined); // reported by the scenario's own test
        outcomes.set(s, run);
        return run;
      })));
    started.expectRestart(tables.flatMap((t) => t.table).filter((s) => s.phase === 'capture').length);
    const loads = launch('loads', Promise.resolve());
    const capture = launch('capture', loads);
    launch('canary', capture);
  });

  afterAll(async () => {
    await Promise.allSettled(outcomes.values());
    if (process.env.CONFORMANCE_TIMINGS) process.stderr.write(`[conformance] ${timings.join('\n[conformance] ')}\n`);
    await env?.stop();
  });

  for (const { connector, fixture, table } of tables) {
    describe(`conformance: ${connector.id}${fixture.variant ? ` (${fixture.variant.name})` : ''}`, () => {
      for (const scenario of table) {
        const known = scenario.knownFailure;
        const name = known ? `${scenario.name} [known failure: ${known}]` : scenario.name;
        (known ? it.failing : it)(name, async () => {
          const outcome = outcomes.get(scenario);
          if (!outcome) throw new Error('the suite did not start (see beforeAll)');
          await outcome;
        }, 900_000); // the scenarios run from beforeAll; this only waits for one to settle
      }
    });
  }
}
