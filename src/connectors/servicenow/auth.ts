import { z } from 'zod';
import { basicAuth, basicCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { classifyAnswer, extractCode, extractFields, SYSTEM } from './errors';
import { labels } from './objects';

/** Every declared field's label: a whole request's Data Policy refusal (a restore's insert) names fields by label. */
const allLabels: Record<string, string> = Object.assign({}, ...Object.values(labels));

/** `instance` of https://<instance>.service-now.com; `baseUrl` overrides it (custom URLs, the sandbox). */
export const servicenowConfigSchema = z.object({
  instance: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'the instance name, as in https://<instance>.service-now.com'),
  baseUrl: egressUrl().optional(),
});
export type ServiceNowConfig = z.infer<typeof servicenowConfigSchema>;

/** A user with the rest_api_explorer/itil roles the tables need (web service access only is advisable). */
export const servicenowAuth: AuthSpec = { scheme: 'basic', credentials: basicCredentialsSchema };

export function servicenowBaseUrl(config: ServiceNowConfig): string {
  return config.baseUrl ?? `https://${config.instance}.service-now.com`;
}

export function servicenowHttp(ctx: KitContextWithoutHttp<ServiceNowConfig>): HttpClient {
  return createHttpClient({
    system: SYSTEM,
    baseUrl: servicenowBaseUrl(ctx.config),
    auth: basicAuth({ system: SYSTEM, credentials: ctx.credentials }),
    extractFields: (body) => extractFields(body, allLabels),
    extractCode,
    classify: (res) => classifyAnswer(res, allLabels),
  });
}
