/** Runs kept at most: about 1.6 MB, whatever the body's size. */
const MAX_RUNS = 100_000;

/**
 * The line each record of a streamed body is named by (as readRecords names it: a CSV record
 * spanning lines by its last), so that a check made after the records are stored, in Postgres,
 * can name lines. Lines follow records one for one except around blank lines (NDJSON) and cells
 * spanning lines (CSV), so only the runs where `line - index` stays the same are kept. A body with
 * more runs than MAX_RUNS keeps the first ones: the lines of later records are then unknown.
 */
export class RecordLines {
  private readonly runStarts: number[] = [];
  private readonly runOffsets: number[] = [];
  private knownBelow = Infinity;

  /** Records that record `index` (0-based, in body order) is on `line`; indexes come in order. */
  note(index: number, line: number): void {
    const offset = line - index;
    if (this.runOffsets.at(-1) === offset || index >= this.knownBelow) return;
    if (this.runStarts.length === MAX_RUNS) {
      this.knownBelow = index;
      return;
    }
    this.runStarts.push(index);
    this.runOffsets.push(offset);
  }

  /** The line of record `index`, or undefined when it was not kept. */
  lineOf(index: number): number | undefined {
    if (index >= this.knownBelow || this.runStarts.length === 0 || index < this.runStarts[0]) return undefined;
    let low = 0;
    let high = this.runStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.runStarts[mid] <= index) low = mid;
      else high = mid - 1;
    }
    return index + this.runOffsets[low];
  }
}
