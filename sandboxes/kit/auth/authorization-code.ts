import { createHash, timingSafeEqual } from 'node:crypto';
import type { SandboxClock } from '../clock';
import type { HandlerContext, Reply, Route, SandboxRequest } from '../types';
import { formFields } from './auth-scheme';
import { randomSecret } from './token-book';

/** What a sandbox's provider does differently in the authorization-code grant (RFC 6749 §4.1). */
export interface AuthorizationCodeOptions {
  /** The provider's consent endpoint, e.g. /oauth/authorize (HubSpot), /services/oauth2/authorize (Salesforce). */
  authorizePath: string;
  /** The provider's name, shown on the consent page. */
  providerName: string;
  /**
   * Whether the provider takes PKCE (RFC 7636, method S256). When false, code_challenge is ignored
   * at the consent endpoint and code_verifier at the token endpoint, as a provider without PKCE does.
   */
  pkce: boolean;
  /** Lifetime of a code on the sandbox clock (RFC 6749 §4.1.2 recommends at most 10 minutes). Default 600 s. */
  codeTtlSeconds?: number;
  /**
   * Parameters the provider adds to the redirect besides code and state (Intuit's realmId), given
   * those already set (Shopify signs them all: its hmac is computed from them).
   */
  redirectParams?(ctx: HandlerContext, sent: Record<string, string>): Record<string, string>;
  /** Whether the token request must repeat redirect_uri (RFC 6749 §4.1.3). Shopify's does not. Default true. */
  tokenChecksRedirectUri?: boolean;
  /** The provider's token-endpoint error bodies for a code grant. */
  errors: {
    /** The code is unknown, used already, expired, or issued to another client. */
    badCode(req: SandboxRequest, ctx: HandlerContext): Reply;
    /** redirect_uri differs from the one the code was issued for. */
    badRedirectUri(req: SandboxRequest, ctx: HandlerContext): Reply;
    /** code_verifier missing or not the one whose S256 hash was the code_challenge. */
    badCodeVerifier(req: SandboxRequest, ctx: HandlerContext): Reply;
  };
}

interface PendingConsent {
  redirectUri: string;
  state?: string;
  scope: string;
  codeChallenge?: string;
  /** The authorization request's query (what else it asked: Google's access_type). */
  request: Record<string, string>;
}

interface IssuedCode extends Omit<PendingConsent, 'state'> {
  clientId: string;
  expiresAtMs: number;
}

/** A code redeemed at the token endpoint: the scope the user granted and what the authorization request asked. */
export type RedeemedCode = { ok: true; scope: string; request: Record<string, string> } | { ok: false; reply: Reply };

/**
 * The authorization-code grant as a sandbox serves it: `GET authorizePath` renders a consent page
 * with Allow and Deny forms (plain HTML a test submits over HTTP); `POST authorizePath` answers the
 * user's decision with a 302 to redirect_uri carrying code and state, or error=access_denied. The
 * token endpoint redeems a code once, for the client and redirect_uri it was issued to, and checks
 * the PKCE verifier when the provider takes PKCE.
 */
