/**
 * JQL dates have minute precision and are read in the API user's profile time zone
 * (support.atlassian.com, "JQL fields: Updated": "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm"). This
 * writes an instant as that wall-clock minute, rounded down: a query `updated >= "<minute>"` then
 * includes the instant itself.
 */
export function jqlMinute(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
