import { z } from 'zod';
import { basicAuth, basicCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import { trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields, SYSTEM } from './errors';

/** `server`: the Syracuse web server (https://host:8124); `endpoint`: the folder's endpoint name (SEED). */
export const sageX3ConfigSchema = z.object({
  server: egressUrl(),
  endpoint: z.string().regex(/^[A-Za-z0-9_]{1,30}$/, 'the Syracuse endpoint of the folder, as in SEED'),
});
export type SageX3Config = z.infer<typeof sageX3ConfigSchema>;

/** A Syracuse user (HTTP Basic must be an authentication method of the server). */
export const sageX3Auth: AuthSpec = { scheme: 'basic', credentials: basicCredentialsSchema };

export function sageX3Http(ctx: KitContextWithoutHttp<SageX3Config>): HttpClient {
  return createHttpClient({
    system: SYSTEM, baseUrl: `${trimBase(ctx.config.server)}/api1/x3/erp/${encodeURIComponent(ctx.config.endpoint)}`,
    auth: basicAuth({ system: SYSTEM, credentials: ctx.credentials }), extractCode, extractFields,
  });
}
