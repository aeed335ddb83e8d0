import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { noAuth, readCredentials, sessionAuth, type CredentialsSource, type Session } from '../../platform/auth';
import { ConnectorError } from '../../platform/errors';
import { createHttpClient, type HttpClient, type OutgoingRequest } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { classifyAnswer, classifyLogin, SYSTEM } from './errors';
import { buildRequest, parseResponse } from './xml';

/** The XML gateway; `endpoint` overrides it (the sandbox). */
export const GATEWAY = 'https://api.intacct.com/ia/xml/xmlgw.phtml';
export const sageIntacctConfigSchema = z.object({ endpoint: egressUrl(GATEWAY) });
export type SageIntacctConfig = z.infer<typeof sageIntacctConfigSchema>;

/**
 * Web Services credentials (the sender id and password of the developer license, sent in every
 * request's <control>) and a Web Services user's company login, exchanged for a session id.
 */
export const sageIntacctCredentialsSchema = z.object({
  senderId: z.string().min(1),
  senderPassword: z.string().min(1),
  companyId: z.string().min(1),
  userId: z.string().min(1),
  userPassword: z.string().min(1),
});
export type SageIntacctCredentials = z.infer<typeof sageIntacctCredentialsSchema>;

export const sageIntacctAuth: AuthSpec = { scheme: 'session', credentials: sageIntacctCredentialsSchema };

/** What the gateway puts in <sessionid> until the session plug-in attaches the real one. */
export const SESSION_SLOT = 'forgeworks:session';
/** Used when the answer names no session timeout (Intacct's default session duration is at most hours). */
const FALLBACK_SESSION_MS = 30 * 60_000;

export function intacctCredentials(source: CredentialsSource): () => Promise<SageIntacctCredentials> {
  return async () => (await readCredentials(SYSTEM, source, sageIntacctCredentialsSchema)).parsed;
}

/**
 * API calls through the session plug-in (src/platform/auth/session.ts): getAPISession with the
 * company login yields the session, put in each request's <authentication>; a refused session
 * (classifyAnswer: a 401) logs in once more and the request goes again. A refused login or sender
 * is permanent.
 */
export function sageIntacctHttp(ctx: KitContextWithoutHttp<SageIntacctConfig>): HttpClient {
  const credentials = intacctCredentials(ctx.credentials);
  const auth = sessionAuth({
    connection: { tenantId: ctx.tenantId, connectionId: ctx.connectionId },
    credentials: ctx.credentials,
    login: async () => login(ctx.config.endpoint, await credentials()),
    attach: attachSession,
  });
  return createHttpClient({ system: SYSTEM, baseUrl: ctx.config.endpoint, auth, classify: classifyAnswer });
}

/** getAPISession, alone in its request as Intacct asks (https://developer.intacct.com/api/company-console/api-sessions/). */
export async function login(endpoint: string, c: SageIntacctCredentials): Promise<Session> {
  const http = createHttpClient({ system: SYSTEM, baseUrl: endpoint, auth: noAuth, classify: classifyLogin });
  const res = await http.request<string>({
    method: 'POST', path: '', headers: { 'content-type': 'application/xml' },
    body: buildRequest({
      senderId: c.senderId, senderPassword: c.senderPassword, controlId: randomUUID(),
      authentication: { login: { userid: c.userId, companyid: c.companyId, password: c.userPassword } },
      functions: [{ controlId: 'session', call: { getAPISession: '' } }],
    }),
  });
  const answer = parseResponse(res.body);
  const api = answer?.results[0]?.data?.records[0];
  const sessionId = typeof api?.sessionid === 'string' ? api.sessionid : '';
  if (!answer || sessionId === '') {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: 'sage-intacct answered getAPISession without a session id' });
  }
  const timeout = Date.parse(answer.authentication?.sessionTimeout ?? '');
  return { sessionId, expiresAt: Number.isNaN(timeout) ? Date.now() + FALLBACK_SESSION_MS : timeout };
}

/** Puts the session id where the gateway left its slot in <sessionid> (escaped as XML text). */
export function attachSession(req: OutgoingRequest, sessionId: string): void {
  if (req.body === undefined || !req.body.includes(SESSION_SLOT)) return;
  const escaped = escapeXmlText(sessionId);
  req.body = req.body.replace(SESSION_SLOT, () => escaped);
}

function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
