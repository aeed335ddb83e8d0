import type { FieldError } from '../contract';
import { classifyErrorsInBody, errorForCode, type ErrorsInBody } from '../kit';

export const SYSTEM = 'marketo';

/**
 * Marketo answers HTTP 200 with `success: false` and `errors: [{ code, message }]`
 * (experienceleague.adobe.com "Error Codes"). The codes, on the platform's taxonomy:
 * - 600/601/602 (token empty, invalid, expired): answered as a 401 — the token is fetched again and
 *   the call sent once more; a second refusal is permanent.
 * - 606 (100 calls per 20 s), 615 (10 concurrent calls), 604, 608, 611, 713, 1029: transient; 606
 *   waits out the 20-second window, 615 a moment.
 * - 607 (daily quota): transient with an hour's wait (the quota resets at midnight CST).
 * - 609, 701, 709, 1001, 1003, 1006, 1035: validation (a field named when the message names one).
 * - Everything else (603 access denied, 610, 612-614, 616 ...): permanent.
 */
const transient = (retryAfterMs?: number) => ({ kind: 'transient' as const, ...(retryAfterMs ? { retryAfterMs } : {}) });
const auth = { kind: 'permanent' as const, auth: true };
const validation = { kind: 'validation' as const, status: 400 };

export const RATE_WINDOW_MS = 20_000;

export const marketoErrors: ErrorsInBody = {
  system: SYSTEM,
  failure(body) {
    const b = body as { success?: unknown; errors?: Array<{ code?: unknown; message?: unknown }> } | null;
    if (typeof b !== 'object' || b === null || b.success !== false) return undefined;
    const first = Array.isArray(b.errors) ? b.errors[0] : undefined;
    return { code: String(first?.code ?? 'unknown'), message: String(first?.message ?? 'no message') };
  },
  codes: {
    600: auth, 601: auth, 602: auth,
    604: transient(), 606: transient(RATE_WINDOW_MS), 607: transient(3_600_000), 608: transient(), 611: transient(), 615: transient(2_000),
    713: transient(), 1029: transient(),
    609: validation, 701: validation, 709: validation, 1001: validation, 1003: validation, 1006: validation, 1035: validation,
  },
  otherwise: { kind: 'permanent' },
  fields: (_code, message) => [{ field: fieldNamedIn(message) ?? '*', message }],
};

export const classifyMarketo = classifyErrorsInBody(marketoErrors);

/** The field a Marketo message names: "Field 'x' not found", "Invalid value for field 'x'", "requied field 'x'". */
export function fieldNamedIn(message: string): string | undefined {
  return /field\s+'([^']+)'/i.exec(message)?.[1];
}

export interface Reason {
  code?: unknown;
  message?: unknown;
}

/**
 * A skipped record's reasons as field errors: the field the message names (1003 invalid value,
 * 1006 unknown field), else the lookup field for the reasons about finding the record (1004 not
 * found, 1005 already exists, 1007 several match), else '*'.
 */
export function reasonErrors(reasons: Reason[] | undefined, lookupField: string): FieldError[] {
  const list = Array.isArray(reasons) && reasons.length > 0 ? reasons : [{ code: 'unknown', message: 'Marketo skipped the record without a reason' }];
  return list.map((r) => {
    const code = String(r.code ?? '');
    const message = `${code} ${String(r.message ?? '')}`.trim();
    const field = fieldNamedIn(String(r.message ?? '')) ?? (['1004', '1005', '1007', '1013'].includes(code) ? lookupField : '*');
    return { field, message };
  });
}

export { errorForCode };
