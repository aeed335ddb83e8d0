/**
 * A set of numeric JIRA ids kept compactly in a capture cursor: sorted, each written as the
 * difference to the one before, in base 36 ("2s8,1,1,5"). Issue ids grow with creation, so the
 * differences stay short: about three characters an issue.
 */
export function encodeIds(ids: Iterable<string>): string {
  const sorted = [...new Set(ids)].map(Number).filter((n) => Number.isSafeInteger(n) && n >= 0).sort((a, b) => a - b);
  let previous = 0;
  return sorted.map((n) => {
    const delta = n - previous;
    previous = n;
    return delta.toString(36);
  }).join(',');
}

export function decodeIds(encoded: string): Set<string> {
  const ids = new Set<string>();
  if (encoded === '') return ids;
  let current = 0;
  for (const part of encoded.split(',')) {
    current += parseInt(part, 36);
    ids.add(String(current));
  }
  return ids;
}
