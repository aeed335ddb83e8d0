import {
  concurrencyLimit, randomSecret, sessionLogin, startSandbox, type HandlerContext, type NewRecord, type Reply, type RunningSandbox,
  type SandboxDefinition, type SandboxOptions, type SandboxRequest, type StoredRecord,
} from '../kit';
import { sageIntacctCatalog, sageIntacctCatalogDifferences } from './catalog';
import { Functions, recordRow } from './functions';
import { AUDIT, intacctObject } from './objects';
import {
  authenticationFailure, badSender, controlBlock, controlFailure, errorMessage, parseRequest, rateLimitedReply, requestOf, xmlReply, type GatewayRequest,
} from './xml';

/**
 * The Sage Intacct sandbox: the XML Web Services gateway (one POST endpoint, dtdversion 3.0) on
 * CUSTOMER and VENDOR, with getAPISession logins, sender credentials in every <control>, several
 * functions per request each answered by its own <result>, readByQuery/readMore paging, deletes in
 * AUDITHISTORY, and a limit on concurrent requests (performance tiers) answered GW-0010 / HTTP 429.
 * README.md lists the pages followed.
 * Vendor documentation followed: https://developer.intacct.com/web-services/ (and the pages README.md lists).
 */
export const GATEWAY_PATH = '/ia/xml/xmlgw.phtml';

export interface SageIntacctSandboxOptions {
  senderId?: string;
  senderPassword?: string;
  companyId?: string;
  userId?: string;
  userPassword?: string;
  /** Requests the company's performance tier lets run at once (default 2); one more is refused with GW-0010. */
  concurrentRequests?: number;
  /** How long each request holds its concurrency slot (tests make requests overlap). Default 0. */
  processingMs?: number;
  /** Session lifetime (Intacct: the user's or company's session duration, extended by each call). Default 1800 s. */
  sessionTtlSeconds?: number;
}

export function sageIntacctSandbox(options: SageIntacctSandboxOptions = {}): SandboxDefinition {
  const sender = { senderId: options.senderId ?? 'forge_sender', senderPassword: options.senderPassword ?? randomSecret('sbx-sender-') };
  const user = { companyId: options.companyId ?? 'FORGE-CO', userId: options.userId ?? 'xml_gateway', userPassword: options.userPassword ?? randomSecret('sbx-user-') };
  const senderValid = (request: GatewayRequest | undefined) => request?.control.senderid === sender.senderId && request.control.password === sender.senderPassword;
  const functions = new Functions(user.userId);
  const limited = concurrencyLimit({ limit: options.concurrentRequests ?? 2, processingMs: options.processingMs, refuse: () => rateLimitedReply(undefined, 1) });

  /** Why a request without a usable session or login is refused, checked in Intacct's order: the XML, the sender, the login. */
  const refusal = (req: SandboxRequest): Reply => {
    const parsed = parseRequest(req.rawBody);
    if (!parsed.ok) return unparsable(parsed.problem);
    return senderValid(parsed.request) ? authenticationFailure(parsed.request) : badSender(parsed.request);
  };

  const gateway = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const parsed = parseRequest(req.rawBody);
    if (!parsed.ok) return unparsable(parsed.problem);
    const request = parsed.request;
    if (!senderValid(request)) return badSender(request);
    const results = request.functions.map((f) => {
      const outcome = functions.run(f.name, f.body, ctx);
      return {
        status: outcome.status, function: f.name, controlid: f.controlId,
        ...(outcome.data ? { data: outcome.data } : {}),
        ...(outcome.errors ? { errormessage: errorMessage(outcome.errors) } : {}),
      };
    });
    return xmlReply({
      control: controlBlock(request, 'success'),
      operation: { authentication: authenticated(user, ctx), result: results },
    });
  };

  return {
    system: 'sage-intacct',
    objects: ['CUSTOMER', 'VENDOR', AUDIT],
    catalog: sageIntacctCatalog,
    catalogDifferences: sageIntacctCatalogDifferences,
    auth: sessionLogin({
      login: {
        path: GATEWAY_PATH,
        when: (probe) => requestOf(probe)?.authentication.login !== undefined,
        read: (req) => {
          const request = requestOf(req);
          const login = request?.authentication.login;
          if (!request || !login) return undefined;
          return { senderId: request.control.senderid, senderPassword: request.control.password, companyId: login.companyid, userId: login.userid, userPassword: login.password };
        },
      },
      credentials: { ...sender, ...user },
      readSession: (req) => requestOf(req)?.authentication.sessionid || undefined,
      sessionTtlSeconds: options.sessionTtlSeconds ?? 1800,
      sliding: true,
      loginResponse: (session, req, ctx) => {
        const request = requestOf(req);
        const fn = request?.functions[0];
        return xmlReply({
          control: controlBlock(request, 'success'),
          operation: {
            authentication: { ...authenticated(user, ctx), sessiontimeout: session.expiresAt },
            result: {
              status: 'success', function: fn?.name ?? 'getAPISession', controlid: fn?.controlId ?? '',
              data: { api: { sessionid: session.sessionId, endpoint: `${ctx.baseUrl}${GATEWAY_PATH}`, locationid: '' } },
            },
          },
        });
      },
      errors: { badLogin: (req) => refusal(req) },
    }),
    routes: [{ method: 'POST', path: GATEWAY_PATH, handle: limited(gateway) }],
    errors: {
      unauthorized: (_failure, req) => refusal(req),
      rateLimited: (_info, req) => rateLimitedReply(requestOf(req)),
      notFound: () => ({ status: 404, body: 'Not Found', headers: { 'content-type': 'text/html' } }),
      malformedBody: () => controlFailure(undefined, [{ errorno: 'XL03000003', description2: 'XML Parse schema error: the request body could not be read.' }]),
      forStatus: (status, req) => forStatus(status, requestOf(req)),
    },
    presentRecord: (object, record) => present(object, record),
    seedRecord: (object, input) => seed(object, input),
    config: (baseUrl) => ({ endpoint: `${baseUrl}${GATEWAY_PATH}` }),
  };
}

