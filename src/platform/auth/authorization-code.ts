import { createHash, randomBytes } from 'node:crypto';
import type { AuthorizationCodeSpec, GrantedTokens } from '../../connectors/contract';
import { registerSecret } from '../credentials/redact';
import { ConnectorError } from '../errors';
import { requestTokenAnswer } from './oauth2-token-endpoint';

/**
 * The platform's side of the OAuth 2.0 authorization-code grant (RFC 6749 §4.1, PKCE RFC 7636):
 * the authorization URL a user is sent to, and the exchange of the code the provider sends back.
 * Each connector declares its provider's endpoints and quirks (AuthorizationCodeSpec); this is the
 * one mechanism that uses them.
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** A PKCE verifier (43 characters of base64url, RFC 7636 §4.1) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizationRequest {
  client: Pick<OAuthClient, 'clientId'>;
  redirectUri: string;
  state: string;
  /** Sent when the spec takes PKCE. */
  codeChallenge?: string;
}

/** The URL of the provider's consent page for this connection. */
export function authorizationUrl(spec: AuthorizationCodeSpec, config: Record<string, unknown>, request: AuthorizationRequest): string {
  const url = new URL(spec.authorizeUrl(config));
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: request.client.clientId,
    redirect_uri: request.redirectUri,
    // A provider whose app registration carries its scopes (Workday) is sent none.
    ...(spec.scopes.length > 0 ? { scope: spec.scopes.join(spec.scopeSeparator ?? ' ') } : {}),
    state: request.state,
    ...(spec.pkce && request.codeChallenge ? { code_challenge: request.codeChallenge, code_challenge_method: 'S256' } : {}),
    ...spec.authorizeParams,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export interface CodeExchange {
  system: string;
  client: OAuthClient;
  code: string;
  redirectUri: string;
  codeVerifier?: string;
  /** The callback parameters the spec keeps. */
  callback: Record<string, string>;
  config: Record<string, unknown>;
}

/**
 * Exchanges the code at the provider's token endpoint (through the platform's HTTP client, so the
 * egress rules apply) and turns the answer into the connection's credentials and config. The code,
 * the verifier and every token are registered with the request's scrubber first.
 */
export async function exchangeCode(spec: AuthorizationCodeSpec, exchange: CodeExchange): Promise<{ credentials: Record<string, unknown>; config: Record<string, unknown> }> {
  const { system, client, config, callback } = exchange;
  for (const secret of [client.clientSecret, exchange.code, exchange.codeVerifier]) registerSecret(secret);
  const grant: Record<string, string> = {
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    ...(spec.pkce && exchange.codeVerifier ? { code_verifier: exchange.codeVerifier } : {}),
  };
  const answer = await requestTokenAnswer(
    { system, tokenUrl: spec.tokenUrl(config, callback), clientAuthentication: spec.clientAuthentication, rejectionAdvice: 'start connecting again' },
    { id: client.clientId, secret: client.clientSecret },
    grant,
  );
  const granted: GrantedTokens<Record<string, unknown>> = {
    body: answer.body, refreshToken: answer.token.refreshToken, client, callback, redirectUri: exchange.redirectUri, config,
  };
  return spec.connection ? spec.connection(granted) : refreshTokenConnection(system, granted);
}

/** The usual connection of a code grant: the app's client and the refresh token, config unchanged. */
export function refreshTokenConnection<C>(system: string, granted: GrantedTokens<C>): { credentials: Record<string, unknown>; config: C } {
  if (!granted.refreshToken) {
    throw new ConnectorError({ kind: 'permanent', system, message: `${system} granted no refresh token: the app must be allowed offline access (docs/connect/${system}.md)` });
  }
  return {
    credentials: { clientId: granted.client.clientId, clientSecret: granted.client.clientSecret, refreshToken: granted.refreshToken },
    config: granted.config,
  };
}
