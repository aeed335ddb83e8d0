import { z } from 'zod';
import type { ChangeEvent } from '../contract';
import { KEYSET_START, keysetPositionSchema, parseCursor as parseKitCursor, type KeysetPosition, type KeysetRead, type Positioned } from '../kit';
import { SYSTEM } from './auth';

/** HubSpot capture positions are the kit's (modified-at, id) keyset; ids are numeric strings. */
export type Position = KeysetPosition;
export type PositionedChange = Positioned<ChangeEvent>;
export type StreamRead = KeysetRead<ChangeEvent>;

/** The capture cursor: one position for changes (CRM search), one for deletes (archived list). */
export interface HubspotCursor {
  changes: Position;
  deletes: Position;
}

const cursorSchema = z.object({ changes: keysetPositionSchema, deletes: keysetPositionSchema });

export function parseCursor(cursor: unknown): HubspotCursor {
  return parseKitCursor(SYSTEM, cursorSchema, cursor, () => ({ changes: KEYSET_START, deletes: KEYSET_START }));
}

/** An id for HubSpot's `hs_object_id GT` filter: ids are positive integers, so '0' precedes them all. */
export function idFilterValue(position: Position): string {
  return position.id === '' ? '0' : position.id;
}
