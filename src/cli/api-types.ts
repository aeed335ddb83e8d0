/** The gateway's answers as the CLI reads them (DESIGN.md "Shapes that clients rely on"; more fields may come). */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: FieldProblem[] };
}

export interface Connection {
  id: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  createdAt: string;
}

export type ConnectionTest = { ok: true } | { ok: false; error: { kind: string; message: string } };

export const terminalSessionStatuses = ['connected', 'denied', 'failed', 'expired'] as const;
export type ConnectSessionStatus = 'pending' | (typeof terminalSessionStatuses)[number];

export interface ConnectSession {
  id: string;
  connector?: string;
  name?: string;
  status: ConnectSessionStatus;
  authorizationUrl?: string;
  expiresAt?: string;
  connectionId?: string;
  error?: string | { message?: string };
}

export type LoadStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelling' | 'cancelled' | 'rolling_back' | 'rolled_back';

export interface LoadCounts {
  total: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  verified: number;
  rolledBack?: number;
  rollbackFailed?: number;
}

export interface Load {
  id: string;
  status: LoadStatus;
  connectionId: string;
  connector: string;
  object: string;
  operation: string;
  naturalKey: string;
  dryRun: boolean;
  counts: LoadCounts;
  plan?: { create: number; update: number; delete: number; unchanged: number };
  phase: string | null;
  rollbackUntil: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error?: unknown;
}

export interface LoadListing {
  id: string;
  status: LoadStatus;
  connectionId: string;
  connector: string;
  object: string;
  operation: string;
  dryRun: boolean;
  recordCount: number;
  rollbackUntil: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface LoadRecord {
  index: number;
  key: string;
  status: string;
  id?: string;
  errors?: FieldProblem[];
  plan?: { action?: string; diff?: Record<string, unknown> };
}

export interface Capture {
  id: string;
  connectionId: string;
  connector: string;
  object: string;
  status: string;
  intervalSeconds: number;
  lastPollAt: string | null;
  lagSeconds?: number | null;
  eventsCaptured: number;
  lastError?: unknown;
}

export interface StreamEvent {
  offset: number;
  connectionId: string;
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  occurredAt: string;
  data?: unknown;
}

export interface StreamPage {
  events: StreamEvent[];
  next?: number | string;
}
