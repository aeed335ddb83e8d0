import type { Quirk } from '../fixture';
import { quirkSetUp } from './helpers';

// Shopify's own behaviour, beyond the table: no undelete (a rolled-back delete is a re-created
// product with a new id, recorded on the load), and userErrors named by the record's field.
// THROTTLED pacing, invalid documents and capture: test/integration/shopify-connector.test.ts.
export const shopifyQuirks: Quirk[] = [
  {
    name: 'rolling back a product delete re-creates each product with a new id (and new variant ids), recorded on its load record',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [ctx.object.record(0), ctx.object.record(1)];
      await sb.seed(ctx.object, records);
      const formerIds = [...(await sb.live(ctx.object)).values()].map((p) => String(p.id));
      const id = await loads.start('delete', records.map((r) => ({ handle: r.handle })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 2, failed: 0 });
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const live = await sb.live(ctx.object);
      const rows = await loads.records(id) as Array<{ key: string; status: string; id?: string; rollbackNote?: string }>;
      for (const row of rows) {
        const now = live.get(row.key)!;
        expect(row).toMatchObject({ status: 'rolled_back', id: now.id });
        expect(formerIds).not.toContain(now.id);
        expect(row.rollbackNote).toMatch(new RegExp(`re-created with new id ${now.id} \\(was gid://shopify/Product/\\d+\\)`));
        const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = now;
        expect(fields).toEqual({ ...records.find((r) => r.handle === row.key) });
      }
    },
  },
  {
    name: 'a refused variant fails its product naming variants (userErrors path input.variants.1.price); the others load',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const good = ctx.object.record(0);
      const bad = ctx.object.record(1);
      const variants = bad.variants as Array<{ optionValues: unknown; price: string; sku: string }>;
      const refused = { ...bad, variants: [variants[0], { ...variants[1], price: '-5.00' }] };
      const id = await loads.start('create', [good, refused], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ created: 1, failed: 1 });
      const [failed] = await loads.records(id, 'failed');
      expect(failed.errors).toEqual([{ field: 'variants', message: expect.stringMatching(/variants\.1\.price.*INVALID_VARIANT/) }]);
      expect([...(await sb.live(ctx.object)).keys()]).toEqual([good.handle]);
    },
  },
];