function unparsable(problem: string): Reply {
  return controlFailure(undefined, [{ errorno: 'XL03000003', description2: `XML Parse schema error: ${problem}` }]);
}

function authenticated(user: { companyId: string; userId: string }, ctx: HandlerContext): Record<string, string> {
  return { status: 'success', userid: user.userId, companyid: user.companyId, locationid: '', sessiontimestamp: ctx.clock.nowIso() };
}

/** What the gateway answers for an injected status: a refused session for 401, GW-0010 for 429, a bare server error otherwise. */
function forStatus(status: number, request: GatewayRequest | undefined): Reply {
  if (status === 401) return authenticationFailure(request, 401);
  if (status === 429) return rateLimitedReply(request);
  if (status >= 500) return { status, body: 'Internal Server Error', headers: { 'content-type': 'text/html' } };
  return controlFailure(request, [{ errorno: 'GW-0011', description: 'Invalid Request', description2: '' }], status);
}

/** The admin view: a CUSTOMER/VENDOR as read shows it (text values, RECORDNO, stamps); audit rows as stored. */
function present(object: string, record: StoredRecord): unknown {
  const known = intacctObject(object);
  return known ? recordRow(known, record) : { ...record.fields };
}

/** A seed in the API's field names: RECORDNO becomes the record's id, WHENMODIFIED its stamp, values text. */
function seed(object: string, input: Record<string, unknown>): NewRecord {
  const { RECORDNO, WHENCREATED, WHENMODIFIED, ...rest } = input;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
  const known = intacctObject(object);
  return {
    ...(RECORDNO !== undefined ? { id: String(RECORDNO) } : {}),
    ...(typeof WHENCREATED === 'string' ? { createdAt: WHENCREATED } : {}),
    ...(typeof WHENMODIFIED === 'string' ? { updatedAt: WHENMODIFIED } : {}),
    fields: known ? { STATUS: 'active', ONHOLD: 'false', ...fields } : fields,
  };
}

export function startSageIntacctSandbox(options: SageIntacctSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(sageIntacctSandbox(options), options);
}
