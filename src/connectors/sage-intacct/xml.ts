import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/**
 * The XML gateway's envelope (https://developer.intacct.com/web-services/requests/ for the request,
 * https://developer.intacct.com/web-services/error-handling/ for answers and their failures), built
 * and read with fast-xml-parser: values are escaped by the builder and read back as text, never
 * converted (a CUSTOMERID "007" stays "007").
 */
export interface IntacctFunction {
  controlId: string;
  /** The function element and its content: { create: { CUSTOMER: { NAME: 'Acme' } } }. */
  call: Record<string, unknown>;
}

export interface IntacctError {
  errorno: string;
  description: string;
  description2: string;
  correction: string;
}

export interface DataBlock {
  listType: string;
  count: number;
  totalCount?: number;
  numRemaining: number;
  resultId?: string;
  /** Each child element of <data>, whatever the object's element name. */
  records: Array<Record<string, unknown>>;
}

export interface FunctionResult {
  controlId: string;
  function: string;
  status: string;
  data?: DataBlock;
  errors: IntacctError[];
}

export interface IntacctResponse {
  control: { status: string; errors: IntacctError[] };
  authentication?: { status: string; sessionTimeout?: string; errors: IntacctError[] };
  results: FunctionResult[];
}

export interface Envelope {
  senderId: string;
  senderPassword: string;
  controlId: string;
  authentication: { sessionid: string } | { login: { userid: string; companyid: string; password: string } };
  functions: IntacctFunction[];
}

const ATTR = '@_';
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR });
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: ATTR, parseTagValue: false, parseAttributeValue: false, trimValues: true,
  isArray: (name, path) => path === 'response.operation.result' || name === 'error',
});

export function buildRequest(envelope: Envelope): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({
    request: {
      control: {
        senderid: envelope.senderId, password: envelope.senderPassword, controlid: envelope.controlId,
        uniqueid: 'false', dtdversion: '3.0', includewhitespace: 'false',
      },
      operation: {
        authentication: envelope.authentication,
        content: { function: envelope.functions.map((f) => ({ [`${ATTR}controlid`]: f.controlId, ...f.call })) },
      },
    },
  }) as string}`;
}

/** The gateway's answer, or undefined when the text is not a <response> document. */
export function parseResponse(text: unknown): IntacctResponse | undefined {
  if (typeof text !== 'string' || !text.includes('<response')) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    return undefined;
  }
  const response = objectAt(doc, 'response');
  if (!response) return undefined;
  const control = objectAt(response, 'control') ?? {};
  const operation = objectAt(response, 'operation');
  const authentication = operation ? objectAt(operation, 'authentication') : undefined;
  return {
    control: { status: textAt(control, 'status'), errors: errorsIn(response) },
    ...(authentication ? {
      authentication: {
        status: textAt(authentication, 'status'),
        ...(textAt(authentication, 'sessiontimeout') ? { sessionTimeout: textAt(authentication, 'sessiontimeout') } : {}),
        errors: errorsIn(operation!),
      },
    } : {}),
    results: arrayAt(operation, 'result').map(resultOf),
  };
}

function resultOf(node: Record<string, unknown>): FunctionResult {
  const data = objectAt(node, 'data');
  return {
    controlId: textAt(node, 'controlid'),
    function: textAt(node, 'function'),
    status: textAt(node, 'status'),
    ...(data ? { data: dataOf(data) } : {}),
    errors: errorsIn(node),
  };
}

function dataOf(node: Record<string, unknown>): DataBlock {
  const records = Object.entries(node)
    .filter(([name]) => !name.startsWith(ATTR))
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null);
  const count = Number(node[`${ATTR}count`] ?? records.length);
  const total = node[`${ATTR}totalcount`];
  const resultId = node[`${ATTR}resultId`];
  return {
    listType: String(node[`${ATTR}listtype`] ?? ''),
    count,
    ...(total !== undefined ? { totalCount: Number(total) } : {}),
    numRemaining: Number(node[`${ATTR}numremaining`] ?? 0),
    ...(typeof resultId === 'string' && resultId !== '' ? { resultId } : {}),
    records,
  };
}

function errorsIn(node: Record<string, unknown>): IntacctError[] {
  const message = objectAt(node, 'errormessage');
  return arrayAt(message, 'error').map((e) => ({
    errorno: textAt(e, 'errorno'), description: textAt(e, 'description'), description2: textAt(e, 'description2'), correction: textAt(e, 'correction'),
  }));
}

function objectAt(node: unknown, name: string): Record<string, unknown> | undefined {
  const value = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[name] : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

function arrayAt(node: unknown, name: string): Array<Record<string, unknown>> {
  const value = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[name] : undefined;
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}

function textAt(node: Record<string, unknown>, name: string): string {
  const value = node[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** One line for an error list: "XL03000006 Sign-in information is incorrect (correction)". */
export function describeErrors(errors: IntacctError[]): string {
  return errors.map((e) => [e.errorno, e.description, e.description2, e.correction ? `(${e.correction})` : ''].filter(Boolean).join(' ')).join('; ');
}
