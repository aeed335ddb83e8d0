import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { findConnector } from '../../connectors/registry';
import { authorizationUrl, exchangeCode, pkcePair, type OAuthClient } from '../../platform/auth';
import type { AppConfig } from '../../platform/config';
import { redact, registerSecret } from '../../platform/credentials/redact';
import type { CredentialStore } from '../../platform/credentials/store';
import { ConnectSessionsRepository, type ConnectSessionRow, type ConnectSessionStatus } from '../../platform/db/repositories/connect-sessions';
import { ConnectionsRepository } from '../../platform/db/repositories/connections';
import { oauthClientEnvNames } from '../../platform/oauth-clients';
import { ApiError, conflict, notFound, validationFailed } from '../errors/api-error';
import { connectorFailureStatus, failureReason, storageUnavailable } from '../errors/platform-failures';
import { ConnectionsService } from '../connections/connections.service';
import { CONFIG, CREDENTIAL_STORE, GATEWAY_LOGGER } from '../tokens';
import { connectedPage, deniedPage, failedPage, refusedPage, unavailablePage, type CallbackPage } from './callback-page';
import { validateConnectSessionBody } from './connect-body';

/** How long a user has to consent (and the state stays valid). */
export const CONNECT_SESSION_TTL_SECONDS = 600;
export const CALLBACK_PATH = '/v1/connect/callback';

export interface ConnectSessionView {
  id: string;
  connector: string;
  name: string;
  status: ConnectSessionStatus;
  connectionId?: string;
  error?: string;
  expiresAt: string;
}

/** What the session keeps in the credential store (encrypted): never in its row, never in the browser. */
interface SessionSecrets {
  codeVerifier?: string;
  /** The tenant's own OAuth app, when the session brought one. */
  client?: OAuthClient;
}

function toView(row: ConnectSessionRow, now = Date.now()): ConnectSessionView {
  const expired = row.status === 'pending' && !row.claimedAt && row.expiresAt.getTime() <= now;
  return {
    id: row.id, connector: row.connector, name: row.name, status: expired ? 'expired' : row.status,
    ...(row.connectionId ? { connectionId: row.connectionId } : {}), ...(row.error ? { error: row.error } : {}),
    expiresAt: row.expiresAt.toISOString(),
  };
}

export function hashState(state: string): string {
  return crypto.createHash('sha256').update(state).digest('hex');
}

/**
 * Connect flows (OAuth authorization-code grant) for every connector that declares one: a session
 * answers the provider's consent URL; the callback checks the state (single use, 10 minutes),
 * exchanges the code and creates the connection through ConnectionsService, as POST
 * /v1/connections would with the same credentials.
 */
