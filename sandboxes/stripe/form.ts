/**
 * Stripe's form encoding, read back: `metadata[plan]=pro&items[0][price]=p` becomes
 * { metadata: { plan: 'pro' }, items: [{ price: 'p' }] }. Objects whose keys are all indices
 * become arrays, as Stripe reads them.
 */
export type Params = Record<string, unknown>;

export function nestParams(flat: Record<string, string>): Params {
  const root: Params = {};
  for (const [name, value] of Object.entries(flat)) {
    const path = parseName(name);
    let node: Params = root;
    path.forEach((segment, i) => {
      if (i === path.length - 1) {
        node[segment] = value;
        return;
      }
      const child = node[segment];
      if (typeof child !== 'object' || child === null) node[segment] = {};
      node = node[segment] as Params;
    });
  }
  return arraysFromIndices(root) as Params;
}

function parseName(name: string): string[] {
  const head = /^[^[]*/.exec(name)?.[0] ?? name;
  const rest = [...name.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  return [head, ...rest];
}

function arraysFromIndices(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Params).map(([k, v]) => [k, arraysFromIndices(v)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

/** The request's parameters: the form body for POST, the query string otherwise. */
export function paramsOf(body: unknown, query: URLSearchParams): Params {
  if (body && typeof body === 'object' && !Array.isArray(body)) return nestParams(body as Record<string, string>);
  return nestParams(Object.fromEntries(query));
}
