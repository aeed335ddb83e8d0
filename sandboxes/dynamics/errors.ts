import type { Reply } from '../kit';

/**
 * Dataverse Web API error bodies (Troubleshoot Dataverse Web API client errors; Service protection
 * API limits): { error: { code, message } }, the code a hexadecimal Dataverse error code as text.
 */
export function odataError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { error: { code, message } }, headers: { 'odata-version': '4.0', ...(headers ?? {}) } };
}

/** 401: no body, a challenge naming the tenant's authority and the environment (resource_id). */
export function unauthorized(tenantId: string, loginUrl: string, environmentUrl: string): Reply {
  return { status: 401, headers: { 'www-authenticate': `Bearer authorization_uri=${loginUrl}/${tenantId}/oauth2/authorize, resource_id=${environmentUrl}/` } };
}

/** Service protection API limits: 429 with Retry-After and one of three error codes. */
export const SERVICE_PROTECTION = {
  requests: { code: '0x80072322', message: (limit: number, windowS: number) => `Number of requests exceeded the limit of ${limit} over time window of ${windowS} seconds.` },
  concurrency: { code: '0x80072326', message: (limit: number) => `Number of concurrent requests exceeded the limit of ${limit}.` },
} as const;

export const notFound = (entity: string, id: string): Reply => odataError(404, '0x80040217', `${entity} With Id = ${id} Does Not Exist`);
export const keyNotFound = (entity: string): Reply => odataError(404, '0x80040217', `A record with the specified key values does not exist in ${entity} entity`);
export const versionMismatch = (): Reply => odataError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
export const duplicateKey = (display: string): Reply => odataError(412, '0x80040237',
  `A record that has the attribute values ${display} already exists. The entity key ${display} Key requires that this set of attributes contains unique values. Select unique values and try again.`);
export const recordExists = (): Reply => odataError(412, '0x80040237', 'Cannot insert duplicate key.');

export function forStatus(status: number): Reply {
  const table: Record<number, [string, string]> = {
    400: ['0x0', 'Bad Request'], 403: ['0x80040220', 'Principal user is missing prvReadAccount privilege.'], 404: ['0x80060888', 'Resource not found.'],
    412: ['0x80060882', "The version of the existing record doesn't match the RowVersion property provided."],
    429: [SERVICE_PROTECTION.requests.code, SERVICE_PROTECTION.requests.message(6000, 300)], 503: ['0x80040216', 'Service Unavailable'],
  };
  const [code, message] = table[status] ?? (status >= 500 ? ['0x80040216', 'An unexpected error occurred.'] : ['0x0', 'Bad Request']);
  return odataError(status, code, message);
}
