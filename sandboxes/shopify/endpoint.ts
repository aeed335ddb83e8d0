import {
  defaultFieldResolver, execute, getOperationAST, GraphQLError, Kind, parse, validate,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import type { HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import type { CostBucket } from './bucket';
import { actualQueryCost, requestedQueryCost } from './cost';

/**
 * The Admin GraphQL endpoint, POST /admin/api/<version>/graphql.json with `{ query, variables,
 * operationName }` (shopify.dev/docs/api/admin-graphql). Every document is parsed and validated
 * against the published 2026-07 introspection schema before anything runs; a valid one is priced
 * (cost.ts), charged to the leaky bucket (THROTTLED inside HTTP 200 when the bucket cannot hold it),
 * executed by graphql-js over the sandbox's resolvers, and the difference between the requested and
 * the actual cost (what the answer holds) refunded. Every answer carries `extensions.cost`.
 */
export const MAX_QUERY_COST = 1000;

export interface GraphqlEndpointOptions {
  path: string;
  schema: GraphQLSchema;
  bucket: CostBucket;
  /** The root fields the sandbox serves, for one request; any other root field answers an error. */
  root(ctx: HandlerContext): Record<string, unknown>;
}

interface GraphqlBody { query?: unknown; variables?: unknown; operationName?: unknown }

export function graphqlRoute(options: GraphqlEndpointOptions): Route {
  return { method: 'POST', path: options.path, handle: (req, ctx) => answer(options, req, ctx) };
}

async function answer(options: GraphqlEndpointOptions, req: SandboxRequest, ctx: HandlerContext): Promise<Reply> {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as GraphqlBody;
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
  }
  const variables = typeof body.variables === 'object' && body.variables !== null ? body.variables as Record<string, unknown> : {};
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (err) {
    return ok({ errors: [formatError(err as GraphQLError, 'PARSE_ERROR')] });
  }
  const invalid = validate(options.schema, document);
  if (invalid.length > 0) return ok({ errors: invalid.map((e) => formatError(e, validationCode(e))) });
  const operation = getOperationAST(document, operationName);
  if (!operation) return ok({ errors: [{ message: 'An operation name is required', extensions: { code: 'OPERATION_NAME_REQUIRED' } }] });

  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const cost = requestedQueryCost(options.schema, operation, fragments, variables);
  const priced = (actual: number | null) => ({ cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: options.bucket.status() } });
  if (cost > MAX_QUERY_COST) {
    return ok({
      errors: [{ message: `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: MAX_QUERY_COST } }],
      extensions: priced(null),
    });
  }
  if (!options.bucket.take(cost)) {
    return ok({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/limits' } }], extensions: priced(null) });
  }
  const root = options.root(ctx);
  const result = await execute({
    schema: options.schema, document, rootValue: root, variableValues: variables, operationName,
    fieldResolver: servedOnly(options.schema, root),
  });
  const actual = Math.min(cost, actualQueryCost(options.schema, operation, fragments, result.data));
  options.bucket.refund(cost - actual);
  return ok({
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors ? { errors: result.errors.map((e) => formatError(e, e.path ? 'INTERNAL_SERVER_ERROR' : 'INVALID_VARIABLE')) } : {}),
    extensions: priced(actual),
  });
}

/** Root fields the sandbox has no resolver for answer an error rather than a silent null. */
function servedOnly(schema: GraphQLSchema, root: Record<string, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const atRoot = info.parentType === schema.getQueryType() || info.parentType === schema.getMutationType();
    if (atRoot && typeof root[info.fieldName] !== 'function') {
      throw new GraphQLError(`${info.fieldName} is not served by the Forgeworks sandbox`, { extensions: { code: 'NOT_SERVED' } });
    }
    return defaultFieldResolver(source, args, context, info);
  };
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function formatError(error: GraphQLError, code: string) {
  const own = error.extensions && typeof error.extensions.code === 'string' ? error.extensions : undefined;
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: own ?? { code },
  };
}

/** graphql-ruby's codes (Shopify's server) for the common validation failures; others a general one. */
function validationCode(error: GraphQLError): string {
  if (/^Cannot query field/.test(error.message)) return 'undefinedField';
  if (/^Unknown argument/.test(error.message)) return 'argumentNotAccepted';
  if (/^Unknown type/.test(error.message)) return 'undefinedType';
  if (/^Variable "\$[^"]+" of type/.test(error.message)) return 'variableMismatch';
  if (/required/.test(error.message)) return 'missingRequiredArguments';
  return 'validationFailed';
}
