import { basicAuth, replyForStatus, startSandbox, type HandlerContext, type NewRecord, type Reply, type RunningSandbox, type SandboxDefinition, type SandboxOptions, type SandboxRequest } from '../kit';
import { sage300Catalog, sage300CatalogDifferences } from './catalog';
import { utc, type Entity } from '../kit/odata-filter';
import { entityOf, findResource, labelOf, listCollection, odataError, parseSegment, refusal, resources, type Resource } from './resources';

/**
 * The Sage 300 sandbox: the Sage 300 Web API (OData v4, JSON) for one company, AR/ARCustomers and
 * IC/ICItems, HTTP Basic. README.md lists the pages followed.
 * Vendor documentation followed: https://raw.githubusercontent.com/SageNADev/Sage300-SDK/master/docs/webapi/Sage300SDK_DeveloperReference.docx (and the pages README.md lists).
 */
export const API_ROOT = '/Sage300WebApi/v1.0/-';

export interface Sage300SandboxOptions {
  username?: string;
  password?: string;
  company?: string;
  /** Entities a collection GET answers before @odata.nextLink. Default 100. */
  pageSize?: number;
}

export function sage300Sandbox(options: Sage300SandboxOptions = {}): SandboxDefinition {
  const company = (options.company ?? 'SAMLTD').toUpperCase();
  const pageSize = options.pageSize ?? 100;

  /** The resource and key a path names, or the OData error for a path the company lacks. */
  const target = (req: SandboxRequest): { resource: Resource; key?: string } | Reply => {
    if (req.params.company.toUpperCase() !== company) return odataError(400, 'InvalidParameters', `Company ${req.params.company} does not exist or the user has no access to it.`);
    const segment = parseSegment(req.params.resource);
    const resource = segment && findResource(req.params.module, segment.name);
    if (!segment) return odataError(400, 'InvalidEntityKey', `The entity key of '${req.params.resource}' is malformed.`);
    if (!resource) return odataError(404, 'ResourceNotFound', `No resource was found that matches the request URI '${req.path}'.`);
    return { resource, ...(segment.key !== undefined ? { key: segment.key } : {}) };
  };
  const isReply = (t: ReturnType<typeof target>): t is Reply => 'status' in t;
  const notFound = () => odataError(404, 'RecordNotFound', 'A Record cannot be found for the specified entity key');

  const get = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req);
    if (isReply(t)) return t;
    if (t.key === undefined) return listCollection(t.resource, req, ctx, { pageSize });
    const record = ctx.records.read(t.resource.name, t.key);
    if (!record) return notFound();
    const entity = entityOf(t.resource, record);
    const select = req.query.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean);
    return { status: 200, body: select?.length ? Object.fromEntries(select.filter((s) => s in entity).map((s) => [s, entity[s]])) : entity };
  };

  const post = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req);
    if (isReply(t)) return t;
    if (t.key !== undefined) return odataError(405, 'MethodNotAllowed', 'POST is allowed on the collection only.');
    const values = body(req);
    const refused = refusal(t.resource, values, true);
    if (refused) return odataError(400, refused.code, refused.message);
    const key = String(values[t.resource.key]);
    if (ctx.records.latest(t.resource.name, key)) return odataError(400, 'RecordDuplicate', `${labelOf(t.resource.key)} ${key} already exists.`);
    const created = ctx.records.insert(t.resource.name, { id: key, fields: defaults(t.resource, values) });
    return { status: 201, body: entityOf(t.resource, created), headers: { location: `${ctx.baseUrl}${req.path}('${key.replace(/'/g, "''")}')` } };
  };

  const patch = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req);
    if (isReply(t)) return t;
    if (t.key === undefined) return odataError(405, 'MethodNotAllowed', 'PATCH needs an entity key.');
    const current = ctx.records.latest(t.resource.name, t.key);
    if (!current) return notFound();
    const values = body(req);
    if (t.resource.key in values && values[t.resource.key] !== t.key) return odataError(400, 'RecordInvalid', `${labelOf(t.resource.key)} cannot be changed.`);
    const refused = refusal(t.resource, values, false);
    if (refused) return odataError(400, refused.code, refused.message);
    ctx.records.update(t.resource.name, t.key, values);
    return { status: 204 };
  };

  const remove = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req);
    if (isReply(t)) return t;
    if (t.key === undefined) return odataError(405, 'MethodNotAllowed', 'DELETE needs an entity key.');
    if (!ctx.records.latest(t.resource.name, t.key)) return notFound();
    ctx.records.remove(t.resource.name, t.key);
    return { status: 204 };
  };

  /** Every request must say Content-Type: application/json, or the Web API answers 500 (Developer Reference, "HTTP headers"). */
  const jsonOnly = (handler: (req: SandboxRequest, ctx: HandlerContext) => Reply) => (req: SandboxRequest, ctx: HandlerContext): Reply =>
    (String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')
      ? handler(req, ctx)
      : odataError(500, 'InternalServerError', 'An error has occurred: the request must be sent with Content-Type application/json.'));
  const path = `${API_ROOT}/:company/:module/:resource`;
  const unauthorized = () => odataError(401, 'Unauthorized', 'Authorization has been denied for this request.');
  const rateLimited = () => odataError(429, 'TooManyRequests', 'Too many requests.');
  return {
    system: 'sage-300',
    objects: resources.map((r) => r.name),
    catalog: sage300Catalog,
    catalogDifferences: sage300CatalogDifferences,
    auth: basicAuth({ username: options.username ?? 'WEBAPI', password: options.password }),
    routes: [
      { method: 'GET', path, handle: jsonOnly(get) },
      { method: 'POST', path, handle: jsonOnly(post) },
      { method: 'PATCH', path, handle: jsonOnly(patch) },
      { method: 'DELETE', path, handle: jsonOnly(remove) },
    ],
    errors: {
      unauthorized,
      rateLimited,
      notFound: (req) => odataError(404, 'ResourceNotFound', `No HTTP resource was found that matches the request URI '${req.path}'.`),
      malformedBody: () => odataError(400, 'InvalidPayload', 'The request body is not valid JSON.'),
      forStatus: replyForStatus({ 401: unauthorized, 429: rateLimited }, (status) => odataError(status, 'InternalServerError', 'An error has occurred.')),
    },
    presentRecord: (object, record) => entityOf(findByName(object), record),
    seedRecord: (object, input) => seed(findByName(object), input),
    config: (baseUrl) => ({ server: baseUrl, company }),
  };
}

function findByName(name: string): Resource {
  const resource = resources.find((r) => r.name === name);
  if (!resource) throw new Error(`no resource ${name}`);
  return resource;
}

function body(req: SandboxRequest): Entity {
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body as Entity : {};
}

/** What Sage 300 fills in on insert: Status Active (and OnHold No for customers). */
function defaults(resource: Resource, values: Entity): Entity {
  return { Status: 'Active', ...(resource.properties.OnHold ? { OnHold: 'No' } : {}), ...values };
}

/** A seed in the Web API's property names; the key is the record's id, DateLastMaintained its stamp. */
function seed(resource: Resource, input: Record<string, unknown>): NewRecord {
  const { DateLastMaintained: maintained, ...values } = input;
  const key = String(values[resource.key] ?? '');
  if (key === '') throw new Error(`a ${resource.name} seed needs ${resource.key}`);
  const stamp = typeof maintained === 'string' ? new Date(utc(maintained)).toISOString() : undefined;
  return { id: key, fields: defaults(resource, values), ...(stamp ? { createdAt: stamp, updatedAt: stamp } : {}) };
}

export function startSage300Sandbox(options: Sage300SandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(sage300Sandbox(options), options);
}
