import { defaultSeedRecord, oauth2RefreshToken, startSandbox, type NewRecord, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { workdayCatalog, workdayCatalogDifferences } from './catalog';
import { forStatus, tokenErrors, unauthorized, workdayError } from './errors';
import { workdayRoutes } from './routes';
import { SANDBOX_TENANT, workdayId } from './tenant';

export { CURRENCIES, PAY_COMPONENTS, SANDBOX_TENANT, workdayId } from './tenant';

/**
 * The Workday sandbox: one tenant's REST API for payroll inputs (Payroll v2) and workers (Common
 * v1), and the tenant's OAuth 2.0 token endpoint, which rotates refresh tokens. README.md lists the
 * pages followed and what is modelled without a public page to confirm it.
 * Vendor documentation followed: https://community.workday.com/sites/default/files/file-hosting/restapi/index.html
 */
export interface WorkdaySandboxOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Access tokens last an hour (API clients with "Enforce 60 Minutes Access Token Expiry"). */
  accessTokenTtlSeconds?: number;
}

/** Workday publishes no REST rate limit; the sandbox enforces the connector's own pace when asked to. */
export const WORKDAY_SANDBOX_RATE_LIMIT = { limit: 10, windowMs: 1000 };

export function workdaySandbox(options: WorkdaySandboxOptions = {}): SandboxDefinition {
  let payrollInputSequence = 0;
  const nextPayrollInputId = () => `PAYROLL_INPUT-${String(++payrollInputSequence).padStart(6, '0')}`;
  return {
    system: 'workday',
    objects: ['payrollInputs', 'workers'],
    catalog: workdayCatalog,
    catalogDifferences: workdayCatalogDifferences,
    auth: oauth2RefreshToken({
      tokenPath: `/ccx/oauth2/${SANDBOX_TENANT}/token`,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      rotateRefreshTokens: true,
      tokenPrefix: 'sbx-wd-',
      // The API client's Authorization Endpoint (https://<auth host>/<tenant>/authorize; one host here).
      authorizationCode: {
        authorizePath: `/${SANDBOX_TENANT}/authorize`, providerName: 'Workday', pkce: false,
        // RFC 6749 §5.2: a refused code is invalid_grant, as a refused refresh token is.
        errors: { badCode: tokenErrors.badRefreshToken, badRedirectUri: tokenErrors.badRefreshToken, badCodeVerifier: tokenErrors.badRefreshToken },
      },
      tokenResponse: (issued) => ({
        status: 200,
        body: { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, refresh_token: issued.refreshToken },
      }),
      errors: tokenErrors,
    }),
    routes: workdayRoutes(SANDBOX_TENANT, nextPayrollInputId),
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: (info) => ({ ...forStatus(429), headers: { 'retry-after': String(info.retryAfterSeconds) } }),
      notFound: () => workdayError(404, 'Resource not found.'),
      malformedBody: () => workdayError(400, 'Invalid request: the body is not valid JSON.'),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: WORKDAY_SANDBOX_RATE_LIMIT,
    newId: (object, sequence) => workdayId(`${object}/${sequence}`),
    /** The state shows each resource as stored: its Workday ID and its own fields (references as { id }). */
    presentRecord: (_object, record) => ({ id: record.id, ...record.fields }),
    seedRecord: (object, input) => seedRecord(object, input),
    config: (baseUrl) => ({ baseUrl, tenant: SANDBOX_TENANT, authorizeUrl: `${baseUrl}/${SANDBOX_TENANT}/authorize` }),
  };
}

/** Seeds take the state's shape, or the connector's dotted names (worker.id): both are stored nested. */
function seedRecord(object: string, input: Record<string, unknown>): NewRecord {
  const seeded = defaultSeedRecord(object, input);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(seeded.fields)) {
    const [head, ...rest] = name.split('.');
    if (rest.length === 0) fields[head] = value;
    else fields[head] = { ...(fields[head] as Record<string, unknown> | undefined), [rest.join('.')]: value };
  }
  if (object === 'payrollInputs') {
    return { ...seeded, fields: { endDate: null, adjustment: false, comment: null, currency: null, ...fields } };
  }
  return { ...seeded, fields };
}

export function startWorkdaySandbox(options: WorkdaySandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(workdaySandbox(options), options);
}
