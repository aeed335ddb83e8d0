import fc from 'fast-check';
import { RecordLines } from '../../src/gateway/loads/record-lines';
import { linePositions } from '../../src/gateway/loads/repeated-keys';

/** Lines of a body whose record i is preceded by gaps[i] lines that hold no record (blank, or a CSV cell's). */
function linesAfter(gaps: number[]): number[] {
  let line = 0;
  return gaps.map((gap) => (line += 1 + gap));
}

describe('RecordLines', () => {
  it('gives back the line of every record noted, whatever lines lie between them', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat(3)), { maxLength: 300 }), (gaps) => {
      const lines = linesAfter(gaps);
      const index = new RecordLines();
      lines.forEach((line, i) => index.note(i, line));
      expect(lines.map((_, i) => index.lineOf(i))).toEqual(lines);
    }));
  });

  it('keeps one run for a body of one record a line, however long', () => {
    const index = new RecordLines();
    for (let i = 0; i < 1_000_000; i++) index.note(i, i + 2);
    expect([index.lineOf(0), index.lineOf(999_999)]).toEqual([2, 1_000_001]);
  });

  it('stops keeping runs past its bound: later records have no line, earlier ones keep theirs', () => {
    const lines = linesAfter(Array.from({ length: 250_000 }, () => 1));
    const index = new RecordLines();
    lines.forEach((line, i) => index.note(i, line));
    expect(index.lineOf(99_999)).toBe(lines[99_999]);
    expect(index.lineOf(100_000)).toBeUndefined();
    expect(index.lineOf(249_999)).toBeUndefined();
  });

  it('names records by line while their lines are known, else by position from 1', () => {
    const index = new RecordLines();
    linesAfter(Array.from({ length: 150_000 }, () => 1)).forEach((line, i) => index.note(i, line));
    const csv = linePositions(index, 'email');
    expect([csv.field(4), csv.name([4, 9])]).toEqual(['line 10, column email', { noun: 'lines', numbers: [10, 20] }]);
    expect([csv.field(120_000), csv.name([4, 120_000])]).toEqual(['record 120001', { noun: 'records', numbers: [5, 120_001] }]);
  });
});
