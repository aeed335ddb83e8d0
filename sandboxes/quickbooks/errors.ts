import { replyForStatus, type AuthFailure, type Reply } from '../kit';

/**
 * QuickBooks Online error bodies ("Handling common errors" and "Error codes" pages of the Accounting
 * API docs): { Fault: { Error: [{ Message, Detail, code, element }], type }, time }. `element` names
 * the offending property when there is one. 401s come back in a different, lower-case envelope.
 */
export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  element: string;
}

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault' | 'AuthorizationFault' | 'SERVICE' | 'QueryParserError';

export interface FaultBody {
  Error: FaultError[];
  type: FaultType;
}

/** A refusal of one operation: thrown by entity rules, answered alone or inside a batch item. */
export class QboFault extends Error {
  constructor(readonly status: number, readonly fault: FaultBody) {
    super(fault.Error.map((e) => e.Detail).join('; '));
  }
}

export function validationFault(code: string, message: string, detail: string, element = ''): QboFault {
  return new QboFault(400, { Error: [{ Message: message, Detail: `${message} : ${detail}`, code, element }], type: 'ValidationFault' });
}

/** The common refusals, with Intuit's codes and messages where its pages give them. */
export const faults = {
  staleObject: () => validationFault('5010', 'Stale Object Error',
    'You and sandbox-user were working on this at the same time. sandbox-user finished before you did, so your work was not saved.'),
  objectNotFound: (what: string, element = '') => validationFault('610', 'Object Not Found', `Something you're trying to use has been made inactive. Check the fields with accounts. (${what})`, element),
  duplicateName: (entity: string) => validationFault('6240', 'Duplicate Name Exists Error',
    `The name supplied already exists. : Another ${entity === 'Item' ? 'product or service' : 'customer, vendor or employee'} is already using this name. Please use a different name.`, entity === 'Item' ? 'Name' : 'DisplayName'),
  duplicateDocNumber: (docNumber: string) => validationFault('6210', 'Duplicate Document Number Error',
    `You must specify a different number. This number has already been used. DocNumber=${docNumber}`, 'DocNumber'),
  requiredParam: (element: string) => validationFault('2020', 'Required param missing, need to supply the required value for the API', `Required parameter ${element} is missing in the request`, element),
  unsupportedProperty: (element: string) => validationFault('2010', 'Request has invalid or unsupported property', `Property Name:${element} specified is unsupported or invalid`, element),
  invalidValue: (element: string, detail: string) => validationFault('2050', 'String length is either shorter or longer than supported by specification', detail, element),
  invalidNumber: (element: string, value: unknown) => validationFault('2070', 'Invalid Number', `${element}: ${JSON.stringify(value)} is not a number`, element),
  invalidEmail: (element: string, value: unknown) => validationFault('2090', 'Invalid Email Address format', `Email Address ${JSON.stringify(value)} is not valid`, element),
  invalidEnumeration: (element: string, value: unknown, allowed: string[]) => validationFault('2090', 'Invalid Enumeration', `${element}: ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`, element),
  invalidDate: (element: string, value: unknown) => validationFault('2030', 'Invalid Date', `${element}: ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`, element),
  invalidReference: (element: string, id: unknown) => validationFault('2500', 'Invalid Reference Id', `${element} ${JSON.stringify(id)} does not exist or has been made inactive`, element),
  amountMismatch: (element: string, expected: number, given: number) => validationFault('6070', 'Amount is not equal to UnitPrice * Qty', `Supplied value:${given}, Expected value:${expected}`, element),
  unsupportedOperation: (detail: string) => validationFault('500', 'Unsupported Operation', detail),
  malformedRequest: (detail: string) => validationFault('2310', 'Invalid Request Body', detail),
  queryParser: (detail: string) => new QboFault(400, { Error: [{ Message: 'Error parsing query', Detail: `QueryParserError: ${detail}`, code: '4000', element: '' }], type: 'QueryParserError' }),
  wrongRealm: () => new QboFault(403, { Error: [{ Message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', Detail: '', code: '3100', element: '' }], type: 'AuthorizationFault' }),
};

export function faultReply(fault: QboFault, time: string): Reply {
  return { status: fault.status, body: { Fault: fault.fault, time } };
}

/**
 * 401: Intuit answers this one in the lower-case envelope of its gateway, not as a Fault (see the
 * SDKs' error parsers, which handle both casings).
 */
export function unauthorized(failure: AuthFailure, time: string): Reply {
  const detail = failure === 'expired' ? 'Token expired' : failure === 'missing' ? 'Authorization header is missing' : 'Token invalid';
  return {
    status: 401,
    body: {
      warnings: null, intuitObject: null,
      fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail, code: '3200', element: null }], type: 'AUTHENTICATION' },
      report: null, queryResponse: null, batchItemResponse: [], attachableResponse: [], syncErrorResponse: null, requestId: null, time, status: null, cdcresponse: [],
    },
  };
}

/** Throttling (500 requests a minute per realm): Intuit's ThrottleExceeded fault. */
export function throttled(time: string): Reply {
  return {
    status: 429,
    body: { Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001', element: '' }], type: 'SERVICE' }, time },
  };
}

const systemFailure = (status: number, time: string): Reply => faultReply(new QboFault(status, {
  Error: [{
    Message: 'An application error has occurred while processing your request',
    Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.',
    code: '10000', element: '',
  }],
  type: 'SystemFault',
}), time);

export const forStatus = replyForStatus<[time: string]>(
  { 401: (time) => unauthorized('invalid', time), 429: throttled },
  (status, time) => (status >= 500 ? systemFailure(status, time)
    : faultReply(validationFault(String(status), 'Request failed', `The request failed with status ${status}`), time)),
);

/** /oauth2/v1/tokens/bearer refusals: { error } (RFC 6749 §5.2). */
export function tokenError(status: 400 | 401, error: 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type'): Reply {
  return { status, body: { error } };
}
