import { invalidArgument } from './errors';

/**
 * A1 notation (developers.google.com/sheets/api/guides/concepts#cell): `Sheet1`, `Sheet1!A1:D5`,
 * `'My Sheet'!A:D`, `Sheet1!2:7`. Rows are 1-based; columns 0-based here; open ends are undefined.
 */
export interface A1Range {
  sheet: string;
  startRow?: number;
  endRow?: number;
  startColumn?: number;
  endColumn?: number;
}

const RANGE = /^(?:'((?:[^']|'')+)'|([^!']+))(?:!([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?)?$/;

export function parseA1(text: string): A1Range {
  const m = RANGE.exec(text);
  if (!m) throw invalidArgument(`Unable to parse range: ${text}`);
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '');
  const [, , , c1, r1, c2, r2] = m;
  const single = m[5] === undefined && m[6] === undefined;
  return {
    sheet,
    ...(r1 ? { startRow: Number(r1) } : {}),
    ...(c1 ? { startColumn: columnIndex(c1) } : {}),
    ...(single ? (r1 ? { endRow: Number(r1) } : {}) : r2 ? { endRow: Number(r2) } : {}),
    ...(single ? (c1 ? { endColumn: columnIndex(c1) } : {}) : c2 ? { endColumn: columnIndex(c2) } : {}),
  };
}

/** 'A' -> 0, 'Z' -> 25, 'AA' -> 26. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A sheet name as A1 notation needs it: quoted when it has anything but letters, digits and _. */
export function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function formatA1(sheet: string, startRow: number, endRow: number, startColumn: number, endColumn: number): string {
  return `${quoteSheet(sheet)}!${columnLetters(startColumn)}${startRow}:${columnLetters(endColumn)}${endRow}`;
}
