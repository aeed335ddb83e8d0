import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomSecret, type AuthScheme, type SandboxClock, type SandboxRequest } from '../kit';

/**
 * NetSuite Token-Based Authentication as the sandbox checks it: OAuth 1.0a (RFC 5849) with
 * HMAC-SHA256 and the account id as `realm`, verified for real on every request. Written here
 * because the sandbox kit has no OAuth 1.0a module yet (the conformance branch plans one under
 * sandboxes/kit/auth/): when it lands, this file should move onto it.
 *
 * RFC 5849 sections followed:
 * - §3.5.1 the Authorization header: `OAuth realm="…", oauth_…="…"`, values percent-encoded;
 * - §3.4.1 the signature base string: METHOD & encode(base URI) & encode(normalized parameters);
 * - §3.4.1.2 the base URI: lower-case scheme and host, the port only when not the default;
 * - §3.4.1.3 the parameters: the query, a form-encoded body, and every oauth_* header parameter but
 *   oauth_signature and realm; each name and value encoded (§3.6), sorted by name then value;
 * - §3.4.2 HMAC: key = encode(consumer secret) & encode(token secret) (here SHA-256, as NetSuite
 *   requires; it refuses HMAC-SHA1);
 * - §3.3 timestamp and nonce: a timestamp more than TIMESTAMP_WINDOW_S away from the sandbox clock,
 *   or a nonce already used with that consumer, token and timestamp, is refused (replays).
 */

/** How far a request's oauth_timestamp may be from the sandbox clock (NetSuite refuses stale or future stamps). */
export const TIMESTAMP_WINDOW_S = 300;

export interface TbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
  accountId: string;
}

/** RFC 5849 §3.6: unreserved characters (ALPHA, DIGIT, '-', '.', '_', '~') as they are, every other byte as %XX. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The parameters of an `Authorization: OAuth ...` header (§3.5.1), decoded; undefined when it is not one. */
export function parseOAuthHeader(header: string | undefined): Map<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params = new Map<string, string>();
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9_.~-]+)\s*=\s*"([^"]*)"/g)) {
    try {
      params.set(match[1], decodeURIComponent(match[2]));
    } catch {
      return undefined;
    }
  }
  return params;
}

/** §3.4.1.2: scheme://host[:port]/path, scheme and host lower-case, default ports left out. */
export function baseStringUri(scheme: string, host: string, path: string): string {
  const lower = host.toLowerCase();
  const defaultPort = scheme.toLowerCase() === 'https' ? ':443' : ':80';
  return `${scheme.toLowerCase()}://${lower.endsWith(defaultPort) ? lower.slice(0, -defaultPort.length) : lower}${path}`;
}

/** §3.4.1.3.2: every pair encoded, sorted by encoded name then encoded value, joined with '=' and '&'. */
export function normalizeParameters(pairs: Array<[string, string]>): string {
  return pairs
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** §3.4.1.1: the signature base string. */
export function signatureBaseString(method: string, uri: string, pairs: Array<[string, string]>): string {
  return [method.toUpperCase(), percentEncode(uri), percentEncode(normalizeParameters(pairs))].join('&');
}

/** §3.4.2 with SHA-256: base64 of HMAC(key = encode(consumer secret) & encode(token secret), base string). */
export function hmacSha256Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha256', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`).update(baseString).digest('base64');
}

/** §3.4.1.3.1: the query, the form-encoded body, and the oauth_* header parameters but signature and realm. */
function signedPairs(req: SandboxRequest, oauth: Map<string, string>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [...req.query.entries()];
  const type = String(req.headers['content-type'] ?? '');
  if (/^application\/x-www-form-urlencoded/i.test(type) && req.rawBody) pairs.push(...new URLSearchParams(req.rawBody).entries());
  for (const [name, value] of oauth) if (name !== 'oauth_signature' && name !== 'realm') pairs.push([name, value]);
  return pairs;
}

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The sandbox's TBA scheme: one integration record (consumer) and one access token, for one
 * account. Tokens do not expire (NetSuite TBA tokens live until revoked), so the kit's
 * `expire-token` fault changes nothing here; refusals are answered 401 INVALID_LOGIN by errors.ts.
 */
export function tokenBasedAuth(options: Partial<TbaCredentials> = {}): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const credentials: TbaCredentials = {
      consumerKey: options.consumerKey ?? randomSecret('sbx-ck-', 24),
      consumerSecret: options.consumerSecret ?? randomSecret('sbx-cs-', 24),
      tokenId: options.tokenId ?? randomSecret('sbx-tk-', 24),
      tokenSecret: options.tokenSecret ?? randomSecret('sbx-ts-', 24),
      accountId: options.accountId ?? '1234567_SB1',
    };
    const usedNonces = new Map<string, number>();

    const nonceIsFresh = (nonce: string, timestamp: number): boolean => {
      const now = Math.floor(clock.nowMs() / 1000);
      for (const [key, at] of usedNonces) if (Math.abs(now - at) > TIMESTAMP_WINDOW_S) usedNonces.delete(key);
      const key = `${timestamp}:${nonce}`;
      if (usedNonces.has(key)) return false;
      usedNonces.set(key, timestamp);
      return true;
    };

    return {
      name: 'oauth1',
      routes: [],
      authenticate(req) {
        const header = req.headers.authorization;
        const oauth = parseOAuthHeader(Array.isArray(header) ? header[0] : header);
        if (!oauth) return { ok: false, failure: 'missing' };
        const timestamp = Number(oauth.get('oauth_timestamp'));
        const nonce = oauth.get('oauth_nonce') ?? '';
        const refused = oauth.get('oauth_signature_method') !== 'HMAC-SHA256'
          || (oauth.has('oauth_version') && oauth.get('oauth_version') !== '1.0')
          || oauth.get('realm') !== credentials.accountId
          || oauth.get('oauth_consumer_key') !== credentials.consumerKey
          || oauth.get('oauth_token') !== credentials.tokenId
          || !Number.isInteger(timestamp) || nonce === '';
        if (refused) return { ok: false, failure: 'invalid' };
        if (Math.abs(Math.floor(clock.nowMs() / 1000) - timestamp) > TIMESTAMP_WINDOW_S) return { ok: false, failure: 'expired' };
        const host = String(req.headers.host ?? '');
        const base = signatureBaseString(req.method, baseStringUri('http', host, req.path), signedPairs(req, oauth));
        const expected = hmacSha256Signature(base, credentials.consumerSecret, credentials.tokenSecret);
        if (!sameSignature(oauth.get('oauth_signature') ?? '', expected)) return { ok: false, failure: 'invalid' };
        // Checked last, so a forged request cannot burn a legitimate client's nonce.
        if (!nonceIsFresh(nonce, timestamp)) return { ok: false, failure: 'invalid' };
        return { ok: true, principal: { scheme: 'oauth1', subject: credentials.tokenId } };
      },
      credentials: () => ({ ...credentials }),
      expireAccessTokens: () => undefined,
    };
  };
}
