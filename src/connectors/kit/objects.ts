import { ConnectorError } from '../../platform/errors';
import type { ObjectSpec } from '../../platform/object-spec';
import type { WriteOperation } from '../../platform/records';

export interface ObjectCatalog {
  /** The object's spec, or a permanent error naming the objects there are. */
  spec(name: string): ObjectSpec;
  /** The spec, after checking that the object supports `operation`. */
  requireOperation(name: string, operation: WriteOperation): ObjectSpec;
}

/** Looks objects up by name: the declared ones, then the system's custom objects (if it has any). */
export function objectCatalog(system: string, objects: ObjectSpec[], custom?: (name: string) => ObjectSpec | undefined): ObjectCatalog {
  const byName = new Map(objects.map((o) => [o.name, o]));
  const spec = (name: string): ObjectSpec => {
    const found = byName.get(name) ?? custom?.(name);
    if (found) return found;
    throw new ConnectorError({
      kind: 'permanent',
      system,
      fields: [{ field: 'object', message: `unknown object ${name}` }],
      message: `${system} has no object ${JSON.stringify(name)}: objects are ${objects.map((o) => o.name).join(', ')}${custom ? ' (and custom objects)' : ''}`,
    });
  };
  return {
    spec,
    requireOperation(name, operation) {
      const found = spec(name);
      if (found.operations.includes(operation)) return found;
      const supported = found.operations.length > 0 ? `it supports ${found.operations.join(', ')}` : 'it is read-only through this connector';
      throw new ConnectorError({
        kind: 'permanent',
        system,
        fields: [{ field: 'operation', message: `${name} does not support ${operation}: ${supported}` }],
        message: `${system} ${name} does not support ${operation}: ${supported}`,
      });
    },
  };
}

/**
 * A system's own descriptions of its objects (paths, wrappers, keys, each with its ObjectSpec),
 * looked up by object name with objectCatalog's error for an unknown one.
 */
export function describedObjects<T extends { spec: ObjectSpec }>(system: string, described: readonly T[]): (name: string) => T {
  const byName = new Map(described.map((d) => [d.spec.name, d]));
  const catalog = objectCatalog(system, described.map((d) => d.spec));
  return (name) => byName.get(catalog.spec(name).name)!;
}
