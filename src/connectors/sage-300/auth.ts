import { z } from 'zod';
import { basicAuth, basicCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import { trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields, SYSTEM } from './errors';

/**
 * `server`: where the Web API is installed (https://<server>, the Sage300WebApi site on IIS);
 * `company`: the company database id (SAMLTD). Calls go to {server}/Sage300WebApi/v1.0/-/{company}.
 */
export const sage300ConfigSchema = z.object({
  server: egressUrl(),
  company: z.string().regex(/^[A-Z0-9]{1,6}$/i, 'the company database id, as in SAMLTD'),
});
export type Sage300Config = z.infer<typeof sage300ConfigSchema>;

/** A Sage 300 user with Web API security rights, by HTTP Basic on every call. */
export const sage300Auth: AuthSpec = { scheme: 'basic', credentials: basicCredentialsSchema };

export function sage300Base(config: Sage300Config): string {
  return `${trimBase(config.server)}/Sage300WebApi/v1.0/-/${encodeURIComponent(config.company.toUpperCase())}`;
}

export function sage300Http(ctx: KitContextWithoutHttp<Sage300Config>): HttpClient {
  return createHttpClient({
    system: SYSTEM, baseUrl: sage300Base(ctx.config), auth: basicAuth({ system: SYSTEM, credentials: ctx.credentials }), extractCode, extractFields,
  });
}
