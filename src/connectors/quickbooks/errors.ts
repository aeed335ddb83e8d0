import type { FieldError } from '../contract';
import { recordLevelErrors } from '../kit';

/**
 * QuickBooks' Fault body ("Handling common errors", Accounting API docs):
 * { Fault: { Error: [{ Message, Detail, code, element }], type }, time }. `element` names the
 * offending property; 401s arrive in a lower-case envelope ({ fault: { error: [{ code }] } }).
 */
export interface QboFaultError {
  Message?: string;
  Detail?: string;
  code?: string;
  element?: string;
}

export interface QboFault {
  Error?: QboFaultError[];
  type?: string;
}

/** "Stale Object Error": the SyncToken sent is not the entity's current one. */
export const STALE_OBJECT = '5010';
/** "Object Not Found": unknown or deleted id, or a reference to an inactive entry. */
export const OBJECT_NOT_FOUND = '610';

/** Properties named by codes whose faults carry no element. */
const FIELD_OF_CODE: Record<string, string> = { [STALE_OBJECT]: 'SyncToken', 6210: 'DocNumber', 6140: 'DocNumber' };

/** The Fault of a body, in either casing. */
export function faultOf(body: unknown): QboFault | undefined {
  if (!isObject(body)) return undefined;
  const upper = body.Fault;
  if (isObject(upper)) return upper as QboFault;
  const lower = body.fault;
  if (!isObject(lower) || !Array.isArray(lower.error)) return undefined;
  return { type: String(lower.type ?? ''), Error: lower.error.filter(isObject).map((e) => ({ Message: String(e.message ?? ''), Detail: String(e.detail ?? ''), code: String(e.code ?? '') })) };
}

export function extractCode(body: unknown): string | undefined {
  return faultOf(body)?.Error?.[0]?.code || undefined;
}

export function extractFields(body: unknown): FieldError[] {
  const fault = faultOf(body);
  return fault ? faultFields(fault) : [];
}

/**
 * Field errors in the platform's names: `element` as QuickBooks gives it (PrimaryEmailAddr.Address),
 * references by their value (CustomerRef → CustomerRef.value), every line property as Line.
 */
export function faultFields(fault: QboFault, nameField = '*'): FieldError[] {
  return (fault.Error ?? []).map((error) => ({
    field: platformField(error.element ?? '', error.code ?? '', nameField),
    message: error.Detail || error.Message || `QuickBooks error ${error.code ?? ''}`,
  }));
}

function platformField(element: string, code: string, nameField: string): string {
  if (element === '') return code === '6240' ? nameField : FIELD_OF_CODE[code] ?? '*';
  if (element === 'Line' || element.startsWith('Line.')) return 'Line';
  if (/Ref$/.test(element)) return `${element}.value`;
  return element;
}

/** Failures about one record (a refused value, an unknown id): the record fails, the load goes on. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  return recordLevelErrors(err);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
