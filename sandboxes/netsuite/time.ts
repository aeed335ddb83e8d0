/**
 * Dates as NetSuite shows them. The record service speaks ISO 8601 in UTC; SuiteQL renders dates
 * and date-times in the user's time zone and date format preferences (the sandbox: M/D/YYYY, and
 * the account time zone it was started with), and TO_CHAR / TO_DATE work in that time zone too.
 */

/** Wall-clock parts of `epochMs` in `timeZone`. */
export function wallClock(epochMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Epoch ms of a wall-clock time in `timeZone` (the earlier instant when a DST fall-back repeats it). */
export function fromWallClock(wall: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
  const offset = (at: number) => {
    const w = wallClock(at, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
  };
  const first = asUtc - offset(asUtc);
  return asUtc - offset(first);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Oracle-style TO_CHAR format: YYYY MM DD HH24 MI SS and "quoted" literals; other characters as they are. */
export function formatDate(epochMs: number, format: string, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  const tokens: Record<string, string> = { YYYY: pad(w.year, 4), MM: pad(w.month), DD: pad(w.day), HH24: pad(w.hour), MI: pad(w.minute), SS: pad(w.second) };
  return format.replace(/"([^"]*)"|YYYY|HH24|MM|DD|MI|SS/g, (token, literal: string | undefined) => literal ?? tokens[token]);
}

/** Oracle-style TO_DATE: parses `text` by `format` (same tokens) in `timeZone`; undefined when it does not match. */
export function parseDate(text: string, format: string, timeZone: string): number | undefined {
  const fields: string[] = [];
  const pattern = format.replace(/"([^"]*)"|YYYY|HH24|MM|DD|MI|SS|([.*+?^${}()|[\]\\])/g, (token, literal: string | undefined, special: string | undefined) => {
    if (literal !== undefined) return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (special !== undefined) return `\\${special}`;
    fields.push(token);
    return token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
  });
  const match = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!match) return undefined;
  const value = (name: string) => { const i = fields.indexOf(name); return i < 0 ? undefined : Number(match[i + 1]); };
  const year = value('YYYY');
  if (year === undefined) return undefined;
  return fromWallClock({ year, month: value('MM') ?? 1, day: value('DD') ?? 1, hour: value('HH24'), minute: value('MI'), second: value('SS') }, timeZone);
}

/** The default SuiteQL rendering of a date or date-time column: M/D/YYYY in the account time zone. */
export function defaultDateFormat(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${w.month}/${w.day}/${w.year}`;
}

/** The record service's date-time: ISO 8601, UTC, whole seconds. */
export function isoSeconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}