export class AuthorizationCodes {
  private readonly consents = new Map<string, PendingConsent>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly options: AuthorizationCodeOptions,
    private readonly clock: SandboxClock,
    private readonly clientId: string,
  ) {}

  routes(): Route[] {
    return [
      { method: 'GET', path: this.options.authorizePath, public: true, rateLimited: false, handle: (req) => this.consentPage(req) },
      { method: 'POST', path: this.options.authorizePath, public: true, rateLimited: false, handle: (req, ctx) => this.decide(req, ctx) },
    ];
  }

  /** Redeems a code from a token request's form (client already authenticated by the caller). */
  redeem(form: Record<string, string>, req: SandboxRequest, ctx: HandlerContext): RedeemedCode {
    const issued = form.code ? this.codes.get(form.code) : undefined;
    if (!issued || !form.code || issued.clientId !== this.clientId || this.clock.nowMs() >= issued.expiresAtMs) {
      return { ok: false, reply: this.options.errors.badCode(req, ctx) };
    }
    // Single use: a code is spent by its first redemption, whatever the outcome (RFC 6749 §4.1.2).
    this.codes.delete(form.code);
    if ((this.options.tokenChecksRedirectUri ?? true) && form.redirect_uri !== issued.redirectUri) return { ok: false, reply: this.options.errors.badRedirectUri(req, ctx) };
    if (this.options.pkce && issued.codeChallenge !== undefined && !verifierMatches(form.code_verifier, issued.codeChallenge)) {
      return { ok: false, reply: this.options.errors.badCodeVerifier(req, ctx) };
    }
    return { ok: true, scope: issued.scope, request: issued.request };
  }

  private consentPage(req: SandboxRequest): Reply {
    const q = req.query;
    const redirectUri = q.get('redirect_uri') ?? '';
    // An unknown client or a bad redirect_uri is shown to the user, never redirected (RFC 6749 §4.1.2.1).
    if (q.get('client_id') !== this.clientId) return errorPage(this.options.providerName, 'The client_id is missing or unknown.');
    if (!isAbsoluteHttpUrl(redirectUri)) return errorPage(this.options.providerName, 'The redirect_uri is missing or not an absolute http(s) URL.');
    const state = q.get('state') ?? undefined;
    if (q.get('response_type') !== 'code') return redirect(redirectUri, { error: 'unsupported_response_type', state });
    const codeChallenge = this.options.pkce ? q.get('code_challenge') ?? undefined : undefined;
    if (codeChallenge !== undefined && (q.get('code_challenge_method') ?? 'plain') !== 'S256') {
      return redirect(redirectUri, { error: 'invalid_request', error_description: 'code_challenge_method must be S256', state });
    }
    const scope = q.get('scope') ?? '';
    const consent = randomSecret('consent-', 12);
    this.consents.set(consent, { redirectUri, state, scope, codeChallenge, request: Object.fromEntries(q) });
    // The form posts back to the path asked (authorizePath may hold parameters: Microsoft's /{tenant}/...).
    return consentPage(this.options.providerName, req.path, consent, this.clientId, scope);
  }

  private decide(req: SandboxRequest, ctx: HandlerContext): Reply {
    const form = formFields(req);
    const pending = form.consent ? this.consents.get(form.consent) : undefined;
    if (!pending || !form.consent) return errorPage(this.options.providerName, 'This authorization request is unknown or was answered already.');
    this.consents.delete(form.consent);
    if (form.decision !== 'allow') {
      return redirect(pending.redirectUri, { error: 'access_denied', error_description: 'The user denied access', state: pending.state });
    }
    const code = randomSecret('sbx-code-');
    const ttl = this.options.codeTtlSeconds ?? 600;
    this.codes.set(code, {
      clientId: this.clientId, redirectUri: pending.redirectUri, scope: pending.scope, codeChallenge: pending.codeChallenge,
      request: pending.request, expiresAtMs: this.clock.nowMs() + ttl * 1000,
    });
    const sent: Record<string, string> = { code, ...(pending.state !== undefined ? { state: pending.state } : {}) };
    return redirect(pending.redirectUri, { ...sent, ...(this.options.redirectParams?.(ctx, sent) ?? {}) });
  }
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) equals the code_challenge. */
function verifierMatches(verifier: string | undefined, challenge: string): boolean {
  if (!verifier) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function redirect(to: string, params: Record<string, string | undefined>): Reply {
  const url = new URL(to);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return { status: 302, headers: { location: url.toString() } };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function html(status: number, title: string, body: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>\n`,
  };
}

function consentPage(provider: string, action: string, consent: string, clientId: string, scope: string): Reply {
  const scopes = scope.split(/[\s,]+/).filter(Boolean).map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  const form = (decision: 'allow' | 'deny', label: string) =>
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="consent" value="${escapeHtml(consent)}">` +
    `<button type="submit" name="decision" value="${decision}">${label}</button></form>`;
  return html(200, `${provider} (sandbox): authorize access`,
    `<h1>${escapeHtml(provider)} sandbox</h1>\n<p>The app <code>${escapeHtml(clientId)}</code> asks for access:</p>\n<ul>${scopes}</ul>\n` +
    `${form('allow', 'Allow')}\n${form('deny', 'Deny')}`);
}

function errorPage(provider: string, message: string): Reply {
  return html(400, `${provider} (sandbox): authorization error`, `<h1>Authorization error</h1>\n<p>${escapeHtml(message)}</p>`);
}
