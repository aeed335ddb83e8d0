import { ConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import { pointsWaitMs } from '../../platform/rate-budget';

/**
 * A GraphQL endpoint over the connection's HTTP client. GraphQL answers HTTP 200 for almost
 * everything, so the verdict is read from the body: `errors` make a ConnectorError (transient when
 * the system says it throttled the query, with the wait its bucket implies, or names passing trouble;
 * permanent otherwise: an invalid document or argument is the connector's own bug and repeating it cannot help).
 * Every call carries its expected cost (HttpRequest.cost): what it draws from the connection's
 * budget where the connector declares a CostLimit.
 */
export interface GraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

/** A bucket of points as a GraphQL answer reports it (Shopify: extensions.cost.throttleStatus). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface GraphqlOptions {
  system: string;
  http: HttpClient;
  /** The endpoint's path under the base URL. */
  path: string;
  /** The bucket as the answer reports it (Shopify: extensions.cost.throttleStatus). */
  throttleStatus?(extensions: Record<string, unknown> | undefined): ThrottleStatus | undefined;
  /** The cost the system asked for this query (Shopify: extensions.cost.requestedQueryCost). */
  requestedCost?(extensions: Record<string, unknown> | undefined): number | undefined;
  /** Whether an error says the query was throttled (Shopify: extensions.code THROTTLED). */
  isThrottled?(error: GraphqlError): boolean;
  /** Error codes of passing trouble on the system's side, retried by the activity (Shopify: INTERNAL_SERVER_ERROR). */
  transientCodes?: string[];
}

interface GraphqlAnswer<T> { data?: T | null; errors?: GraphqlError[]; extensions?: Record<string, unknown> }

export class GraphqlEndpoint {
  constructor(private readonly options: GraphqlOptions) {}

  /** Runs `document`; `expectedCost` is its calculated cost, what it draws from the connection's budget. */
  async run<T>(document: string, variables: Record<string, unknown>, expectedCost: number): Promise<T> {
    const { options } = this;
    const res = await options.http.request<GraphqlAnswer<T>>({ method: 'POST', path: options.path, json: { query: document, variables }, cost: expectedCost });
    const body = res.body ?? {};
    const status = options.throttleStatus?.(body.extensions);
    const errors = body.errors ?? [];
    if (errors.length === 0 && body.data) return body.data;
    const throttled = errors.find((e) => options.isThrottled?.(e));
    if (throttled) {
      const requested = options.requestedCost?.(body.extensions) ?? expectedCost;
      const retryAfterMs = status ? pointsWaitMs(Math.min(requested, status.maximumAvailable), status.currentlyAvailable, status.restoreRate) : undefined;
      throw new ConnectorError({
        kind: 'transient', system: options.system, status: res.status, code: String(throttled.extensions?.code ?? 'THROTTLED'), body,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        message: `${options.system} throttled a query costing ${requested} points${status ? ` (${status.currentlyAvailable} available, ${status.restoreRate}/s restored)` : ''}`,
      });
    }
    const first = errors[0];
    const passing = errors.some((e) => typeof e.extensions?.code === 'string' && options.transientCodes?.includes(e.extensions.code));
    throw new ConnectorError({
      kind: passing ? 'transient' : 'permanent', system: options.system, status: res.status, body,
      ...(typeof first?.extensions?.code === 'string' ? { code: first.extensions.code } : {}),
      message: `${options.system} refused the GraphQL document: ${errors.map((e) => e.message).join('; ') || 'no data in the answer'}`,
    });
  }
}
