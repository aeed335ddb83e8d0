/** The REST API's shapes, as far as the console reads them. */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  enum?: unknown[];
  format?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  writeOnly?: boolean;
  items?: JsonSchema;
  minItems?: number;
}

export interface FieldInfo { name: string; type: string; readOnly?: boolean; createOnly?: boolean; required?: boolean }

export interface ObjectInfo {
  name: string;
  naturalKeys: string[];
  operations: Array<'create' | 'update' | 'upsert' | 'delete'>;
  batchSize: number;
  cursor: string;
  fields: FieldInfo[];
  notes?: string;
  dynamicFields?: boolean;
}

export interface Connector {
  id: string;
  displayName: string;
  /** The vendor API version the connector is pinned to. */
  apiVersion: string;
  authScheme: string;
  credentials: JsonSchema;
  secretFields: string[];
  config: JsonSchema;
  objects: ObjectInfo[];
}

export interface Connection { id: string; connector: string; name: string; config: Record<string, unknown>; createdAt: string }

export interface Settings { tenantId: string; temporal: { namespace: string; loadWorkflowUrl: string | null } }

export type LoadStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelling' | 'cancelled' | 'rolling_back' | 'rolled_back';

export interface LoadCounts {
  total: number; created: number; updated: number; deleted: number; unchanged: number; failed: number;
  verified: number; rolledBack: number; rollbackFailed: number;
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
  options: { dryRun: boolean; verify: boolean; onError: string; rollbackWindowSeconds: number };
  counts: LoadCounts;
  plan?: { create: number; update: number; delete: number; unchanged: number };
  phase: string | null;
  rollbackUntil: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error?: unknown;
}

export interface LoadListItem {
  id: string; status: LoadStatus; connectionId: string; connector: string; object: string; operation: string;
  dryRun: boolean; recordCount: number; rollbackUntil: string | null; createdAt: string; finishedAt: string | null;
}

export interface FieldChange { from: unknown; to: unknown }

export interface LoadRecord {
  index: number;
  key: string;
  status: string;
  id?: string;
  errors?: Array<{ field: string; message: string }>;
  plan?: { action: string; diff?: Record<string, FieldChange>; reason?: string };
  rollbackNote?: string;
  /** From the snapshot taken before writing: whether it existed, and the fields the load changed. */
  before?: { existed: boolean; changed?: Record<string, FieldChange> };
}

export interface Capture {
  id: string; connectionId: string; connector: string; object: string; status: 'running' | 'paused' | 'stopped';
  intervalSeconds: number; lastPollAt: string | null; lastChangeAt: string | null; lagSeconds?: number; eventsCaptured: number;
  lastError?: { message: string; kind?: string; at?: string }; cursor: unknown; polls?: number; runs?: number;
  createdAt: string; stoppedAt: string | null;
}

export interface StreamEvent {
  offset: number; connectionId: string; object: string; recordId: string; op: 'upsert' | 'delete';
  version?: string; occurredAt: string; capturedAt?: string; data: unknown;
}

/** One direction of a running bridge (GET /v1/bridges/:id `directions`). */
export interface BridgeDirection {
  copied: number; lastCopyAt: string | null; lagSeconds: number | null; lastError: { message: string; kind?: string; at: string } | null;
}

export interface Bridge {
  id: string; slackConnectionId: string; slackChannel: string; teamsConnectionId: string; teamsChannel: string;
  status: 'running' | 'paused' | 'stopped'; intervalSeconds: number; lastSyncAt: string | null;
  copies: Record<string, number>; lastError?: { message: string; kind?: string; side?: string };
  polls?: number; runs?: number; copied?: { slack: number; teams: number }; dropped?: { slack: number; teams: number };
  directions?: { slackToTeams: BridgeDirection; teamsToSlack: BridgeDirection };
  createdAt: string; stoppedAt: string | null;
}
