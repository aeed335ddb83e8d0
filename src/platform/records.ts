/**
 * The platform's record vocabulary, shared by connectors, the load saga, the Stream and the gateway.
 * It lives in platform so platform code never imports from connectors (connectors/contract.ts
 * re-exports it).
 */

/** A record: a flat JSON object of the system's own field names (nested where the system nests). */
export type Rec = Record<string, unknown>;
/** The value of a record's natural key, as a string (ids, emails, external ids). */
export type Key = string;

export const writeOperations = ['create', 'update', 'upsert', 'delete'] as const;
export type WriteOperation = (typeof writeOperations)[number];

export interface FieldError {
  field: string;
  message: string;
}

export type RecordOutcome = 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed';

/** What a write or delete did to one record, in the order of the input. */
export interface RecordResult {
  /** Index of the record in the batch handed to write/delete. */
  index: number;
  key: Key;
  /** The system's id of the record, when it has one (new ids of created records). */
  id?: string;
  outcome: RecordOutcome;
  errors?: FieldError[];
}

export interface ChangeEvent {
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  /** When the change happened in the system (ISO 8601). */
  occurredAt: string;
  /** A version that orders changes of one record (modstamp, event id...): the dedup key. */
  version: string;
  data: Rec | null;
}
