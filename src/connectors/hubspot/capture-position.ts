import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { ChangeEvent } from '../contract';
import { SYSTEM } from './auth';

/**
 * Where a capture stream stands: every change ordered at or before (at, id) — by time, then by
 * record id — has been emitted; none after it. `id: '0'` means nothing at `at` yet (HubSpot ids are
 * positive integers). Ties on one timestamp are resumed by id, so nothing is lost or repeated.
 */
export interface Position {
  /** Epoch milliseconds. */
  at: number;
  /** A HubSpot record id (numeric string). */
  id: string;
}

/** The capture cursor: one position for changes (CRM search), one for deletes (archived list). */
export interface HubspotCursor {
  changes: Position;
  deletes: Position;
}

export const START: Position = { at: 0, id: '0' };

const positionSchema = z.object({ at: z.number().int().nonnegative(), id: z.string().regex(/^\d+$/) });
const cursorSchema = z.object({ changes: positionSchema, deletes: positionSchema });

export function parseCursor(cursor: unknown): HubspotCursor {
  if (cursor === null || cursor === undefined) return { changes: START, deletes: START };
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `hubspot capture cursor is not one this connector wrote: ${JSON.stringify(cursor)}` });
  return parsed.data;
}

/** Numeric ids compared without losing precision. */
export function compareIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

export function comparePositions(a: Position, b: Position): number {
  return a.at - b.at || compareIds(a.id, b.id);
}

/** A change with the position it moves its stream to. */
export interface PositionedChange {
  position: Position;
  event: ChangeEvent;
}

export function byPosition(a: PositionedChange, b: PositionedChange): number {
  return comparePositions(a.position, b.position);
}

/** What one stream read: changes in position order, where to resume, and whether it caught up. */
export interface StreamRead {
  changes: PositionedChange[];
  /** The position after every change read (all of them emitted). */
  next: Position;
  /** True when nothing more is there to read now. */
  caughtUp: boolean;
}

/** Epoch ms of a HubSpot date-time (ISO 8601 or epoch ms). */
export function epochMs(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
