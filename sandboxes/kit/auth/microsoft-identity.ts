import type { SandboxClock } from '../clock';
import type { HandlerContext, Reply, SandboxRequest } from '../types';
import type { AuthScheme } from './auth-scheme';

/**
 * The Microsoft identity platform's token errors (AADSTS codes), as its v2.0 token endpoint answers
 * them: { error, error_description "AADSTS<n>: … Trace ID … Correlation ID … Timestamp …",
 * error_codes, timestamp, trace_id, correlation_id }. Graph (Teams) and Dataverse share the endpoint.
 */
export function identityPlatformError(status: number, error: string, aadsts: number, description: string, correlationId: string): Reply {
  const timestamp = new Date().toISOString();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${correlationId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: correlationId,
      correlation_id: correlationId,
    },
  };
}

export interface DirectoryOptions {
  /** The directory (tenant) id the token path's `:tenant` must name. */
  tenantId: string;
  /** Other names the endpoint answers for ('organizations', 'common'). */
  alsoAnswers?: string[];
  /** A further check of a token request for this directory (a resource's scope): a reply refuses it. */
  check?(req: SandboxRequest, ctx: HandlerContext): Reply | undefined;
}

/**
 * The token endpoint per directory (`/{tenant}/oauth2/v2.0/token`): the scheme's token routes
 * answer only for the directory's tenant; another is AADSTS90002, as the platform answers.
 */
export function perDirectory(scheme: (clock: SandboxClock) => AuthScheme, options: DirectoryOptions): (clock: SandboxClock) => AuthScheme {
  const names = new Set([options.tenantId, ...(options.alsoAnswers ?? [])]);
  return (clock) => {
    const built = scheme(clock);
    return {
      ...built,
      routes: built.routes.map((route) => ({
        ...route,
        handle: (req, ctx) => {
          if (!names.has(req.params.tenant)) return identityPlatformError(400, 'invalid_request', 90002, `Tenant '${req.params.tenant}' not found.`, ctx.correlationId);
          return options.check?.(req, ctx) ?? route.handle(req, ctx);
        },
      })),
    };
  };
}
