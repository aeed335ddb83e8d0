import { ConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import type { CostPacer, ThrottleStatus } from './graphql-cost';

/**
 * A GraphQL endpoint over the connection's HTTP client. GraphQL answers HTTP 200 for almost
 * everything, so the verdict is read from the body: `errors` make a ConnectorError (transient when
 * the system says it throttled the query, with the wait its bucket implies, or names passing trouble;
 * permanent otherwise: an invalid document or argument is the connector's own bug and repeating it cannot help). With a
 * pacer, every call waits for its expected cost to fit in the bucket first.
 */
export interface GraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GraphqlOptions {
  system: string;
  http: HttpClient;
  /** The endpoint's path under the base URL. */
  path: string;
  pacer?: CostPacer;
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

  /** Runs `document`; `expectedCost` is what the pacer waits for (the query's calculated cost). */
  async run<T>(document: string, variables: Record<string, unknown>, expectedCost: number): Promise<T> {
    const { options } = this;
    await options.pacer?.reserve(expectedCost);
    const res = await options.http.request<GraphqlAnswer<T>>({ method: 'POST', path: options.path, json: { query: document, variables } });
    const body = res.body ?? {};
    const status = options.throttleStatus?.(body.extensions);
    if (status) options.pacer?.observe(status);
    const errors = body.errors ?? [];
    if (errors.length === 0 && body.data) return body.data;
    const throttled = errors.find((e) => options.isThrottled?.(e));
    if (throttled) {
      const requested = options.requestedCost?.(body.extensions) ?? expectedCost;
      const retryAfterMs = status && options.pacer ? options.pacer.retryAfterMs(requested, status) : undefined;
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
