import { randomUUID } from 'node:crypto';
import { json, ReplyError, type HandlerContext, type Reply, type StoredRecord } from '../kit';
import {
  checkSelect, DELETIONS, entityBySet, etagOf, presentRow, validatePayload, type EntityDef,
} from './entities';
import { duplicateKey, keyNotFound, notFound, odataError, recordExists, versionMismatch } from './errors';
import type { Resource } from './odata';

/**
 * Rows of the Dataverse tables and the writes on them (Create a table row: 204 + OData-EntityId,
 * or 201 with `Prefer: return=representation`; Update and delete table rows: PATCH with If-Match
 * (update only; an ETag that moved is 412), If-None-Match: * (create only), neither (upsert, by
 * primary key or alternate key), DELETE). Every write stamps a rowversion (`versionnumber`, the
 * number in `@odata.etag`: W/"<n>") from one counter per environment; deletes leave a tombstone with
 * their rowversion for change tracking. A changeset passes a journal: each write records how to
 * undo it, so a failing changeset leaves nothing behind.
 */
export const API = '/api/data/v9.2';

export type Journal = Array<() => void>;

export interface WriteHeaders {
  ifMatch?: string;
  ifNoneMatch?: string;
  prefer?: string;
}

function fail(reply: Reply): never {
  throw new ReplyError(reply);
}

export class DataverseTables {
  private version = 1000;

  nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  currentVersion(): number {
    return this.version;
  }

  entity(set: string): EntityDef {
    return entityBySet(set) ?? fail(odataError(404, '0x8006088a', `Resource not found for the segment '${set}'.`));
  }

  /** The row a key names: by GUID, or by the values of one of the table's alternate keys. */
  find(entity: EntityDef, key: NonNullable<Resource['key']>, ctx: HandlerContext, latest: boolean): StoredRecord | undefined {
    if ('id' in key) {
      const found = latest ? ctx.records.latest(entity.entitySet, key.id) : ctx.records.read(entity.entitySet, key.id);
      return found && !found.archived ? found : undefined;
    }
    const columns = Object.keys(key.alternate).sort();
    if (!entity.alternateKeys.some((k) => [...k].sort().join() === columns.join())) {
      fail(odataError(400, '0x80060888', `The key attribute(s) ${columns.join(', ')} are not defined as an alternate key of the ${entity.logicalName} entity.`));
    }
    const match = (r: Readonly<StoredRecord>) => !r.archived
      && columns.every((c) => String(r.fields[c] ?? '').toLowerCase() === String(key.alternate[c]).toLowerCase());
    return latest ? ctx.records.findLatest(entity.entitySet, match) : ctx.records.find(entity.entitySet, match);
  }

  /** Alternate keys are unique (case-insensitively, as Dataverse's collation compares). */
  private checkKeys(entity: EntityDef, fields: Record<string, unknown>, ctx: HandlerContext, exceptId?: string): void {
    for (const key of entity.alternateKeys) {
      if (key.some((c) => fields[c] === undefined || fields[c] === null)) continue;
      const taken = ctx.records.findLatest(entity.entitySet, (r) => !r.archived && r.id !== exceptId
        && key.every((c) => String(r.fields[c] ?? '').toLowerCase() === String(fields[c]).toLowerCase()));
      if (taken) fail(duplicateKey(key.map((c) => entity.columns.find((col) => col.name === c)?.display ?? c).join(', ')));
    }
  }

  private entityUrl(ctx: HandlerContext, entity: EntityDef, id: string): string {
    return `${ctx.baseUrl}${API}/${entity.entitySet}(${id})`;
  }

  private answer(ctx: HandlerContext, entity: EntityDef, record: StoredRecord, created: boolean, prefer: string | undefined): Reply {
    const headers = { 'odata-version': '4.0', 'odata-entityid': this.entityUrl(ctx, entity, record.id), etag: etagOf(record) };
    if (prefer && /return=representation/i.test(prefer)) {
      return json(created ? 201 : 200, { '@odata.context': `${ctx.baseUrl}${API}/$metadata#${entity.entitySet}/$entity`, ...presentRow(entity, record) },
        { ...headers, 'preference-applied': 'return=representation' });
    }
    return { status: 204, headers };
  }

  create(entity: EntityDef, body: unknown, ctx: HandlerContext, headers: WriteHeaders, journal?: Journal, keyValues: Record<string, unknown> = {}): Reply {
    const fields = { ...validatePayload(entity, body, { allowPrimaryKey: true }), ...keyValues };
    const id = typeof fields[entity.primaryKey] === 'string' ? String(fields[entity.primaryKey]) : randomUUID();
    delete fields[entity.primaryKey];
    if (ctx.records.latest(entity.entitySet, id)) fail(recordExists());
    this.checkKeys(entity, fields, ctx);
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
    const record = ctx.records.insert(entity.entitySet, { id, fields: { ...set, versionnumber: this.nextVersion() } });
    journal?.push(() => { ctx.records.remove(entity.entitySet, record.id); });
    return this.answer(ctx, entity, record, true, headers.prefer);
  }

