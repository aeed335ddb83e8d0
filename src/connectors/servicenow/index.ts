import { defineConnector } from '../kit';
import { ServiceNowApi } from './api';
import { servicenowAuth, servicenowConfigSchema, servicenowHttp } from './auth';
import { servicenowDestination } from './destination';
import { customTableSpec, labels, servicenowObjects } from './objects';
import { servicenowSource } from './source';

const api = (http: ConstructorParameters<typeof ServiceNowApi>[0]) => new ServiceNowApi(http, (table) => labels[table] ?? {});

/** ServiceNow (incident, sys_user, any table by name): Table API with Basic auth, Batch API writes, deletes from sys_audit_delete. */
export const servicenowConnector = defineConnector({
  id: 'servicenow',
  displayName: 'ServiceNow',
  apiVersion: 'Table API and Batch API v1 (Zurich)',
  auth: servicenowAuth,
  config: servicenowConfigSchema,
  objects: servicenowObjects,
  customObject: customTableSpec,
  http: servicenowHttp,
  destination: (ctx) => servicenowDestination(api(ctx.http)),
  source: (ctx) => servicenowSource(api(ctx.http)),
  check: async (ctx) => { await api(ctx.http).list('sys_user', { query: '', fields: ['sys_id'], max: 1 }); },
});
