/**
 * FreshBooks' accounting resources stamp times in US/Eastern wall-clock time without an offset
 * ("2020-11-01 13:11:10"; see the FreshBooks SDKs' notes on dates), to the second.
 */
const eastern = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export function easternTime(ms: number): string {
  const w = Object.fromEntries(eastern.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}:${w.second}`;
}

export function easternDate(ms: number): string {
  return easternTime(ms).slice(0, 10);
}
