/** One line of `npm run bench`'s table; a blank cell is a figure the part does not measure. */
export interface BenchRow {
  part: string;
  records?: number;
  recordsPerSecond?: number;
  /** records/s over the sequential one-request-per-record baseline measured in the same run. */
  ratioToBaseline?: number;
  /** records/s over what the system's documented limit allows for the same requests. */
  percentOfCeiling?: number;
  /** Largest resident set of any one process while the part ran, by process: "bench 412, postgres 90". */
  peakRss?: string;
  historyEvents?: number;
  /** Capture: events per second into the Stream, and lag p50/p95. */
  captureRate?: number;
  captureLag?: string;
  note?: string;
}

const COLUMNS: Array<[string, (r: BenchRow) => string]> = [
  ['part', (r) => r.part],
  ['records', (r) => (r.records === undefined ? '' : r.records.toLocaleString('en-US'))],
  ['records/s', (r) => (r.recordsPerSecond === undefined ? '' : r.recordsPerSecond.toFixed(0))],
  ['× baseline', (r) => (r.ratioToBaseline === undefined ? '' : `${r.ratioToBaseline.toFixed(2)}×`)],
  ['% of rate limit', (r) => (r.percentOfCeiling === undefined ? '' : `${r.percentOfCeiling.toFixed(1)}%`)],
  ['peak RSS (MiB) per process', (r) => r.peakRss ?? ''],
  ['history events', (r) => (r.historyEvents === undefined ? '' : String(r.historyEvents))],
  ['capture events/s', (r) => (r.captureRate === undefined ? '' : r.captureRate.toFixed(0))],
  ['capture lag p50/p95', (r) => r.captureLag ?? ''],
  ['note', (r) => r.note ?? ''],
];

/** A Markdown table (it goes into the README's Performance section as printed). */
export function formatTable(rows: BenchRow[]): string {
  const cells = [COLUMNS.map(([name]) => name), ...rows.map((r) => COLUMNS.map(([, cell]) => cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
