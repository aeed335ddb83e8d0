import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAPIBackend from 'openapi-backend';
import { findSandbox } from '../../registry';
import { swagger2ToOpenApi3 } from './convert';
import type { SpecExchange, SpecSource, SpecVerdict } from './types';

// Holds exchanges against a system's published API description (../shared/specs/<dir>, read in
// place, never copied) and prints a verdict per exchange, as JSON. Input on stdin:
// { system, exchanges }. It runs as a plain Node process (`node --import tsx`): openapi-backend's
// ref parser is an ES module that jest's CommonJS runtime cannot load (test/helpers/spec-check.ts).

export const SPECS_DIR = path.resolve(__dirname, '../../../../shared/specs');

export async function checkExchanges(source: SpecSource, exchanges: SpecExchange[]): Promise<SpecVerdict[]> {
  return source.format === 'postman' ? checkPostman(source, exchanges) : checkOpenApi(source, exchanges);
}

/**
 * A system published as several documents (Marketo: its REST API and its identity endpoint) is
 * checked as one: paths and components merged, a name defined twice differently refused.
 */
export function mergeDocuments(dir: string, documents: Array<Record<string, unknown>>): Record<string, unknown> {
  if (documents.length === 0) throw new Error(`${dir}: no description files`);
  const [first, ...rest] = documents;
  const merged: Record<string, unknown> = structuredClone(first);
  const into = (target: Record<string, unknown>, source: Record<string, unknown>, where: string) => {
    for (const [name, value] of Object.entries(source)) {
      if (name in target && JSON.stringify(target[name]) !== JSON.stringify(value)) throw new Error(`${dir}: ${where}.${name} is described differently by two files`);
      target[name] = value;
    }
  };
  for (const document of rest) {
    into((merged.paths ??= {}) as Record<string, unknown>, (document.paths ?? {}) as Record<string, unknown>, 'paths');
    const components = (merged.components ??= {}) as Record<string, Record<string, unknown>>;
    for (const [kind, entries] of Object.entries((document.components ?? {}) as Record<string, Record<string, unknown>>)) {
      into((components[kind] ??= {}), entries, `components.${kind}`);
    }
  }
  return merged;
}

async function checkOpenApi(source: SpecSource, exchanges: SpecExchange[]): Promise<SpecVerdict[]> {
  const files = source.files.map((f) => {
    const raw = readFileSync(path.join(SPECS_DIR, source.dir, f), 'utf8');
    const document = JSON.parse(source.prepareText ? source.prepareText(raw) : raw) as Record<string, unknown>;
    const converted = source.format === 'swagger2' ? swagger2ToOpenApi3(document) : document;
    source.prepare?.(converted);
    return converted;
  });
  const document = mergeDocuments(source.dir, files);
  const api = new OpenAPIBackend({
    definition: document as never,
    quick: true,
    coerceTypes: true, // query and path parameters are text on the wire
    customizeAjv: (ajv, _opts, context) => {
      for (const format of source.formats ?? []) ajv.addFormat(format, true);
      if (source.formBodies && context === 'requestBodyValidator') (ajv.opts as { coerceTypes?: unknown }).coerceTypes = 'array';
      return ajv;
    },
  });
  await api.init();
  return exchanges.map((x) => {
    const request = x.request ? { method: x.request.method.toLowerCase(), path: x.request.path, query: (x.request.query ?? {}) as Record<string, unknown>, headers: { 'content-type': x.request.contentType ?? 'application/json' }, ...(x.request.body === undefined ? {} : { body: x.request.body }) } : undefined;
    const found = x.operationId ? api.getOperation(x.operationId) : request ? api.router.matchOperation(request as never) : undefined;
    const operation = found as ({ operationId?: string } & Parameters<typeof api.validator.validateResponse>[1]) | undefined;
    const named = request ? `${x.request!.method} ${x.request!.path}` : undefined;
    if (!operation) return { operationId: x.operationId, request: named, errors: [x.operationId ? `no operation ${x.operationId} in the description` : `no operation in the description for ${named}`] };
    if (request) request.query = typedQuery(document, operation as { parameters?: unknown[] }, request.query);
    // A request the sandbox refused (4xx, or an error in a success status) was meant to be wrong:
    // only the refusal is held against the description.
    const refused = x.errorAnswer === true || (x.response !== undefined && x.response.status >= 400);
    const describe = (e: { instancePath: string; message?: string; params?: unknown }, instance?: unknown) =>
      `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}${instance !== undefined ? ` (was ${JSON.stringify(valueAt(instance, e.instancePath))})` : ''}`.trim();
    const responseBody = x.response?.body ?? null; // no body (a 204) is the JSON null the validator compares with the described content
    const errors = [
      ...(request && !refused ? (api.validator.validateRequest(request as never, operation).errors ?? []).map((e) => describe(e)) : []),
      ...(x.response ? (api.validator.validateResponse(responseBody, operation, (x.errorAnswer ? 'default' : x.response.status) as number).errors ?? [])
        .map((e) => describe(e, responseBody)) : []),
    ];
    return { operationId: operation.operationId, request: named, errors };
  });
}

