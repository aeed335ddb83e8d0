import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { Reply, RouteProbe, SandboxRequest } from '../kit';

/**
 * The gateway's XML, read and written with fast-xml-parser (values as text, never converted):
 * requests as https://developer.intacct.com/web-services/requests/ describes them, answers as
 * https://developer.intacct.com/web-services/error-handling/ and https://developer.intacct.com/support/faq/ show them.
 */
const ATTR = '@_';
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: ATTR, parseTagValue: false, parseAttributeValue: false, trimValues: true,
  isArray: (_name, path) => path === 'request.operation.content.function',
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, format: true, indentBy: '    ' });

export type Node = Record<string, unknown>;

export interface GatewayRequest {
  control: { senderid: string; password: string; controlid: string; uniqueid: string; dtdversion: string };
  authentication: { sessionid?: string; login?: { userid: string; companyid: string; password: string } };
  functions: Array<{ controlId: string; name: string; body: Node }>;
}

export interface GatewayError {
  errorno: string;
  description?: string;
  description2: string;
  correction?: string;
}

/** The request, or the parser's complaint when the body is not well-formed XML of a <request>. */
export function parseRequest(raw: string): { ok: true; request: GatewayRequest } | { ok: false; problem: string } {
  let doc: Node;
  try {
    doc = parser.parse(raw, true) as Node;
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  const request = node(doc.request);
  if (!request) return { ok: false, problem: 'the document has no <request> element' };
  const control = node(request.control) ?? {};
  const operation = node(request.operation) ?? {};
  const authentication = node(operation.authentication) ?? {};
  const login = node(authentication.login);
  const content = node(operation.content) ?? {};
  const functions = (Array.isArray(content.function) ? content.function : []).flatMap((f: unknown) => {
    const fn = node(f) ?? {};
    const name = Object.keys(fn).find((k) => !k.startsWith(ATTR));
    return name ? [{ controlId: text(fn[`${ATTR}controlid`]), name, body: node(fn[name]) ?? {} }] : [];
  });
  return {
    ok: true,
    request: {
      control: {
        senderid: text(control.senderid), password: text(control.password), controlid: text(control.controlid),
        uniqueid: text(control.uniqueid), dtdversion: text(control.dtdversion),
      },
      authentication: {
        ...(authentication.sessionid !== undefined ? { sessionid: text(authentication.sessionid) } : {}),
        ...(login ? { login: { userid: text(login.userid), companyid: text(login.companyid), password: text(login.password) } } : {}),
      },
      functions,
    },
  };
}

/** The parsed request of a sandbox request (the kit leaves application/xml bodies as text). */
export function requestOf(req: SandboxRequest | RouteProbe): GatewayRequest | undefined {
  const parsed = parseRequest(req.rawBody);
  return parsed.ok ? parsed.request : undefined;
}

export function node(value: unknown): Node | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Node : undefined;
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function attr(name: string): string {
  return `${ATTR}${name}`;
}

/** An XML answer with HTTP `status` (200 for everything the gateway itself answers). */
export function xmlReply(response: Node, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body: `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ response }) as string}`, headers: { 'content-type': 'application/xml; charset=utf-8', ...headers } };
}

export function errorMessage(errors: GatewayError[]): Node {
  return { error: errors.map((e) => ({ errorno: e.errorno, description: e.description ?? '', description2: e.description2, correction: e.correction ?? '' })) };
}

/** The <control> block echoed in every answer. */
export function controlBlock(request: GatewayRequest | undefined, status: 'success' | 'failure'): Node {
  return {
    status,
    senderid: request?.control.senderid ?? '',
    controlid: request?.control.controlid ?? '',
    uniqueid: request?.control.uniqueid || 'false',
    dtdversion: request?.control.dtdversion || '3.0',
  };
}

/** A failure of the whole request at the <control> level: no operation ran. */
export function controlFailure(request: GatewayRequest | undefined, errors: GatewayError[], status = 200, headers: Record<string, string> = {}): Reply {
  return xmlReply({ control: controlBlock(request, 'failure'), errormessage: errorMessage(errors) }, status, headers);
}

/** The sender id/password refused (the error handling page's "invalid Web Services sender"). */
export function badSender(request: GatewayRequest | undefined): Reply {
  return controlFailure(request, [{ errorno: 'XL03000006', description2: 'Incorrect Intacct XML Partner ID or password.' }]);
}

/** A refused session or company login: control success, authentication failure, no function ran. */
export function authenticationFailure(request: GatewayRequest | undefined, status = 200): Reply {
  const login = request?.authentication.login;
  return xmlReply({
    control: controlBlock(request, 'success'),
    operation: {
      authentication: { status: 'failure', userid: login?.userid ?? '', companyid: login?.companyid ?? '', locationid: '' },
      errormessage: errorMessage([{ errorno: 'XL03000006', description2: 'Sign-in information is incorrect' }]),
    },
  }, status);
}

/**
 * GW-0010: too many requests (https://developer.intacct.com/web-services/error-handling/), HTTP 429.
 * Retry-After only where the sandbox itself decides the wait (its concurrency limit): the kit adds
 * it to rate-limit and fault answers.
 */
export function rateLimitedReply(request: GatewayRequest | undefined, retryAfterSeconds?: number): Reply {
  return controlFailure(request, [{ errorno: 'GW-0010', description: 'Rate limit exceeded: too many concurrent or recent requests for this company.', description2: '' }], 429,
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) });
}
