import type { HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import { fail } from './errors';
import { checkVersion, sobjectFromPath } from './request';
import type { FieldSpec, SObjectSpec } from './schema';
import { parseDateTime, salesforceDateTime } from './values';

/**
 * sObject resources: describe (GET /sobjects/{SObject}/describe) and the replication resource
 * getDeleted (GET /sobjects/{SObject}/deleted/?start=&end=), whose answer is
 * { deletedRecords: [{ id, deletedDate }], earliestDateAvailable, latestDateCovered }.
 */
export function sobjectRoutes(): Route[] {
  return [
    { method: 'GET', path: '/services/data/:version/sobjects/:sobject/describe', handle: (req) => describe(req) },
    { method: 'GET', path: '/services/data/:version/sobjects/:sobject/deleted', handle: (req, ctx) => getDeleted(req, ctx) },
  ];
}

function describe(req: SandboxRequest): Reply {
  checkVersion(req);
  const spec = sobjectFromPath(req.params.sobject);
  return { status: 200, body: describeSObject(spec) };
}

export function describeSObject(spec: SObjectSpec): Record<string, unknown> {
  return {
    name: spec.name,
    label: spec.label,
    custom: spec.custom,
    keyPrefix: spec.keyPrefix,
    createable: true,
    updateable: true,
    deletable: true,
    undeletable: true,
    queryable: true,
    replicateable: true,
    fields: spec.fields.map(describeField),
  };
}

function describeField(field: FieldSpec): Record<string, unknown> {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    custom: field.name.endsWith('__c'),
    nillable: !field.required && !field.system,
    createable: !field.system,
    updateable: !field.system,
    externalId: field.externalId === true,
    unique: field.externalId === true,
    idLookup: field.name === 'Id' || field.externalId === true,
    defaultedOnCreate: field.system === true,
    picklistValues: (field.values ?? []).map((value) => ({ active: true, defaultValue: false, label: value, value })),
    referenceTo: field.referenceTo ?? [],
  };
}

/** Deletes are kept for 15 days (the recycle bin); start must not be older. */
const RETENTION_MS = 15 * 24 * 3600_000;

function getDeleted(req: SandboxRequest, ctx: HandlerContext): Reply {
  checkVersion(req);
  const spec = sobjectFromPath(req.params.sobject);
  const start = parseDateTime(req.query.get('start') ?? '');
  const end = parseDateTime(req.query.get('end') ?? '');
  if (Number.isNaN(start) || Number.isNaN(end)) fail(400, 'INVALID_REPLICATION_DATE', 'start and end must be date-times, e.g. 2024-03-01T09:00:00+00:00');
  if (end <= start) fail(400, 'INVALID_REPLICATION_DATE', 'end date must be after the start date');
  const now = ctx.clock.nowMs();
  const earliest = now - RETENTION_MS;
  if (start < earliest) fail(400, 'INVALID_REPLICATION_DATE', `start date is before the earliest date available: ${salesforceDateTime(earliest)}`);
  const latestCovered = Math.min(end, now);
  const deletedRecords = ctx.records.list(spec.name)
    .filter((r) => r.archived && r.archivedAt)
    .map((r) => ({ id: r.id, at: Math.floor(Date.parse(r.archivedAt!) / 1000) * 1000 }))
    .filter((d) => d.at >= start && d.at <= latestCovered)
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .map((d) => ({ id: d.id, deletedDate: salesforceDateTime(d.at) }));
  return {
    status: 200,
    body: { deletedRecords, earliestDateAvailable: salesforceDateTime(earliest), latestDateCovered: salesforceDateTime(latestCovered) },
  };
}
