import { basicAuth, replyForStatus, startSandbox, type HandlerContext, type NewRecord, type Reply, type RunningSandbox, type SandboxDefinition, type SandboxOptions, type SandboxRequest } from '../kit';
import { FilterError, parseFilter } from '../kit/odata-filter';
import { sageX3Catalog, sageX3CatalogDifferences } from './catalog';
import { diagnosesBody, findClass, propertyErrors, resourceOf, x3Classes, type X3Class } from './classes';

/**
 * The Sage X3 sandbox: Syracuse's api1 web API on one folder endpoint for BPCUSTOMER and
 * ITMMASTER, HTTP Basic. README.md lists the pages followed.
 * Vendor documentation followed: https://online-help.sagex3.com/erp/12/en-us/Content/V7DEV/api-guide_api-requests.html (and the pages README.md lists).
 */
export const API_ROOT = '/api1/x3/erp';

export interface SageX3SandboxOptions {
  username?: string;
  password?: string;
  endpoint?: string;
}

type Facet = '$details' | '$query' | '$create' | '$edit';

export function sageX3Sandbox(options: SageX3SandboxOptions = {}): SandboxDefinition {
  const endpoint = options.endpoint ?? 'SEED';
  const error = (status: number, message: string): Reply => ({ status, body: diagnosesBody([{ message }]) });

  /** The class, key and facet a request names, or the error answer. */
  const target = (req: SandboxRequest, facets: Facet[]): { cls: X3Class; key?: string } | Reply => {
    if (req.params.endpoint !== endpoint) return error(404, `Endpoint not found: ${req.params.endpoint}`);
    const segment = req.params.resource;
    const open = segment.indexOf('(');
    const name = open < 0 ? segment : segment.slice(0, open);
    const cls = findClass(name);
    if (!cls) return error(404, `Class not found: ${name}`);
    let key: string | undefined;
    if (open >= 0) {
      const inner = segment.slice(open + 1, -1);
      if (!segment.endsWith(')') || !inner.startsWith("'") || !inner.endsWith("'") || inner.length < 2) return error(400, `Invalid key: ${segment}`);
      key = inner.slice(1, -1).replace(/''/g, "'");
    }
    const representation = req.query.get('representation') ?? '';
    const [repr, facet] = representation.split('.');
    if (repr !== cls.name || !facets.includes(facet as Facet)) return error(400, `Invalid representation '${representation}': use ${cls.name}.${facets.join(' or ')}`);
    return { cls, ...(key !== undefined ? { key } : {}) };
  };
  const failed = (t: ReturnType<typeof target>): t is Reply => 'status' in t;
  const notFound = (cls: X3Class, key: string) => error(404, `${cls.name} ${key}: record does not exist`);

  const get = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req, [req.params.resource.includes('(') ? '$details' : '$query', '$edit']);
    if (failed(t)) return t;
    if (t.key !== undefined) {
      const record = ctx.records.read(t.cls.name, t.key);
      return record ? { status: 200, body: resourceOf(t.cls, record) } : notFound(t.cls, t.key);
    }
    return query(t.cls, req, ctx);
  };

  const query = (cls: X3Class, req: SandboxRequest, ctx: HandlerContext): Reply => {
    let predicate;
    try {
      predicate = parseFilter(req.query.get('where'));
    } catch (e) {
      if (e instanceof FilterError) return error(500, `Invalid where clause: ${e.message}`);
      throw e;
    }
    const order = (req.query.get('orderBy') ?? cls.key).split(',').map((o) => o.trim().split(/\s+/)).map(([field, dir]) => ({ field, desc: dir?.toLowerCase() === 'desc' }));
    const rows = ctx.records.list(cls.name).map((r) => resourceOf(cls, r)).filter(predicate).sort((a, b) => {
      for (const { field, desc } of order) {
        const x = String(a[field] ?? '');
        const y = String(b[field] ?? '');
        if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
      }
      return 0;
    });
    const count = Math.max(1, Number(req.query.get('count') ?? 20) || 20);
    const start = Math.max(1, Number(req.query.get('startIndex') ?? 1) || 1);
    const page = rows.slice(start - 1, start - 1 + count);
    const url = new URL(`${ctx.baseUrl}${req.path}`);
    req.query.forEach((v, k) => url.searchParams.set(k, v));
    const here = url.toString();
    url.searchParams.set('startIndex', String(start + page.length));
    return {
      status: 200,
      body: {
        $url: here, $descriptor: cls.name, $startIndex: start, $itemsPerPage: count, $totalResults: rows.length, $resources: page,
        ...(start - 1 + page.length < rows.length ? { $links: { $next: { $url: url.toString() } } } : {}),
      },
    };
  };

  const post = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req, ['$create']);
    if (failed(t)) return t;
    if (t.key !== undefined) return error(405, 'Create on a collection only');
    const values = body(req);
    const problems = propertyErrors(t.cls, values, true);
    if (problems.length > 0) return { status: 400, body: diagnosesBody(problems) };
    const key = String(values[t.cls.key]);
    if (ctx.records.latest(t.cls.name, key)) return { status: 400, body: diagnosesBody([{ property: t.cls.key, message: 'Record already exists' }]) };
    const created = ctx.records.insert(t.cls.name, { id: key, fields: stripMeta(values) });
    return { status: 201, body: resourceOf(t.cls, created) };
  };

  const put = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req, ['$edit']);
    if (failed(t)) return t;
    if (t.key === undefined) return error(405, 'Update needs a key');
    if (!ctx.records.latest(t.cls.name, t.key)) return notFound(t.cls, t.key);
    const values = body(req);
    if (t.cls.key in values && values[t.cls.key] !== t.key) return { status: 400, body: diagnosesBody([{ property: t.cls.key, message: 'Key cannot be modified' }]) };
    const problems = propertyErrors(t.cls, values, false);
    if (problems.length > 0) return { status: 400, body: diagnosesBody(problems) };
    const updated = ctx.records.update(t.cls.name, t.key, stripMeta(values))!;
    return { status: 200, body: resourceOf(t.cls, updated) };
  };

  const remove = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = target(req, ['$details', '$edit']);
    if (failed(t)) return t;
    if (t.key === undefined) return error(405, 'Delete needs a key');
    if (!ctx.records.latest(t.cls.name, t.key)) return notFound(t.cls, t.key);
    ctx.records.remove(t.cls.name, t.key);
    return { status: 204 };
  };

  const path = `${API_ROOT}/:endpoint/:resource`;
  const unauthorized = () => error(401, 'Unauthorized: invalid user or password');
  const rateLimited = () => error(429, 'Too many requests');
  return {
    system: 'sage-x3',
    objects: x3Classes.map((c) => c.name),
    catalog: sageX3Catalog,
    catalogDifferences: sageX3CatalogDifferences,
    auth: basicAuth({ username: options.username ?? 'WEBSERVICE', password: options.password }),
    routes: [
      { method: 'GET', path, handle: get },
      { method: 'POST', path, handle: post },
      { method: 'PUT', path, handle: put },
      { method: 'DELETE', path, handle: remove },
    ],
    errors: {
      unauthorized,
      rateLimited,
      notFound: (req) => error(404, `Not found: ${req.path}`),
      malformedBody: () => error(400, 'Invalid JSON payload'),
      forStatus: replyForStatus({ 401: unauthorized, 429: rateLimited }, (status) => error(status, 'Internal server error')),
    },
    presentRecord: (object, record) => resourceOf(findClass(object)!, record),
    seedRecord: (object, input) => seed(findClass(object)!, input),
    config: (baseUrl) => ({ server: baseUrl, endpoint }),
  };
}

function body(req: SandboxRequest): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body as Record<string, unknown> : {};
}

function stripMeta(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('$')));
}

function seed(cls: X3Class, input: Record<string, unknown>): NewRecord {
  const { UPDDATTIM: updated, CREDATTIM: created, ...values } = input;
  const key = String(values[cls.key] ?? '');
  if (key === '') throw new Error(`a ${cls.name} seed needs ${cls.key}`);
  return { id: key, fields: stripMeta(values), ...(typeof created === 'string' ? { createdAt: created } : {}), ...(typeof updated === 'string' ? { updatedAt: updated } : {}) };
}

export function startSageX3Sandbox(options: SageX3SandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(sageX3Sandbox(options), options);
}
