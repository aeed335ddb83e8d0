import type { AuthFailure, Principal, Route, SandboxRequest } from '../types';

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; failure: AuthFailure };

/**
 * How a sandbox checks who is calling. A scheme may bring its own routes (token endpoints, login),
 * which are public and outside the rate limit. Schemes are built with the factories in this folder:
 * oauth2RefreshToken, oauth2ClientCredentials, staticToken (bearer / API key header), basicAuth.
 */
export interface AuthScheme {
  name: string;
  routes: Route[];
  authenticate(req: SandboxRequest): AuthOutcome;
  /** Credentials valid for this sandbox now, in the connector's own credential shape. */
  credentials(): Record<string, unknown>;
  /** Every access token issued so far expires now (no-op for schemes without expiring tokens). */
  expireAccessTokens(): void;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(req: SandboxRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The user and password of an `Authorization: Basic ...` header, or undefined. */
export function basicCredentials(req: SandboxRequest): { user: string; password: string } | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A form-encoded or JSON body as a string record (what token endpoints read). */
export function formFields(req: SandboxRequest): Record<string, string> {
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : typeof v === 'number' ? [[k, String(v)]] : [])));
}
