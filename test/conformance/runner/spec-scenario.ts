import { checkAgainstSpecInBackground, specExchanges, unexplained } from '../../helpers/spec-check';
import { limiter } from './limit';
import type { ScenarioContext } from './load-scenarios';

/** Exchanges kept per kind of request (method, path with its ids blanked, status): enough to see every shape. */
const PER_KIND = 10;

/**
 * One check at a time, as when they blocked the suite: each is a node process parsing a description,
 * and eight at once would take both cores from the other canary scenarios.
 */
const oneCheckAtATime = limiter(1);

/**
 * Every request the connector sent to its sandbox in every scenario, and every answer, held against
 * the system's published API description (../shared/specs): what the description does not account
 * for must be a deviation the sandbox's spec source lists with its reason.
 */
export async function specConformance(ctx: ScenarioContext): Promise<void> {
  const mine = ctx.env.sandboxes.filter((s) => s.connector === ctx.fixture.connector);
  const source = mine[0]?.sandbox.definition.spec;
  if (!source) throw new Error(`the ${ctx.fixture.connector} sandbox declares no published description`);
  const kinds = new Map<string, number>();
  const recorded = mine.flatMap((s) => s.sandbox.exchanges()).filter((x) => {
    const kind = `${x.method} ${x.path.replace(/[^/]*\d[^/]*/g, ':id')} ${x.status}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    return (kinds.get(kind) ?? 0) <= PER_KIND;
  });
  const exchanges = specExchanges(source, recorded);
  expect(exchanges.length).toBeGreaterThan(10);
  const verdicts = await oneCheckAtATime(() => checkAgainstSpecInBackground(ctx.fixture.connector, exchanges));
  expect(verdicts).toHaveLength(exchanges.length);
  expect(unexplained(source, verdicts)).toEqual([]);
}
