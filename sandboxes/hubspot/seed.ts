import type { NewRecord } from '../kit';
import type { ObjectCatalog } from './objects';
import { normaliseProperties, validateProperties } from './properties';
import { definedOnly } from './request-body';

/**
 * A record given to POST /__sandbox/seed: either HubSpot's shape { id?, properties, createdAt?,
 * updatedAt?, archived?, archivedAt? } or a flat object of property values. The computed properties
 * may be given: hs_object_id sets the id, createdate the creation time, (hs_)lastmodifieddate the
 * modification time. Values are validated like an API write (an invalid seed is refused).
 */
export function hubspotSeedRecord(catalog: ObjectCatalog, object: string, input: Record<string, unknown>): NewRecord {
  const spec = catalog.resolve(object);
  if (!spec) throw new Error(`unknown object ${object}`);
  const nested = input.properties && typeof input.properties === 'object' && !Array.isArray(input.properties);
  const { id, properties, createdAt, updatedAt, archived, archivedAt, ...flat } = input;
  const given: Record<string, unknown> = { ...(nested ? (properties as Record<string, unknown>) : {}), ...flat };
  const computed = ['hs_object_id', 'createdate', ...spec.lastModifiedProperties];
  const pick = (name: string): string | undefined => (given[name] === undefined || given[name] === null ? undefined : String(given[name]));
  const recordId = id !== undefined ? String(id) : pick('hs_object_id');
  const created = typeof createdAt === 'string' ? createdAt : pick('createdate');
  const modified = typeof updatedAt === 'string' ? updatedAt : spec.lastModifiedProperties.map(pick).find((v) => v !== undefined);
  const writable = Object.fromEntries(Object.entries(given).filter(([name]) => !computed.includes(name)));
  const problems = validateProperties(catalog, spec, writable);
  if (problems.length > 0) throw new Error(`invalid ${object} seed: ${problems.map((p) => `${p.propertyName}: ${p.message}`).join('; ')}`);
  return {
    ...(recordId !== undefined ? { id: recordId } : {}),
    ...(created !== undefined ? { createdAt: new Date(created).toISOString() } : {}),
    ...(modified !== undefined ? { updatedAt: new Date(modified).toISOString() } : {}),
    ...(archived === true ? { archived: true, ...(typeof archivedAt === 'string' ? { archivedAt } : {}) } : {}),
    fields: definedOnly(normaliseProperties(spec, writable)),
  };
}
