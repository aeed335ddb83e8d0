import type { Quirk } from '../fixture';

export const shopifyQuirks: Quirk[] = [];