  private update(entity: EntityDef, current: StoredRecord, body: unknown, ctx: HandlerContext, headers: WriteHeaders, journal?: Journal): Reply {
    const fields = validatePayload(entity, body, { allowPrimaryKey: false });
    this.checkKeys(entity, { ...current.fields, ...fields }, ctx, current.id);
    // A column set to null is stored as empty (the Web API shows both as null).
    const patch = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null ? undefined : v]));
    const record = ctx.records.update(entity.entitySet, current.id, { ...patch, versionnumber: this.nextVersion() })!;
    journal?.push(() => {
      const names = new Set([...Object.keys(record.fields), ...Object.keys(current.fields)]);
      const undo: Record<string, unknown> = Object.fromEntries([...names].map((name) => [name, current.fields[name]]));
      ctx.records.update(entity.entitySet, current.id, undo);
    });
    return this.answer(ctx, entity, record, false, headers.prefer);
  }

  /** PATCH: update (If-Match), create (If-None-Match: *) or upsert (neither). */
  patch(resource: Resource, body: unknown, ctx: HandlerContext, headers: WriteHeaders, journal?: Journal): Reply {
    const entity = this.entity(resource.entitySet);
    if (!resource.key) fail(odataError(405, '0x80060888', 'PATCH needs a key: the collection cannot be updated.'));
    const current = this.find(entity, resource.key, ctx, true);
    if (headers.ifMatch) {
      if (!current) fail('id' in resource.key ? notFound(entity.logicalName, resource.key.id) : keyNotFound(entity.logicalName));
      if (headers.ifMatch !== '*' && headers.ifMatch !== etagOf(current)) fail(versionMismatch());
      return this.update(entity, current, body, ctx, headers, journal);
    }
    if (current) {
      if (headers.ifNoneMatch === '*') fail(odataError(412, '0x80040237', 'A record with matching key values already exists.'));
      return this.update(entity, current, body, ctx, headers, journal);
    }
    const keyValues = 'id' in resource.key ? { [entity.primaryKey]: resource.key.id } : resource.key.alternate;
    return this.create(entity, body, ctx, headers, journal, keyValues);
  }

  remove(resource: Resource, ctx: HandlerContext, headers: WriteHeaders, journal?: Journal): Reply {
    const entity = this.entity(resource.entitySet);
    if (!resource.key) fail(odataError(405, '0x80060888', 'DELETE needs a key: the collection cannot be deleted.'));
    const current = this.find(entity, resource.key, ctx, true);
    if (!current) fail('id' in resource.key ? notFound(entity.logicalName, resource.key.id) : keyNotFound(entity.logicalName));
    if (headers.ifMatch && headers.ifMatch !== '*' && headers.ifMatch !== etagOf(current)) fail(versionMismatch());
    ctx.records.remove(entity.entitySet, current.id);
    if (!ctx.records.latest(entity.entitySet, current.id)) {
      const tombstone = ctx.records.insert(DELETIONS, { fields: { entitySet: entity.entitySet, recordId: current.id, versionnumber: this.nextVersion() } });
      journal?.push(() => {
        ctx.records.remove(DELETIONS, tombstone.id);
        ctx.records.insert(entity.entitySet, { id: current.id, createdAt: current.createdAt, updatedAt: current.updatedAt, fields: current.fields });
      });
    }
    return { status: 204, headers: { 'odata-version': '4.0' } };
  }

  retrieve(resource: Resource, select: string[], ctx: HandlerContext): Reply {
    const entity = this.entity(resource.entitySet);
    checkSelect(entity, select);
    const found = this.find(entity, resource.key!, ctx, false);
    if (!found) fail('id' in resource.key! ? notFound(entity.logicalName, resource.key.id) : keyNotFound(entity.logicalName));
    const context = `${ctx.baseUrl}${API}/$metadata#${entity.entitySet}${select.length ? `(${select.join(',')})` : ''}/$entity`;
    return json(200, { '@odata.context': context, ...presentRow(entity, found, select) }, { 'odata-version': '4.0', etag: etagOf(found) });
  }
}

export const WHO_AM_I = { BusinessUnitId: '5e1c2d8e-0000-4000-8000-00000000b001', UserId: '5e1c2d8e-0000-4000-8000-00000000a001', OrganizationId: '5e1c2d8e-0000-4000-8000-00000000c001' };
