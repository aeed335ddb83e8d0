import type { Rec } from '../../platform/records';

/**
 * Records are flat (DESIGN.md): systems that nest objects (QuickBooks' PrimaryEmailAddr.Address,
 * FreshBooks' unit_cost.amount) are read as dotted fields, the names their errors use, and nested
 * again to be written. Arrays are values of their own (invoice lines) and stay whole.
 */
export function toDottedFields(value: Record<string, unknown>): Rec {
  const record: Rec = {};
  const visit = (prefix: string, child: unknown): void => {
    if (isPlainObject(child) && Object.keys(child).length > 0) for (const [key, grandchild] of Object.entries(child)) visit(`${prefix}.${key}`, grandchild);
    else record[prefix] = child;
  };
  for (const [key, child] of Object.entries(value)) visit(key, child);
  return record;
}

/** Dotted fields as nested objects again: { 'unit_cost.amount': '5' } → { unit_cost: { amount: '5' } }. */
export function fromDottedFields(flat: Rec): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const path = name.split('.');
    let node = nested;
    for (const segment of path.slice(0, -1)) {
      if (!isPlainObject(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return nested;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
