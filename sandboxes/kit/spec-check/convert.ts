/**
 * Swagger 2.0 to OpenAPI 3.0, as far as a validator needs: parameters (query, path, header),
 * formData and body parameters as a request body for each type the operation consumes,
 * responses' schemas as JSON content, definitions as components. Nothing is loosened.
 */
// A Swagger document is untyped JSON, walked by its structure.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export function swagger2ToOpenApi3(doc: Json): Json {
  const paths: Json = {};
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    paths[path] = {};
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(method)) continue;
      const params: Json[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const form = params.filter((p) => p.in === 'formData');
      const body = params.find((p) => p.in === 'body');
      const consumes: string[] = op.consumes ?? doc.consumes ?? ['application/json'];
      const converted: Json = {
        ...(op.operationId ? { operationId: op.operationId } : {}),
        parameters: params.filter((p) => ['query', 'path', 'header'].includes(p.in)).map(parameter),
        responses: Object.fromEntries(Object.entries<Json>(op.responses ?? {}).map(([code, r]) => [code, {
          description: r.description ?? '',
          ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}),
        }])),
      };
      if (body) converted.requestBody = { required: Boolean(body.required), content: Object.fromEntries(consumes.map((t) => [t, { schema: body.schema }])) };
      else if (form.length > 0) {
        const schema = { type: 'object', properties: Object.fromEntries(form.map((p) => [p.name, schemaOf(p)])), required: form.filter((p) => p.required).map((p) => p.name) };
        if (schema.required.length === 0) delete (schema as Json).required;
        converted.requestBody = { content: Object.fromEntries(consumes.map((t) => [t, { schema }])) };
      }
      paths[path][method] = converted;
    }
  }
  const out: Json = {
    openapi: '3.0.0',
    info: doc.info ?? { title: 'converted', version: '0' },
    servers: [{ url: doc.basePath ?? '/' }],
    paths,
    components: { schemas: doc.definitions ?? {} },
  };
  return JSON.parse(JSON.stringify(out).replace(/"#\/definitions\//g, '"#/components/schemas/')) as Json;
}

function parameter(p: Json): Json {
  return { name: p.name, in: p.in, required: p.in === 'path' ? true : Boolean(p.required), schema: schemaOf(p) };
}

function schemaOf(p: Json): Json {
  const { name: _n, in: _i, required: _r, description: _d, collectionFormat: _c, allowEmptyValue: _a, ...schema } = p;
  return schema;
}
