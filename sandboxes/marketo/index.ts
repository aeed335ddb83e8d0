import { oauth2ClientCredentials, startSandbox, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { activityRoutes } from './activities';
import { marketoCatalog, marketoCatalogDifferences } from './catalog';
import { forStatus, marketoError, rateLimited, unauthorized } from './errors';
import { ACTIVITIES, companyKind, COMPANIES, leadKind, LEADS, marketoTime, present, seedRecord } from './records';
import { resourceRoutes } from './resources';
import { marketoSpec } from './spec';

/**
 * The Marketo Engage sandbox: the identity endpoint (OAuth 2.0 client credentials, tokens for an
 * hour), leads and companies (sync with action/lookupField, read with filterType/filterValues,
 * delete; 300 a call), the Activities API (paging tokens, lead changes, deleted leads), answers in
 * HTTP 200 with success/errors/reasons, and the 100-calls-per-20-seconds limit (606). README.md
 * names the pages it follows; its exchanges are checked against ../shared/specs/marketo.
 * Vendor documentation followed: https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/lead-database (and the pages README.md lists).
 */
export interface MarketoSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  munchkinId?: string;
  accessTokenTtlSeconds?: number;
}

export function marketoSandbox(options: MarketoSandboxOptions = {}): SandboxDefinition {
  return {
    system: 'marketo',
    objects: [LEADS, COMPANIES, ACTIVITIES],
    catalog: marketoCatalog,
    catalogDifferences: marketoCatalogDifferences,
    spec: marketoSpec,
    auth: oauth2ClientCredentials({
      tokenPath: '/identity/oauth/token',
      tokenMethod: 'POST',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      tokenPrefix: 'sbx-mkto-',
      tokenResponse: ({ accessToken, expiresIn }) => ({ status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: expiresIn - 1, scope: 'forge-api@example.com' } }),
      errors: {
        unsupportedGrantType: () => ({ status: 400, body: { error: 'invalid_request', error_description: 'Bad grant type' } }),
        invalidClient: () => ({ status: 401, body: { error: 'unauthorized', error_description: 'Bad client credentials' } }),
      },
    }),
    routes: [...resourceRoutes(), ...activityRoutes()],
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: (info) => rateLimited(info.limit, Math.round(info.windowMs / 1000)),
      notFound: () => ({ status: 404, body: '<html><body>Not Found</body></html>' }),
      malformedBody: () => marketoError('609', 'Invalid JSON'),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: { limit: 100, windowMs: 20_000 },
    newId: (object, sequence) => (object === ACTIVITIES ? String(500_000 + sequence) : String(sequence)),
    presentRecord: (object, record) => {
      if (object === LEADS) return present(leadKind, record);
      if (object === COMPANIES) return present(companyKind, record);
      return { id: Number(record.id), activityDate: marketoTime(record.createdAt), ...record.fields };
    },
    seedRecord: (object, input) => seedRecord(object === COMPANIES ? companyKind : leadKind, input),
    config: (baseUrl) => ({ munchkinId: options.munchkinId ?? '123-ABC-456', baseUrl }),
  };
}

export function startMarketoSandbox(options: MarketoSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(marketoSandbox(options), options);
}
