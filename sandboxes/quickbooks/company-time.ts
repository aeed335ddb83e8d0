/**
 * QuickBooks stamps MetaData times in the company's time zone with its offset
 * ("2015-07-24T10:33:39-07:00"), to the second. The sandbox company is in US Pacific time.
 */
export const COMPANY_TIME_ZONE = 'America/Los_Angeles';

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: COMPANY_TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

function wallClock(ms: number): Record<string, string> {
  return Object.fromEntries(parts.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** An instant as QuickBooks writes it: company wall-clock time, whole seconds, with the offset. */
export function companyTime(ms: number): string {
  const seconds = Math.floor(ms / 1000) * 1000;
  const w = wallClock(seconds);
  const asUtc = Date.UTC(Number(w.year), Number(w.month) - 1, Number(w.day), Number(w.hour), Number(w.minute), Number(w.second));
  const offsetMinutes = Math.round((asUtc - seconds) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${w.year}-${w.month}-${w.day}T${w.hour}:${w.minute}:${w.second}${offset}`;
}

/** The company's calendar date of an instant (YYYY-MM-DD), for TxnDate defaults. */
export function companyDate(ms: number): string {
  const w = wallClock(ms);
  return `${w.year}-${w.month}-${w.day}`;
}

/** An ISO instant truncated to the second, as QuickBooks compares stamps. */
export function wholeSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000) * 1000;
}
