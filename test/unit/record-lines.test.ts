import fc from 'fast-check';
import { RecordLines } from '../../src/gateway/loads/record-lines';

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
});
