import type { AuthScheme, HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import type { ChangeEventBus, ChangeTransaction } from './change-events';
import { isSalesforceId, toId18 } from './ids';
import { sobjectOfId } from './schema';
import { duplicateExternalId } from './validation';

/**
 * The SOAP API's undelete() call (SOAP API Developer Guide, "undelete()"): the REST API has no
 * undelete resource, so restoring a record from the recycle bin goes through
 * POST /services/Soap/u/62.0 (partner WSDL) with the OAuth access token as the SessionHeader's
 * sessionId. Only `undelete` is modelled; the answer is
 *   <undeleteResponse><result><id/><success/>[<errors><statusCode/><message/></errors>]</result>...
 * and a bad session is an HTTP 500 soapenv:Fault with faultcode sf:INVALID_SESSION_ID.
 */
const ENVELOPE_OPEN = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';
const XML = { 'content-type': 'text/xml;charset=UTF-8' };

export function soapRoutes(auth: () => AuthScheme, changes: ChangeEventBus): Route[] {
  return [{ method: 'POST', path: '/services/Soap/u/:version', public: true, handle: changes.committing('soap', (req, ctx, tx) => soapCall(auth(), req, ctx, tx)) }];
}

function soapCall(auth: AuthScheme, req: SandboxRequest, ctx: HandlerContext, tx: ChangeTransaction): Reply {
  const body = typeof req.body === 'string' ? req.body : req.rawBody;
  const sessionId = elementTexts(body, 'sessionId')[0];
  const outcome = sessionId ? auth.authenticate({ ...req, headers: { ...req.headers, authorization: `Bearer ${sessionId}` } }) : { ok: false as const };
  if (!outcome.ok) return fault('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session');
  if (!/<(?:\w+:)?undelete[\s>]/.test(body)) return fault('sf:INVALID_OPERATION', 'INVALID_OPERATION: this sandbox models only undelete()');
  const results = elementTexts(body, 'ids').map((id) => undeleteOne(ctx, tx, id.trim()));
  return { status: 200, headers: XML, body: `${ENVELOPE_OPEN}<undeleteResponse>${results.join('')}</undeleteResponse>${ENVELOPE_CLOSE}` };
}

function undeleteOne(ctx: HandlerContext, tx: ChangeTransaction, raw: string): string {
  const spec = isSalesforceId(raw) ? sobjectOfId(raw) : undefined;
  if (!spec) return failure(raw, 'MALFORMED_ID', `invalid id: ${raw}`);
  const id = toId18(raw);
  const current = ctx.records.latest(spec.name, id);
  if (!current) return failure(id, 'INVALID_ID_FIELD', 'Invalid id, or the record was purged from the recycle bin');
  if (!current.archived) return failure(id, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
  const duplicate = duplicateExternalId(ctx.records, spec, current.fields, id);
  if (duplicate) return failure(id, duplicate.statusCode, duplicate.message, duplicate.fields);
  ctx.records.unarchive(spec.name, id);
  const restored = ctx.records.latest(spec.name, id);
  if (restored) tx.undeleted(spec, restored);
  return `<result><id>${id}</id><success>true</success></result>`;
}

function failure(id: string, statusCode: string, message: string, fields: string[] = []): string {
  const fieldXml = fields.map((f) => `<fields>${escapeXml(f)}</fields>`).join('');
  return `<result><errors>${fieldXml}<message>${escapeXml(message)}</message><statusCode>${statusCode}</statusCode></errors><id>${escapeXml(id)}</id><success>false</success></result>`;
}

function fault(code: string, message: string): Reply {
  return { status: 500, headers: XML, body: `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}` };
}

/** The text of every <name> element, whatever its namespace prefix. */
export function elementTexts(xml: string, name: string): string[] {
  const pattern = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((m) => unescapeXml(m[1] ?? ''));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
