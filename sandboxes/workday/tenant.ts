import { createHash } from 'node:crypto';

/**
 * The sandbox tenant's fixed setup: what an implementer configures once and integrations only
 * refer to (pay components, currencies). Workers are records of the state (seeded through the admin API).
 */
export const SANDBOX_TENANT = 'forgeworks_sbx';

/** A Workday ID: 32 hexadecimal digits, derived from what it names so a sandbox's ids are stable. */
export function workdayId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

export interface Reference {
  id: string;
  descriptor: string;
}

export const PAY_COMPONENTS: Reference[] = [
  { id: workdayId('payComponent/BONUS'), descriptor: 'Bonus' },
  { id: workdayId('payComponent/COMMISSION'), descriptor: 'Commission' },
  { id: workdayId('payComponent/OVERTIME'), descriptor: 'Overtime Premium' },
];

export const CURRENCIES: Reference[] = [
  { id: workdayId('currency/USD'), descriptor: 'USD' },
  { id: workdayId('currency/EUR'), descriptor: 'EUR' },
];
