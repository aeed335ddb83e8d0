/**
 * FreshBooks stamps accounting resources in US/Eastern wall-clock time, without an offset and to
 * the second ("2020-11-01 13:11:10"; FreshBooks' SDK guides), and searches `updated` by Eastern day.
 * In the hour repeated when daylight saving time ends, a stamp is ambiguous: it is read as the
 * earlier of the two instants.
 */
const eastern = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

function wallClock(ms: number): { text: string; asUtcMs: number } {
  const w = Object.fromEntries(eastern.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    text: `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}:${w.second}`,
    asUtcMs: Date.UTC(Number(w.year), Number(w.month) - 1, Number(w.day), Number(w.hour), Number(w.minute), Number(w.second)),
  };
}

/** Epoch ms of an Eastern wall-clock stamp; undefined when it is not one. */
export function easternStampMs(stamp: unknown): number | undefined {
  const m = typeof stamp === 'string' ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(stamp) : null;
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  // The offset (−5 h or −4 h) depends on the instant: guess standard time, then correct once.
  let instant = wall + 5 * 3_600_000;
  for (let i = 0; i < 2; i++) instant = wall - (wallClock(instant).asUtcMs - instant);
  return instant;
}

/** The Eastern calendar day of an instant, as search[updated_min] takes it (YYYY-MM-DD). */
export function easternDay(ms: number): string {
  return wallClock(ms).text.slice(0, 10);
}
