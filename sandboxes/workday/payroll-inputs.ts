import type { RecordView, StoredRecord } from '../kit';
import { invalid, type FieldProblem } from './errors';
import { CURRENCIES, PAY_COMPONENTS, type Reference } from './tenant';

/**
 * Payroll v2 payroll inputs: what POST and PATCH /payrollInputs accept and how GET shows one.
 * Stored fields: payrollInputID, worker { id }, payComponent { id }, startDate, endDate,
 * adjustment, comment, currency { id } | null.
 */
export type Fields = Record<string, unknown>;

const WRITABLE = new Set(['payrollInputID', 'worker', 'payComponent', 'startDate', 'endDate', 'adjustment', 'comment', 'currency']);
/** What GET answers that a client sends back unchanged (ignored, as Workday ignores them). */
const SHOWN = new Set(['id', 'descriptor', 'href']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Tenant {
  records: RecordView;
  nextPayrollInputId(): string;
}

/** The values a write leaves stored, or a 400 naming every refused field. `current` is the stored input a PATCH changes. */
export function preparePayrollInput(body: unknown, tenant: Tenant, current?: StoredRecord): Fields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid([{ field: 'body', error: 'The request body must be a JSON object.' }]);
  const given = body as Fields;
  const problems: FieldProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!WRITABLE.has(name) && !SHOWN.has(name)) problems.push({ field: name, error: `${name} is not a field of a payroll input.` });
  }
  const merged: Fields = { ...(current?.fields ?? {}) };
  for (const name of WRITABLE) if (name in given) merged[name] = given[name];

  if (current && 'worker' in given && referenceId(given.worker) !== referenceId(current.fields.worker)) {
    problems.push({ field: 'worker', error: 'The worker of a payroll input cannot be changed.' });
  }
  if (current && 'payComponent' in given && referenceId(given.payComponent) !== referenceId(current.fields.payComponent)) {
    problems.push({ field: 'payComponent', error: 'Previously added Pay Component for Payroll Input cannot be subsequently changed.' });
  }
  if (current && 'payrollInputID' in given && given.payrollInputID !== current.fields.payrollInputID) {
    problems.push({ field: 'payrollInputID', error: 'The Payroll_Input_ID of a payroll input cannot be changed.' });
  }
  const workerId = referenceId(merged.worker);
  if (!workerId) problems.push({ field: 'worker', error: 'Worker is required.' });
  else if (!tenant.records.latest('workers', workerId) || tenant.records.latest('workers', workerId)?.archived) problems.push({ field: 'worker', error: `Worker ${workerId} is not a valid worker.` });
  const component = known(PAY_COMPONENTS, merged.payComponent);
  if (!referenceId(merged.payComponent)) problems.push({ field: 'payComponent', error: 'Pay Component is required.' });
  else if (!component) problems.push({ field: 'payComponent', error: `Pay Component ${String(referenceId(merged.payComponent))} is not valid for the worker.` });
  if (merged.currency !== null && merged.currency !== undefined && !known(CURRENCIES, merged.currency)) problems.push({ field: 'currency', error: 'Currency is not valid.' });
  if (typeof merged.startDate !== 'string' || merged.startDate === '') problems.push({ field: 'startDate', error: 'Start Date is required.' });
  else if (!validDate(merged.startDate)) problems.push({ field: 'startDate', error: `${merged.startDate} is not a valid date (yyyy-mm-dd).` });
  if (merged.endDate !== null && merged.endDate !== undefined) {
    if (typeof merged.endDate !== 'string' || !validDate(merged.endDate)) problems.push({ field: 'endDate', error: `${String(merged.endDate)} is not a valid date (yyyy-mm-dd).` });
    else if (typeof merged.startDate === 'string' && merged.endDate < merged.startDate) problems.push({ field: 'endDate', error: 'End Date must be on or after Start Date.' });
  }
  if (merged.adjustment !== undefined && merged.adjustment !== null && typeof merged.adjustment !== 'boolean') problems.push({ field: 'adjustment', error: 'Adjustment must be true or false.' });
  if (merged.comment !== undefined && merged.comment !== null && typeof merged.comment !== 'string') problems.push({ field: 'comment', error: 'Comment must be text.' });

  const reference = typeof merged.payrollInputID === 'string' && merged.payrollInputID !== '' ? merged.payrollInputID : undefined;
  if (merged.payrollInputID !== undefined && merged.payrollInputID !== null && typeof merged.payrollInputID !== 'string') problems.push({ field: 'payrollInputID', error: 'Payroll_Input_ID must be text.' });
  else if (reference && !current) {
    const taken = tenant.records.findLatest('payrollInputs', (r) => !r.archived && r.fields.payrollInputID === reference);
    if (taken) problems.push({ field: 'payrollInputID', error: `The Payroll_Input_ID ${reference} is already in use.` });
  }
  if (problems.length > 0) throw invalid(problems);
  return {
    payrollInputID: reference ?? current?.fields.payrollInputID ?? tenant.nextPayrollInputId(),
    worker: { id: workerId },
    payComponent: { id: referenceId(merged.payComponent) },
    startDate: merged.startDate,
    endDate: merged.endDate ?? null,
    adjustment: merged.adjustment ?? false,
    comment: merged.comment ?? null,
    currency: merged.currency ? { id: referenceId(merged.currency) } : null,
  };
}

/** A payroll input as GET answers it: references with descriptors and links. */
export function presentPayrollInput(record: Pick<StoredRecord, 'id' | 'fields'>, records: Pick<RecordView, 'latest'>, href: (path: string) => string): Fields {
  const f = record.fields;
  const worker = records.latest('workers', String(referenceId(f.worker)));
  const workerRef = { id: referenceId(f.worker), descriptor: String(worker?.fields.descriptor ?? ''), href: href(`/workers/${String(referenceId(f.worker))}`) };
  const component = known(PAY_COMPONENTS, f.payComponent);
  const currency = known(CURRENCIES, f.currency);
  return {
    id: record.id,
    descriptor: `${component?.descriptor ?? 'Pay Component'} for ${workerRef.descriptor} from ${String(f.startDate)}`,
    href: href(`/payrollInputs/${record.id}`),
    payrollInputID: f.payrollInputID,
    worker: workerRef,
    payComponent: { id: referenceId(f.payComponent), descriptor: component?.descriptor ?? '' },
    startDate: f.startDate,
    endDate: f.endDate ?? null,
    adjustment: f.adjustment ?? false,
    comment: f.comment ?? null,
    currency: currency ? { id: currency.id, descriptor: currency.descriptor } : null,
  };
}

function referenceId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function known(list: Reference[], value: unknown): Reference | undefined {
  const id = referenceId(value);
  return id === undefined ? undefined : list.find((r) => r.id === id);
}

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
