/**
 * What a dry run was started from, kept in this tab's memory (never in storage): the reviewed
 * records run for real from here, and a real load remembers the dry run it was reviewed in.
 */
export interface LoadTarget {
  connectionId: string;
  object: string;
  operation: string;
  naturalKey: string;
  verify: boolean;
  onError: 'rollback' | 'continue';
}

export type LoadInput =
  | { kind: 'file'; file: File; format: 'csv' | 'ndjson' }
  | { kind: 'json'; records: Record<string, unknown>[] };

export interface Draft { target: LoadTarget; input: LoadInput }

const drafts = new Map<string, Draft>();
const reviewedIn = new Map<string, string>();

export function rememberDraft(dryRunId: string, draft: Draft): void {
  drafts.set(dryRunId, draft);
}

export function draftOf(dryRunId: string): Draft | undefined {
  return drafts.get(dryRunId);
}

export function rememberReview(realId: string, dryRunId: string): void {
  reviewedIn.set(realId, dryRunId);
}

export function reviewOf(realId: string): string | undefined {
  return reviewedIn.get(realId);
}
