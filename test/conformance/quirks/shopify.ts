import type { Quirk } from '../fixture';
import { quirkSetUp } from './helpers';

// Shopify's own behaviour, beyond the table (no undelete, a rolled-back delete re-creating each
// product under a new id the load records, is declared in the fixture's deleteRollback): userErrors
// named by the record's field.
// THROTTLED pacing, invalid documents and capture: test/integration/shopify-connector.test.ts.
export const shopifyQuirks: Quirk[] = [
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