@Injectable()
export class ConnectService {
  constructor(
    @Inject(ConnectSessionsRepository) private readonly sessions: ConnectSessionsRepository,
    @Inject(ConnectionsService) private readonly connections: ConnectionsService,
    @Inject(ConnectionsRepository) private readonly connectionRows: ConnectionsRepository,
    @Inject(CREDENTIAL_STORE) private readonly store: CredentialStore,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  /** POST /v1/connect/sessions. `origin` is the gateway's URL as the caller reached it (without FORGE_PUBLIC_URL). */
  async start(tenantId: string, body: unknown, origin: string): Promise<ConnectSessionView & { authorizationUrl: string }> {
    const checked = validateConnectSessionBody(body);
    if ('problems' in checked) throw validationFailed(checked.problems);
    const { def, spec, name, config } = checked.valid;
    const client = checked.valid.client ?? this.config.oauthClients?.[def.id];
    if (!client) {
      const env = oauthClientEnvNames(def.id);
      throw validationFailed([{ field: 'client', message: `no OAuth app is configured for ${def.id}: send client { clientId, clientSecret } or set ${env.clientId} and ${env.clientSecret}` }]);
    }
    registerSecret(client.clientSecret);
    // Checked again when the connection is created; here so nobody consents for a name that cannot be used.
    if (await this.connectionRows.nameTaken(tenantId, name)) throw conflict(`a connection named "${name}" already exists`);
    await this.forgetStaleSessions(tenantId);
    const id = `cs_${crypto.randomBytes(10).toString('hex')}`;
    const state = crypto.randomBytes(32).toString('base64url');
    const pkce = spec.pkce ? pkcePair() : undefined;
    const redirectUri = `${(this.config.FORGE_PUBLIC_URL ?? origin).replace(/\/+$/, '')}${CALLBACK_PATH}`;
    let url: string;
    try {
      url = authorizationUrl(spec, config, { client, redirectUri, state, codeChallenge: pkce?.challenge });
    } catch (err) {
      throw validationFailed([{ field: 'config', message: `no authorization URL can be built from this config: ${failureReason(err)}` }]);
    }
    const secrets: SessionSecrets = { ...(pkce ? { codeVerifier: pkce.verifier } : {}), ...(checked.valid.client ? { client: checked.valid.client } : {}) };
    try {
      await this.store.put(tenantId, id, secrets as Record<string, unknown>);
    } catch (err) {
      throw storageUnavailable(this.logger, err, { context: { tenantId, sessionId: id }, logMessage: 'could not store a connect session',
        answer: 'the connect session could not be stored: the credential store is unavailable, retry later' });
    }
    let row: ConnectSessionRow;
    try {
      row = await this.sessions.insert({ id, tenantId, connector: def.id, name, config, redirectUri, stateHash: hashState(state), ttlSeconds: CONNECT_SESSION_TTL_SECONDS });
    } catch (err) {
      await this.store.delete(tenantId, id).catch(() => {});
      throw storageUnavailable(this.logger, err, { context: { tenantId, sessionId: id }, logMessage: 'could not store a connect session',
        answer: 'the connect session could not be stored, retry later' });
    }
    this.logger.info({ tenantId, sessionId: id, connector: def.id }, 'connect session started');
    return { ...toView(row), authorizationUrl: url };
  }

  /** Sessions nobody came back for keep no secrets: they are removed when the tenant starts another. */
  private async forgetStaleSessions(tenantId: string): Promise<void> {
    for (const id of await this.sessions.expireStale(tenantId)) {
      await this.store.delete(tenantId, id).catch((err: unknown) => {
        this.logger.warn({ tenantId, sessionId: id, err: failureReason(err) }, 'could not remove the secrets of an expired connect session');
      });
    }
  }

  async get(tenantId: string, id: string): Promise<ConnectSessionView> {
    const row = await this.sessions.findForTenant(tenantId, id);
    if (!row) throw notFound('connect session', id);
    return toView(row);
  }

  /** GET /v1/connect/callback: never throws; every outcome is a page. */
  async callback(query: URLSearchParams): Promise<CallbackPage> {
    try {
      return await this.answerCallback(query);
    } catch (err) {
      this.logger.error({ err: failureReason(err) }, 'a connect callback could not be answered');
      return unavailablePage();
    }
  }

  private async answerCallback(query: URLSearchParams): Promise<CallbackPage> {
    const state = query.get('state');
    if (!state) return refusedPage('The link carries no state: it did not come from a Forgeworks authorization request.');
    const found = await this.sessions.findByStateHash(hashState(state));
    if (!found) return refusedPage('This authorization link is unknown: it was not issued by Forgeworks.');
    if (found.claimedAt) return refusedPage('This authorization link was used already: each one works once.');
    const session = await this.sessions.claim(found.id);
    if (!session) {
      return refusedPage(await this.sessions.isExpired(found.id)
        ? 'This authorization link expired: links are valid for 10 minutes.'
        : 'This authorization link was used already: each one works once.');
    }
    const system = findConnector(session.connector)?.displayName ?? session.connector;
    try {
      return await this.complete(session, system, query);
    } finally {
      await this.store.delete(session.tenantId, session.id).catch((err: unknown) => {
        this.logger.warn({ tenantId: session.tenantId, sessionId: session.id, err: failureReason(err) }, 'could not remove the secrets of a finished connect session');
      });
    }
  }

  private async complete(session: ConnectSessionRow, system: string, query: URLSearchParams): Promise<CallbackPage> {
    const log = { tenantId: session.tenantId, sessionId: session.id, connector: session.connector };
    const error = query.get('error');
    if (error === 'access_denied') {
      await this.sessions.finish(session.id, { status: 'denied', error: 'access was denied at the consent page' });
      this.logger.info(log, 'connect session denied');
      return deniedPage(system);
    }
    const fail = async (reason: string, status = 400): Promise<CallbackPage> => {
      const message = redact(reason);
      await this.sessions.finish(session.id, { status: 'failed', error: message });
      this.logger.info({ ...log, reason: message }, 'connect session failed');
      return failedPage(system, message, status);
    };
    if (error) return fail(`${system} refused the authorization: ${error.slice(0, 100)}`);
    const code = query.get('code');
    if (!code) return fail(`${system} sent no authorization code.`);
    registerSecret(code);
    const def = findConnector(session.connector);
    if (!def?.authorization) return fail(`the connector ${session.connector} is not installed any more.`);
    const callback: Record<string, string> = {};
    for (const name of def.authorization.callbackParams ?? []) {
      const value = query.get(name);
      if (!value) return fail(`${system} sent no ${name} with the authorization code.`);
      callback[name] = value;
    }
    const secrets = (await this.store.get(session.tenantId, session.id).catch(() => null)) as SessionSecrets | null;
    const client = secrets?.client ?? this.config.oauthClients?.[def.id];
    if (!secrets || !client) return fail('the session\'s secrets are gone (the credential store lost them, or the OAuth app was removed from the configuration).', 503);
    registerSecret(client.clientSecret);
    registerSecret(secrets.codeVerifier);
    const forged = def.authorization.verifyCallback?.(query, client, session.config);
    if (forged) return fail(`the callback's parameters are not ${system}'s: ${forged}.`);

    let granted: { credentials: Record<string, unknown>; config: Record<string, unknown> };
    try {
      granted = await exchangeCode(def.authorization, {
        system: def.id, client, code, redirectUri: session.redirectUri, codeVerifier: secrets.codeVerifier, callback, config: session.config,
      });
    } catch (err) {
      return fail(`the authorization code could not be exchanged: ${(err as Error).message}`, connectorFailureStatus(err));
    }
    let connectionId: string;
    try {
      ({ id: connectionId } = await this.connections.create(session.tenantId, { connector: def.id, name: session.name, credentials: granted.credentials, config: granted.config }));
    } catch (err) {
      const detail = err instanceof ApiError ? [err.message, ...(err.fields ?? []).map((f) => `${f.field}: ${f.message}`)].join('; ') : String(err);
      return fail(`the connection could not be created: ${detail}`, err instanceof ApiError && err.getStatus() < 500 ? 400 : 503);
    }
    await this.sessions.finish(session.id, { status: 'connected', connectionId });
    this.logger.info({ ...log, connectionId }, 'connect session connected');
    return connectedPage(system, session.name, connectionId);
  }
}
