import type { ObjectFixture, Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// JIRA's own behaviour, beyond the table: no undelete (a rollback re-creates issues with new keys),
// no move between projects by edit, and versions refused by JIRA's own date check.
const keyed = (object: ObjectFixture, records: Rec[]) => records.map((r) => ({ [object.naturalKey]: r[object.naturalKey] }));
const versionsOf = (ctx: Parameters<Quirk['run']>[0]): ObjectFixture => ctx.fixture.others!.find((o) => o.object === 'versions')!;

export const jiraQuirks: Quirk[] = [
  {
    name: 'a rolled-back delete re-creates each issue with every field and a new key: JIRA has no undelete and never reuses a key',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [100, 101, 102].map((i) => ctx.object.record(i));
      await sb.seed(ctx.object, records);
      const before = await sb.live(ctx.object);
      const keysBefore = records.map((r) => String(before.get(String(r[ctx.object.naturalKey]))?.key));
      const id = await loads.start('delete', keyed(ctx.object, records));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 3, failed: 0 });
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const after = await sb.live(ctx.object);
      for (const r of records) expect(pick(after.get(String(r[ctx.object.naturalKey])), r)).toEqual(r);
      const keysAfter = records.map((r) => String(after.get(String(r[ctx.object.naturalKey]))?.key));
      expect(keysAfter.filter((k) => keysBefore.includes(k))).toEqual([]);
      expect(keysAfter.every((k) => /^FORGE-\d+$/.test(k))).toBe(true);
    },
  },
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
