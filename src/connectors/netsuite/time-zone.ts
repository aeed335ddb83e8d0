/**
 * SuiteQL shows and reads date-times as wall-clock text in the user's time zone preference
 * (TO_CHAR / TO_DATE with 'YYYY-MM-DD HH24:MI:SS'); the record service speaks UTC. These convert.
 */
export const SUITEQL_DATETIME = 'YYYY-MM-DD HH24:MI:SS';

function wallParts(epochMs: number, timeZone: string): number[] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs));
  return ['year', 'month', 'day', 'hour', 'minute', 'second'].map((type) => Number(parts.find((p) => p.type === type)?.value ?? 0));
}

/** 'YYYY-MM-DD HH:MM:SS' of `epochMs` (whole seconds) in `timeZone`. */
export function toWallClock(epochMs: number, timeZone: string): string {
  const [y, mo, d, h, mi, s] = wallParts(epochMs, timeZone).map((n) => String(n).padStart(2, '0'));
  return `${y.padStart(4, '0')}-${mo}-${d} ${h}:${mi}:${s}`;
}

/**
 * Epoch ms of a 'YYYY-MM-DD HH:MM:SS' wall-clock text in `timeZone`; undefined when unreadable.
 * In the hour a daylight-saving change repeats, the earlier instant.
 */
export function fromWallClock(text: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (at: number) => {
    const [y, mo, d, h, mi, s] = wallParts(at, timeZone);
    return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(at / 1000) * 1000;
  };
  return asUtc - offset(asUtc - offset(asUtc));
}

/** The record service's date-time form: ISO 8601, UTC, whole seconds. */
export function isoSeconds(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
