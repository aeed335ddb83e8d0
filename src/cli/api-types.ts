/**
 * The gateway's answers as the CLI reads them (DESIGN.md "Shapes that clients rely on"). Shapes the
 * web console reads too come from its module, so the two clients cannot drift apart.
 */
export type { Capture, Connection, Load, LoadCounts, LoadListItem as LoadListing, LoadRecord, LoadStatus, StreamEvent } from '../console/types';
import type { StreamEvent } from '../console/types';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: FieldProblem[] };
}

export type ConnectionTest = { ok: true } | { ok: false; error: { kind: string; message: string } };

export const terminalSessionStatuses = ['connected', 'denied', 'failed', 'expired'] as const;
export type ConnectSessionStatus = 'pending' | (typeof terminalSessionStatuses)[number];

/** POST /v1/connect/sessions and GET /v1/connect/sessions/:id (issue 21, part 1). */
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

export interface StreamPage {
  events: StreamEvent[];
  next?: number | string;
}
