import type { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import type { ObjectSpec } from '../../platform/object-spec';
import type { CostLimit, RateLimit } from '../../platform/rate-budget/limits';
import type {
  AuthorizationCodeSpec, AuthSpec, ConnectorContext, ConnectorDefinition, DestinationContract, OwnIdentity, SourceContract,
} from '../contract';
import { objectCatalog } from './objects';

type ConfigSchema = z.ZodType<Record<string, unknown>>;

/** A connector's context with its config already parsed by its own schema. */
export type KitContext<C> = Omit<ConnectorContext, 'config'> & { config: C };
export type KitContextWithoutHttp<C> = Omit<KitContext<C>, 'http'>;

/** What a system brings: its declarations and the few functions that speak its API. */
export interface ConnectorRecipe<S extends ConfigSchema> {
  id: string;
  displayName: string;
  /** The vendor API version the connector speaks (ConnectorDefinition.apiVersion). */
  apiVersion: string;
  auth: AuthSpec;
  /**
   * How users connect by consent (ConnectorDefinition.authorization): a spec over the connector's
   * config, or one made by authorizationFromSessionConfig when the session starts from less.
   */
  authorization?: AuthorizationCodeSpec<z.infer<S>> | SessionConfiguredAuthorization;
  config: S;
  objects: ObjectSpec[];
  customObject?(name: string): ObjectSpec | undefined;
  /** The documented request limits (ConnectorDefinition.rateLimits). */
  rateLimits?: RateLimit[];
  /** The documented request limits as the connection's config sets them (ConnectorDefinition.rateLimitsFor). */
  rateLimitsFor?(config: z.infer<S>): RateLimit[];
  /** The bucket of points charged by calculated cost (ConnectorDefinition.costLimit). */
  costLimit?: CostLimit;
  /** Segments may be rolled back side by side (ConnectorDefinition.independentRollback). */
  independentRollback?: boolean;
  http(ctx: KitContextWithoutHttp<z.infer<S>>): HttpClient;
  destination(ctx: KitContext<z.infer<S>>): DestinationContract;
  source(ctx: KitContext<z.infer<S>>): SourceContract;
  check(ctx: KitContext<z.infer<S>>): Promise<void>;
  ownIdentity?(ctx: KitContext<z.infer<S>>): Promise<OwnIdentity>;
}

/**
 * Turns a recipe into a ConnectorDefinition: the config is parsed once per call by the connector's
 * zod schema (an invalid one is a permanent error naming each field), and the destination refuses
 * objects the catalog lacks and operations an object's ObjectSpec does not list, before any request.
 */
export function defineConnector<S extends ConfigSchema>(recipe: ConnectorRecipe<S>): ConnectorDefinition {
  const catalog = objectCatalog(recipe.id, recipe.objects, recipe.customObject);
  const typed = <T extends { config: Record<string, unknown> }>(ctx: T) =>
    ({ ...ctx, config: parseConfig(recipe.id, recipe.config, ctx.config) });
  return {
    id: recipe.id,
    displayName: recipe.displayName,
    apiVersion: recipe.apiVersion,
    auth: recipe.auth,
    ...(recipe.authorization ? {
      authorization: isSessionConfigured(recipe.authorization) ? recipe.authorization : typedAuthorization(recipe.id, recipe.config, recipe.authorization),
    } : {}),
    config: recipe.config,
    objects: recipe.objects,
    ...(recipe.customObject ? { customObject: recipe.customObject } : {}),
    ...(recipe.rateLimits ? { rateLimits: recipe.rateLimits } : {}),
    ...(recipe.rateLimitsFor ? { rateLimitsFor: (config: Record<string, unknown>) => recipe.rateLimitsFor!(parseConfig(recipe.id, recipe.config, config)) } : {}),
    ...(recipe.costLimit ? { costLimit: recipe.costLimit } : {}),
    ...(recipe.independentRollback ? { independentRollback: true } : {}),
    http: (ctx) => recipe.http(typed(ctx)),
    destination: (ctx) => guardDestination(catalog, recipe.destination(typed(ctx))),
    source: (ctx) => guardSource(catalog, recipe.source(typed(ctx))),
    check: (ctx) => recipe.check(typed(ctx)),
    ...(recipe.ownIdentity ? { ownIdentity: (ctx: ConnectorContext) => recipe.ownIdentity!(typed(ctx)) } : {}),
  };
}

/** The config parsed by its schema, or a permanent error that names every offending field. */
export function parseConfig<S extends ConfigSchema>(system: string, schema: S, config: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ field: `config.${issue.path.join('.') || '(root)'}`, message: issue.message }));
  throw new ConnectorError({
    kind: 'permanent',
    system,
    fields,
    message: `${system} config is invalid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
  });
}

/** An authorization spec whose sessions start from a config schema of their own (already typed). */
export type SessionConfiguredAuthorization = AuthorizationCodeSpec & { sessionConfig: ConfigSchema };

/**
 * A spec for sessions that start from less than the connection's config (QuickBooks learns its
 * realmId from the callback): its functions see the session config parsed by `sessionConfig`.
 */
export function authorizationFromSessionConfig<SC extends ConfigSchema>(system: string, sessionConfig: SC,
  spec: AuthorizationCodeSpec<z.infer<SC>>): SessionConfiguredAuthorization {
  return { ...typedAuthorization(system, sessionConfig, spec), sessionConfig };
}

function isSessionConfigured(spec: AuthorizationCodeSpec<never> | SessionConfiguredAuthorization): spec is SessionConfiguredAuthorization {
  return spec.sessionConfig !== undefined;
}

/** The spec with each config it is handed parsed by the schema first. */
function typedAuthorization<S extends ConfigSchema>(system: string, schema: S, spec: AuthorizationCodeSpec<z.infer<S>>): AuthorizationCodeSpec {
  const parse = (config: Record<string, unknown>) => parseConfig(system, schema, config);
  const { connection, verifyCallback } = spec;
  return {
    ...spec,
    authorizeUrl: (config) => spec.authorizeUrl(parse(config)),
    tokenUrl: (config, callback) => spec.tokenUrl(parse(config), callback),
    ...(connection ? { connection: (granted) => connection({ ...granted, config: parse(granted.config) }) } : {}),
    ...(verifyCallback ? { verifyCallback: (query, client, config) => verifyCallback(query, client, parse(config)) } : {}),
  };
}

function guardDestination(catalog: ReturnType<typeof objectCatalog>, destination: DestinationContract): DestinationContract {
  return {
    read: (object, keyField, keys, fields, options) => {
      catalog.spec(object);
      return destination.read(object, keyField, keys, fields, options);
    },
    write: (object, op, keyField, records, options) => {
      catalog.requireOperation(object, op);
      return destination.write(object, op, keyField, records, options);
    },
    delete: (object, keyField, keys, options) => {
      catalog.requireOperation(object, 'delete');
      return destination.delete(object, keyField, keys, options);
    },
    restore: (object, keyField, before, options) => {
      catalog.spec(object);
      return destination.restore(object, keyField, before, options);
    },
  };
}

function guardSource(catalog: ReturnType<typeof objectCatalog>, source: SourceContract): SourceContract {
  return {
    capture: (object, cursor) => {
      catalog.spec(object);
      return source.capture(object, cursor);
    },
  };
}
