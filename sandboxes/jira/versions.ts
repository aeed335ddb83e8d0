import { json, type HandlerContext, type Reply, type Route, type StoredRecord } from '../kit';
import { errorCollection, fieldErrors } from './errors';
import { asObject } from './issue-fields';
import { projectByKeyOrId } from './site';

/**
 * Project versions (JIRA Cloud platform REST API v3):
 *   GET    /rest/api/3/project/{projectIdOrKey}/versions  getProjectVersions (all, unpaged)
 *   POST   /rest/api/3/version                            createVersion      201
 *   GET    /rest/api/3/version/{id}                       getVersion
 *   PUT    /rest/api/3/version/{id}                       updateVersion      200
 *   DELETE /rest/api/3/version/{id}                       deleteVersion      204
 * A version name is unique within its project, ignoring case; dates are `yyyy-MM-dd`.
 */
export const VERSIONS = 'versions';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAME_MAX = 255;
const DESCRIPTION_MAX = 16384;
const WRITABLE = ['name', 'projectId', 'description', 'releaseDate', 'startDate', 'released', 'archived'];

export function presentVersion(record: StoredRecord, baseUrl: string): Record<string, unknown> {
  const f = record.fields;
  return {
    self: `${baseUrl}/rest/api/3/version/${record.id}`,
    id: record.id,
    ...(f.description !== undefined && f.description !== null ? { description: f.description } : {}),
    name: f.name,
    archived: f.archived === true,
    released: f.released === true,
    ...(typeof f.startDate === 'string' ? { startDate: f.startDate } : {}),
    ...(typeof f.releaseDate === 'string' ? { releaseDate: f.releaseDate } : {}),
    projectId: Number(f.projectId),
  };
}

export function versionRoutes(): Route[] {
  const notFound = (id: string): Reply => errorCollection(404, [`Could not find version for id '${id}'`]);
  const check = (ctx: HandlerContext, input: Record<string, unknown>, current?: StoredRecord): { errors: Record<string, string> } | { fields: Record<string, unknown> } => {
    const errors: Record<string, string> = {};
    const fields: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(input)) {
      if (['id', 'self', 'project', 'overdue', 'userReleaseDate', 'userStartDate', 'expand', 'moveUnfixedIssuesTo'].includes(name)) continue;
      if (!WRITABLE.includes(name)) errors[name] = `Unrecognized field "${name}"`;
      else fields[name] = value;
    }
    const projectId = current ? current.fields.projectId : fields.projectId;
    if (current && fields.projectId !== undefined && String(fields.projectId) !== String(current.fields.projectId)) errors.projectId = 'The version cannot be moved to another project.';
    if (!current && !projectByKeyOrId(String(projectId ?? ''))) errors.projectId = 'You must specify a valid project.';
    const name = fields.name ?? current?.fields.name;
    if (typeof name !== 'string' || name.trim() === '') errors.name = 'You must specify a valid version name';
    else if (name.length > NAME_MAX) errors.name = `The version name must not exceed ${NAME_MAX} characters.`;
    else if (duplicateName(ctx, String(projectId), name, current?.id)) errors.name = 'A version with this name already exists in this project.';
    for (const date of ['releaseDate', 'startDate']) {
      const value = fields[date];
      if (value !== undefined && value !== null && !(typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)))) {
        errors[date] = 'Invalid date format. Please enter the date in the format "yyyy-MM-dd".';
      }
    }
    if (typeof fields.description === 'string' && fields.description.length > DESCRIPTION_MAX) errors.description = `The description must not exceed ${DESCRIPTION_MAX} characters.`;
    for (const flag of ['released', 'archived']) {
      if (fields[flag] !== undefined && typeof fields[flag] !== 'boolean') errors[flag] = `Operation value must be a boolean`;
    }
    if (fields.projectId !== undefined) fields.projectId = Number(fields.projectId);
    return Object.keys(errors).length > 0 ? { errors } : { fields };
  };

  return [
    {
      method: 'GET', path: '/rest/api/3/project/:projectIdOrKey/versions',
      handle: (req, ctx) => {
        const project = projectByKeyOrId(req.params.projectIdOrKey);
        if (!project) return errorCollection(404, [`No project could be found with key '${req.params.projectIdOrKey}'.`]);
        const versions = ctx.records.list(VERSIONS).filter((v) => String(v.fields.projectId) === project.id);
        return json(200, versions.map((v) => presentVersion(v, ctx.baseUrl)));
      },
    },
    {
      method: 'POST', path: '/rest/api/3/version',
      handle: (req, ctx) => {
        const checked = check(ctx, asObject(req.body));
        if ('errors' in checked) return fieldErrors(checked.errors);
        const created = ctx.records.insert(VERSIONS, { fields: { archived: false, released: false, ...checked.fields } });
        return json(201, presentVersion(created, ctx.baseUrl));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/version/:id',
      handle: (req, ctx) => {
        const version = ctx.records.read(VERSIONS, req.params.id);
        return version ? json(200, presentVersion(version, ctx.baseUrl)) : notFound(req.params.id);
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/version/:id',
      handle: (req, ctx) => {
        const current = ctx.records.latest(VERSIONS, req.params.id);
        if (!current) return notFound(req.params.id);
        const checked = check(ctx, asObject(req.body), current);
        if ('errors' in checked) return fieldErrors(checked.errors);
        return json(200, presentVersion(ctx.records.update(VERSIONS, current.id, checked.fields)!, ctx.baseUrl));
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/version/:id',
      handle: (req, ctx): Reply => {
        if (!ctx.records.latest(VERSIONS, req.params.id)) return notFound(req.params.id);
        ctx.records.remove(VERSIONS, req.params.id);
        return { status: 204 };
      },
    },
  ];
}

function duplicateName(ctx: HandlerContext, projectId: string, name: string, except: string | undefined): boolean {
  const wanted = name.trim().toLowerCase();
  return ctx.records.findLatest(VERSIONS, (v) => v.id !== except && String(v.fields.projectId) === projectId
    && String(v.fields.name).trim().toLowerCase() === wanted) !== undefined;
}
