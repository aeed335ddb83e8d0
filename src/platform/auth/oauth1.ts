import crypto from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { z } from 'zod';
import { secretField } from '../credentials/redact';
import type { AuthPlugin, OutgoingRequest } from '../http';
import { readCredentials, type CredentialsSource } from './credentials';

/** NetSuite Token-Based Authentication: an integration record (consumer) and an access token. */
export const oauth1CredentialsSchema = z.looseObject({
  consumerKey: z.string().min(1),
  consumerSecret: secretField(z.string().min(1)),
  tokenId: z.string().min(1),
  tokenSecret: secretField(z.string().min(1)),
  /** The realm, as NetSuite spells it in the header: e.g. 1234567 or 1234567_SB1. */
  accountId: z.string().min(1),
});
export type OAuth1Credentials = z.infer<typeof oauth1CredentialsSchema>;

export interface OAuth1Options {
  system: string;
  credentials: CredentialsSource;
}

/** OAuth 1.0a, HMAC-SHA256, one signature per request (NetSuite TBA). */
export function oauth1Auth(options: OAuth1Options): AuthPlugin {
  return {
    async apply(req) {
      const { parsed } = await readCredentials(options.system, options.credentials, oauth1CredentialsSchema);
      const oauth = new OAuth({
        consumer: { key: parsed.consumerKey, secret: parsed.consumerSecret },
        signature_method: 'HMAC-SHA256',
        hash_function: (baseString, key) => crypto.createHmac('sha256', key).update(baseString).digest('base64'),
        realm: parsed.accountId,
      });
      const signed = oauth.authorize(
        { url: `${req.url.origin}${req.url.pathname}`, method: req.method, data: signedParameters(req) },
        { key: parsed.tokenId, secret: parsed.tokenSecret },
      );
      req.headers.authorization = oauth.toHeader(signed).Authorization;
    },
  };
}

/**
 * The parameters the signature covers besides the oauth_* ones (RFC 5849 §3.4.1.3): the decoded
 * query, and the body when it is form-encoded. Handed over decoded so the library encodes them once.
 */
function signedParameters(req: OutgoingRequest): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const existing = params[name];
    params[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  for (const [name, value] of req.url.searchParams) add(name, value);
  if (req.body && /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
    for (const [name, value] of new URLSearchParams(req.body)) add(name, value);
  }
  return params;
}
