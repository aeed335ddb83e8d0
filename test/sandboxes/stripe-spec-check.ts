import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SpecExchange } from '../../sandboxes/kit';
import { checkExchanges, SPECS_DIR } from '../../sandboxes/kit/spec-check/check';
import { stripeSpec } from '../../sandboxes/stripe/spec';

// Reads { specFile, exchanges } as JSON on stdin and prints the kit's verdicts against that Stripe
// description (the pinned version's spec3.json, outside ../shared/specs), read the way the Stripe
// sandbox's SpecSource reads the shared one. Run by stripe-client.ts's checkAgainstStripeVersionSpec.

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(0, 'utf8')) as { specFile: string; exchanges: SpecExchange[] };
  const source = { ...stripeSpec, dir: path.relative(SPECS_DIR, path.dirname(input.specFile)), files: [path.basename(input.specFile)], formats: ['unix-time', 'decimal'] };
  process.stdout.write(JSON.stringify(await checkExchanges(source, input.exchanges)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
