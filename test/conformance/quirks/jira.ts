import type { ObjectFixture, Quirk } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// JIRA's own behaviour, beyond the table (no undelete, a rollback re-creating issues with new keys,
// is declared in the fixture's deleteRollback): no move between projects by edit, and versions
// refused by JIRA's own date check.
const versionsOf = (ctx: Parameters<Quirk['run']>[0]): ObjectFixture => ctx.fixture.others!.find((o) => o.object === 'versions')!;

export const jiraQuirks: Quirk[] = [
  {
    name: 'an update that would move an issue to another project fails the record naming project.key, and nothing is sent',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const record = ctx.object.record(110);
      await sb.seed(ctx.object, [record]);
      const id = await loads.start('update', [{ [ctx.object.naturalKey]: record[ctx.object.naturalKey], 'project.key': 'OPS', summary: 'Moved?' }], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 1, updated: 0, failed: 1 });
      expect((await loads.records(id, 'failed'))[0].errors?.map((e) => e.field)).toContain('project.key');
      expect(await requestsTo(sb, 'PUT', /^\/rest\/api\/3\/issue\//)).toEqual([]);
      expect(pick((await sb.live(ctx.object)).get(String(record[ctx.object.naturalKey])), record)).toEqual(record);
    },
  },
  {
    name: 'versions: a release date JIRA cannot parse fails that version naming releaseDate; the others are created',
    phase: 'loads',
    async run(ctx) {
      const versions = versionsOf(ctx);
      const { sb, loads } = await quirkSetUp(ctx, versions);
      const valid = [0, 1].map((i) => versions.record(i));
      const id = await loads.start('create', [valid[0], versions.invalid.record, valid[1]], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 3, created: 2, failed: 1 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[1, [versions.invalid.field]]]);
      const live = await sb.live(versions);
      expect([...live.keys()].sort()).toEqual(valid.map((v) => String(v.name)).sort());
    },
  },
];
