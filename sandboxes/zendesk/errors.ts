import { replyForStatus, type AuthFailure, type Reply } from '../kit';

/**
 * Zendesk Support's error bodies (developer.zendesk.com "Errors" in the API introduction):
 * { error, description?, details? }. Validation (422 RecordInvalid) names each field in `details`:
 * { <field>: [{ description: "<Field>: <message>", error: <code> }] }.
 */
export type FieldProblems = Record<string, Array<{ description: string; error: string }>>;

export function zendeskError(status: number, error: string, description?: string, details?: FieldProblems): Reply {
  return { status, body: { error, ...(description ? { description } : {}), ...(details ? { details } : {}) } };
}

export function recordInvalid(details: FieldProblems): Reply {
  return zendeskError(422, 'RecordInvalid', 'Record validation errors', details);
}

export function recordNotFound(): Reply {
  return zendeskError(404, 'RecordNotFound', 'Not found');
}

export function badRequest(error: string, description: string): Reply {
  return zendeskError(400, error, description);
}

export function unauthorized(_failure: AuthFailure): Reply {
  return { status: 401, body: { error: "Couldn't authenticate you" }, headers: { 'www-authenticate': 'Basic realm="Web Password"' } };
}

/** Zendesk answers a rate-limited request in plain text, with Retry-After. */
export function rateLimited(): Reply {
  return { status: 429, body: 'Number of allowed API requests per minute exceeded' };
}

export const forStatus = replyForStatus(
  {
    401: () => unauthorized('invalid'),
    404: recordNotFound,
    429: rateLimited,
    422: () => recordInvalid({ base: [{ description: 'Record validation errors', error: 'InvalidValue' }] }),
  },
  (status) => (status >= 500 ? zendeskError(status, 'InternalError', 'Something went wrong') : zendeskError(status, `HTTP${status}`)),
);

/** Collects `<Field>: <message>` problems per field, in Zendesk's details shape. */
export class Problems {
  readonly details: FieldProblems = {};

  add(field: string, message: string, error = 'InvalidValue'): void {
    const label = field.replace(/_id$/, '').replace(/_/g, ' ');
    (this.details[field] ??= []).push({ description: `${label[0].toUpperCase()}${label.slice(1)}: ${message}`, error });
  }

  get empty(): boolean {
    return Object.keys(this.details).length === 0;
  }

  /** The first problem as one line, the way job results report a failed item ("Priority: is not valid"). */
  summary(): string {
    return Object.values(this.details).flat().map((p) => p.description).join('; ');
  }
}
