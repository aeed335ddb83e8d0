import { z } from 'zod';
import { objectSpec, writeOperations, type ConnectorDefinition, type ObjectSpec } from '../../connectors/contract';
import { DEFAULT_ROLLBACK_WINDOW_SECONDS, MAX_ROLLBACK_WINDOW_SECONDS, type LoadOptions } from '../../platform/load/model';
import type { FieldProblem } from '../errors/api-error';

export const MAX_RECORDS_PER_LOAD = 100_000;

const record = z.record(z.string(), z.unknown());

export const createLoadBody = z.object({
  connectionId: z.string().min(1),
  object: z.string().min(1),
  operation: z.enum(writeOperations),
  naturalKey: z.string().min(1).optional(),
  records: z.array(record)
    .min(1, { message: 'at least one record is required' })
    .max(MAX_RECORDS_PER_LOAD, { message: `at most ${MAX_RECORDS_PER_LOAD} records per load` }),
  options: z.object({
    dryRun: z.boolean().default(false),
    verify: z.boolean().default(true),
    onError: z.enum(['rollback', 'continue']).default('rollback'),
    rollbackWindowSeconds: z.number().int().min(0).max(MAX_ROLLBACK_WINDOW_SECONDS).default(DEFAULT_ROLLBACK_WINDOW_SECONDS),
  }).strict().prefault({}),
}).strict();

export type CreateLoadBody = z.output<typeof createLoadBody>;

/** A load body checked against the connector's ObjectSpec: what will be stored and run. */
export interface CheckedLoad {
  spec: ObjectSpec;
  naturalKey: string;
  options: LoadOptions;
}

function hasKeyValue(value: unknown): boolean {
  if (typeof value === 'string') return value.trim().length > 0;
  return typeof value === 'number' && Number.isFinite(value);
}

/** What a load asks for, besides its records. */
export interface LoadTarget {
  object: string;
  operation: CreateLoadBody['operation'];
  naturalKey?: string;
  options: LoadOptions;
}

/** Checks the target against what the connector says about the object: object, operation, natural key. */
export function checkTarget(def: ConnectorDefinition, target: LoadTarget): { plan: CheckedLoad } | { problems: FieldProblem[] } {
  const spec = objectSpec(def, target.object);
  if (!spec) {
    const known = def.objects.map((o) => o.name).join(', ');
    return { problems: [{ field: 'object', message: `${def.id} has no object "${target.object}" (known: ${known})` }] };
  }
  const problems: FieldProblem[] = [];
  if (!spec.operations.includes(target.operation)) {
    const supported = spec.operations.length > 0 ? `supports ${spec.operations.join(', ')}` : 'is read-only (no load operations)';
    problems.push({ field: 'operation', message: `${spec.name} ${supported}, not ${target.operation}` });
  }
  const naturalKey = target.naturalKey ?? spec.naturalKeys[0];
  if (naturalKey === undefined) {
    // An object whose keys the connection names (a Snowflake table's config.tables keyColumns).
    problems.push({ field: 'naturalKey', message: `${spec.name} has no default key: name the naturalKey the load is keyed by` });
  } else if (!spec.dynamicFields && !spec.naturalKeys.includes(naturalKey)) {
    problems.push({ field: 'naturalKey', message: `${spec.name} records are identified by ${spec.naturalKeys.join(' or ')}, not ${naturalKey}` });
  }
  if (problems.length > 0) return { problems };
  return { plan: { spec, naturalKey: naturalKey!, options: target.options } };
}

/** The problem with a record's natural key, if any ('the natural key email is missing or empty'). */
export function keyProblem(record: Record<string, unknown>, naturalKey: string): string | undefined {
  return hasKeyValue(record[naturalKey]) ? undefined : `the natural key ${naturalKey} is missing or empty`;
}

/** Checks the body against what the connector says about the object: operation, natural key, keys present. */
export function checkAgainstConnector(def: ConnectorDefinition, body: CreateLoadBody): { plan: CheckedLoad } | { problems: FieldProblem[] } {
  const checked = checkTarget(def, body);
  if ('problems' in checked) return checked;
  const { naturalKey } = checked.plan;
  const problems: FieldProblem[] = [];
  for (let i = 0; i < body.records.length; i++) {
    const problem = keyProblem(body.records[i], naturalKey);
    if (problem) problems.push({ field: `records.${i}.${naturalKey}`, message: problem });
  }
  return problems.length > 0 ? { problems } : checked;
}
