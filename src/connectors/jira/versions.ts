import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import { sameValue } from '../../platform/load/compare';
import type { Key, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue, writableValues } from '../kit';
import type { JiraApi, Version } from './api';
import { SYSTEM } from './auth';
import { recordErrors } from './errors';
import { VERSION_ID, versionSpec } from './objects';

/** Version requests in flight at once (one version per call). */
export const VERSION_CONCURRENCY = 5;

export function toVersionRecord(version: Version): Rec {
  return {
    id: version.id,
    name: version.name,
    projectId: version.projectId,
    description: version.description ?? null,
    releaseDate: version.releaseDate ?? null,
    startDate: version.startDate ?? null,
    released: version.released === true,
    archived: version.archived === true,
  };
}

/** Every version of the connection's projects. */
export async function listVersions(api: JiraApi, projectKeys: string[]): Promise<Version[]> {
  return (await Promise.all(projectKeys.map((key) => api.projectVersions(key)))).flat();
}

/**
 * Versions by id (getVersion) or by name (the projects' lists; names match ignoring case, as JIRA
 * keeps them unique per project; one name in two of the connection's projects is a conflict).
 */
export async function readVersions(api: JiraApi, projectKeys: string[], keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> {
  if (keyField === VERSION_ID) {
    const unique = [...new Set(keys.map((k) => k.trim()).filter((k) => k !== ''))];
    const found = await mapWithConcurrency(unique, VERSION_CONCURRENCY, (id) => api.version(id));
    const byId = new Map(unique.map((id, i) => [id, found[i]]));
    return new Map(keys.map((key) => [key, versionRecordOrNull(byId.get(key.trim()))]));
  }
  if (keyField !== 'name') {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: 'naturalKey', message: 'versions are found by id or name' }], message: `jira versions cannot be looked up by ${keyField}` });
  }
  const byName = new Map<string, Version[]>();
  for (const version of await listVersions(api, projectKeys)) {
    const name = version.name.trim().toLowerCase();
    byName.set(name, [...(byName.get(name) ?? []), version]);
  }
  return new Map(keys.map((key) => {
    const matches = byName.get(key.trim().toLowerCase()) ?? [];
    if (matches.length > 1) {
      throw new ConnectorError({
        kind: 'conflict', system: SYSTEM,
        fields: [{ field: 'name', message: `versions ${matches.map((v) => v.id).join(', ')} of different projects are all named ${key}` }],
        message: `jira has ${matches.length} versions named ${key} in the connection's projects: name one project per connection to key versions by name`,
      });
    }
    return [key, versionRecordOrNull(matches[0])];
  }));
}

function versionRecordOrNull(version: Version | null | undefined): Rec | null {
  return version ? toVersionRecord(version) : null;
}

/** One createVersion or updateVersion per record; upsert finds the version first. */
export async function writeVersions(api: JiraApi, projectKeys: string[], op: Exclude<WriteOperation, 'delete'>, keyField: string,
  records: Rec[]): Promise<RecordResult[]> {
  const keys = records.map((r) => keyValue(r, keyField));
  const current = op === 'create' ? new Map<Key, Rec | null>() : await readVersions(api, projectKeys, keyField, keys.filter((k) => k !== ''));
  return mapWithConcurrency(records, VERSION_CONCURRENCY, async (record, index): Promise<RecordResult> => {
    const key = keys[index];
    const existing = current.get(key) ?? null;
    const fail = (field: string, message: string): RecordResult => ({ index, key, outcome: 'failed', errors: [{ field, message }] });
    if (keyField === VERSION_ID && op !== 'update') return fail(keyField, `JIRA assigns version ids: ${op} versions by name`);
    if (op !== 'create' && key === '') return fail(keyField, `${keyField} is required to ${op} a version`);
    if (op === 'update' && !existing) return fail(keyField, `no version with ${keyField} ${key}`);
    if (existing && record.projectId !== undefined && !sameValue(record.projectId, existing.projectId)) {
      return fail('projectId', `version ${String(existing.id)} belongs to project ${String(existing.projectId)}: a version cannot move to another project`);
    }
    try {
      if (existing) {
        const values = writableValues(versionSpec, record);
        delete values.projectId;
        const updated = await api.updateVersion(String(existing.id), values);
        return { index, key, id: updated.id, outcome: 'updated' };
      }
      const created = await api.createVersion(writableValues(versionSpec, record));
      return { index, key: key || created.name, id: created.id, outcome: 'created' };
    } catch (err) {
      const errors = recordErrors(err);
      if (errors) return { index, key, outcome: 'failed', errors };
      throw err;
    }
  });
}
