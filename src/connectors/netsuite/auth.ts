import { z } from 'zod';
import { oauth1Auth, oauth1CredentialsSchema } from '../../platform/auth';
import { egressUrl } from '../../platform/network';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import { trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields, SYSTEM } from './errors';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const netsuiteConfigSchema = z.object({
  /** The account's REST host: https://<account id, lower case, '_' as '-'>.suitetalk.api.netsuite.com */
  baseUrl: egressUrl(),
  /**
   * The time zone preference of the user the access token belongs to: SuiteQL shows and reads
   * date-times in it. Set the integration user's preference to GMT/UTC where possible (see
   * source.ts on the hour a daylight-saving change repeats).
   */
  timeZone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. UTC, America/Los_Angeles)').default('UTC'),
  /** Requests in flight at once: this integration's share of the account's concurrency limit (15 + 10 per SuiteCloud Plus license). */
  concurrency: z.number().int().min(1).max(50).default(4),
  /** Send writes with `Prefer: respond-async` and poll the jobs (for accounts where long writes time out). */
  respondAsync: z.boolean().default(false),
});
export type NetSuiteConfig = z.infer<typeof netsuiteConfigSchema>;

/**
 * Token-Based Authentication: OAuth 1.0a, HMAC-SHA256, realm = account id. Credentials: { consumerKey,
 * consumerSecret } of the integration record, { tokenId, tokenSecret } of the access token, accountId.
 */
export const netsuiteAuth: AuthSpec = { scheme: 'oauth1', credentials: oauth1CredentialsSchema };

/** The connection's HTTP client: every request signed afresh with the credentials read from the store. */
export function netsuiteHttp(ctx: KitContextWithoutHttp<NetSuiteConfig>): HttpClient {
  const auth = oauth1Auth({ system: SYSTEM, credentials: ctx.credentials });
  return createHttpClient({ system: SYSTEM, baseUrl: trimBase(ctx.config.baseUrl), auth, extractFields, extractCode });
}
