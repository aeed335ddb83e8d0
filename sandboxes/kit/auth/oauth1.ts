import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxClock } from '../clock';
import type { SandboxRequest } from '../types';
import type { AuthScheme } from './auth-scheme';
import { randomSecret } from './token-book';

export type OAuth1SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

export interface OAuth1Options {
  /** The integration record's consumer key and secret (random when absent). */
  consumerKey?: string;
  consumerSecret?: string;
  /** The access token's id and secret (random when absent). */
  tokenId?: string;
  tokenSecret?: string;
  /** The realm every request must name: NetSuite's account id, e.g. 1234567 or 1234567_SB1. */
  realm: string;
  /** How far oauth_timestamp may be from the sandbox clock, either way. Default 300 s (NetSuite: 5 minutes). */
  timestampWindowSeconds?: number;
  /** Accepted signature methods. Default HMAC-SHA256 only (NetSuite refuses HMAC-SHA1 since 2021). */
  signatureMethods?: OAuth1SignatureMethod[];
  /** The connector's credential shape. Default { consumerKey, consumerSecret, tokenId, tokenSecret, accountId }. */
  credentialsShape?(c: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string; realm: string }): Record<string, unknown>;
}

/**
 * OAuth 1.0a one-legged, as NetSuite's Token-Based Authentication uses it (RFC 5849): every
 * request carries `Authorization: OAuth realm="…", oauth_consumer_key, oauth_token,
 * oauth_signature_method, oauth_timestamp, oauth_nonce, oauth_version="1.0", oauth_signature`.
 * The sandbox rebuilds the signature base string (§3.4.1: method, base URI, the query, a
 * form-encoded body and the oauth_* parameters, normalised) and checks the HMAC with the consumer
 * and token secrets; a bad signature, another realm, a timestamp outside the window or a nonce
 * used before is refused (401). The `expire-token` fault revokes the access token:
 * GET /__sandbox/credentials then hands out a new token id and secret.
 */
export function oauth1(options: OAuth1Options): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const consumerKey = options.consumerKey ?? randomSecret('sbx-ck-', 24);
    const consumerSecret = options.consumerSecret ?? randomSecret('sbx-cs-', 24);
    let token = { id: options.tokenId ?? randomSecret('sbx-tid-', 24), secret: options.tokenSecret ?? randomSecret('sbx-ts-', 24) };
    const windowMs = (options.timestampWindowSeconds ?? 300) * 1000;
    const methods = options.signatureMethods ?? ['HMAC-SHA256'];
    const nonces = new NonceBook(windowMs);
    const shape = options.credentialsShape ?? ((c) => ({ consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, tokenId: c.tokenId, tokenSecret: c.tokenSecret, accountId: c.realm }));

    return {
      name: 'oauth1',
      routes: [],
      authenticate: (req) => {
        const header = parseAuthorization(req.headers.authorization);
        if (!header) return { ok: false, failure: 'missing' };
        const p = header.params;
        const method = p.oauth_signature_method as OAuth1SignatureMethod;
        const timestampMs = Number(p.oauth_timestamp) * 1000;
        const wellFormed = header.realm === options.realm && p.oauth_consumer_key === consumerKey && p.oauth_token === token.id
          && methods.includes(method) && (p.oauth_version === undefined || p.oauth_version === '1.0')
          && typeof p.oauth_nonce === 'string' && p.oauth_nonce.length > 0 && /^\d+$/.test(p.oauth_timestamp ?? '')
          && typeof p.oauth_signature === 'string';
        if (!wellFormed) return { ok: false, failure: 'invalid' };
        if (Math.abs(clock.nowMs() - timestampMs) > windowMs) return { ok: false, failure: 'invalid' };
        const { oauth_signature: given, ...signed } = p;
        const expected = sign(method, signatureBaseString(req.method, baseUri(req), [...requestParams(req), ...Object.entries(signed)]), consumerSecret, token.secret);
        if (!sameText(given, expected)) return { ok: false, failure: 'invalid' };
        if (!nonces.use(`${consumerKey}&${token.id}&${p.oauth_nonce}`, clock.nowMs())) return { ok: false, failure: 'invalid' };
        return { ok: true, principal: { scheme: 'oauth1', subject: `${options.realm}:${token.id.slice(0, 12)}` } };
      },
      credentials: () => shape({ consumerKey, consumerSecret, tokenId: token.id, tokenSecret: token.secret, realm: options.realm }),
      expireAccessTokens: () => {
        token = { id: randomSecret('sbx-tid-', 24), secret: randomSecret('sbx-ts-', 24) };
      },
    };
  };
}

/** RFC 3986 percent-encoding as RFC 5849 §3.6 asks: everything but ALPHA, DIGIT, '-', '.', '_', '~'. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature base string (RFC 5849 §3.4.1): METHOD&base-uri&normalised-parameters, each part encoded. */
export function signatureBaseString(method: string, uri: string, params: Array<[string, string]>): string {
  const normalised = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [method.toUpperCase(), percentEncode(uri), percentEncode(normalised)].join('&');
}

export function sign(method: OAuth1SignatureMethod, baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac(method === 'HMAC-SHA256' ? 'sha256' : 'sha1', key).update(baseString).digest('base64');
}

/** The base string URI (§3.4.1.2): scheme and host in lower case, the port only when not the default, the path. */
function baseUri(req: SandboxRequest): string {
  const host = String(req.headers.host ?? '127.0.0.1').toLowerCase().replace(/:80$/, '');
  return `http://${host}${req.path}`;
}

/** The query and a form-encoded body (§3.4.1.3.1), decoded. */
function requestParams(req: SandboxRequest): Array<[string, string]> {
  const params: Array<[string, string]> = [...req.query];
  if (/^application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))) params.push(...new URLSearchParams(req.rawBody));
  return params;
}

/** `Authorization: OAuth k="v", ...` (§3.5.1): the realm apart, values percent-decoded. */
function parseAuthorization(header: string | undefined): { realm?: string; params: Record<string, string> } | undefined {
  const match = header ? /^OAuth\s+(.*)$/is.exec(header) : null;
  if (!match) return undefined;
  const params: Record<string, string> = {};
  let realm: string | undefined;
  for (const part of match[1].split(',')) {
    const pair = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!pair) return undefined;
    let value: string;
    try {
      value = decodeURIComponent(pair[2]);
    } catch {
      return undefined;
    }
    if (pair[1] === 'realm') realm = value;
    else if (Object.hasOwn(params, pair[1])) return undefined; // a parameter twice: refused
    else params[pair[1]] = value;
  }
  return { realm, params };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Nonces seen within the timestamp window: a second use is a replay (§3.3). */
class NonceBook {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** False when the nonce was used before. */
  use(nonce: string, nowMs: number): boolean {
    for (const [n, at] of this.seen) if (nowMs - at > 2 * this.windowMs) this.seen.delete(n);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowMs);
    return true;
  }
}