/** The value at a JSON pointer ('/messages/0/ts'), for error messages. */
function valueAt(root: unknown, pointer: string): unknown {
  const value = pointer.split('/').filter(Boolean).reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], root);
  return typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : typeof value === 'object' && value !== null ? '(object)' : value;
}

/**
 * Query values are text on the wire: those the description types as numbers or booleans are read
 * as such (the validator's own coercion does not reach them in this setup).
 */
function typedQuery(document: Record<string, unknown>, operation: { parameters?: unknown[] }, query: Record<string, unknown>): Record<string, unknown> {
  const resolve = (node: unknown): Record<string, unknown> => {
    const ref = (node as { $ref?: string })?.$ref;
    if (!ref?.startsWith('#/')) return node as Record<string, unknown>;
    return resolve(ref.slice(2).split('/').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], document));
  };
  const out = { ...query };
  for (const p of (operation.parameters ?? []).map(resolve)) {
    const value = out[p.name as string];
    const type = (resolve(p.schema) as { type?: string } | undefined)?.type;
    if (p.in !== 'query' || typeof value !== 'string') continue;
    if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) out[p.name as string] = Number(value);
    else if (type === 'boolean' && (value === 'true' || value === 'false')) out[p.name as string] = value === 'true';
  }
  return out;
}

interface Template {
  method: string;
  segments: string[];
  name: string;
}

/** Postman request templates: a request conforms when a template has its method and its path (variables match any segment). */
function checkPostman(source: SpecSource, exchanges: SpecExchange[]): SpecVerdict[] {
  const templates: Template[] = source.files.flatMap((folder) => readdirSync(path.join(SPECS_DIR, source.dir, folder)).filter((f) => f.endsWith('.json')).map((f) => {
    const t = JSON.parse(readFileSync(path.join(SPECS_DIR, source.dir, folder, f), 'utf8')) as { method: string; url: string; name: string };
    const pathOnly = t.url.replace(/^(\{\{[^}]+\}\})+/, '').split('?')[0];
    return { method: t.method.toUpperCase(), segments: pathOnly.split('/').filter(Boolean), name: `${folder}/${f.replace(/\.json$/, '')}` };
  }));
  const variable = (s: string) => /^(<[^>]+>|:[\w]+|\{\{[^}]+\}\})$/.test(s);
  const same = (template: string, actual: string) => variable(template) || template === actual
    || (template.includes('{{') && new RegExp(`^${template.split(/\{\{[^}]+\}\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`).test(actual));
  return exchanges.map((x) => {
    if (!x.request) return { operationId: x.operationId, errors: ['a request template check needs the request'] };
    const named = `${x.request.method} ${x.request.path}`;
    const segments = x.request.path.split('/').filter(Boolean);
    const found = templates.find((t) => t.method === x.request!.method.toUpperCase() && t.segments.length === segments.length && t.segments.every((s, i) => same(s, segments[i])));
    return found ? { operationId: found.name, request: named, errors: [] } : { request: named, errors: [`no operation in the description for ${named}`] };
  });
}

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(0, 'utf8')) as { system: string; exchanges: SpecExchange[] };
  const definition = findSandbox(input.system)?.();
  if (!definition?.spec) throw new Error(`the ${input.system} sandbox declares no published description (SandboxDefinition.spec)`);
  process.stdout.write(JSON.stringify(await checkExchanges(definition.spec, input.exchanges)));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
