import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import {
  byPosition, captureOptions, comparePositions, cutToBudget, epochMs, KEYSET_START, keysetPositionSchema, parseCursor, settledUntil,
  type CaptureOptions,
} from '../kit';
import { quote, type SageX3Api } from './api';
import { toRecord } from './destination';
import { SYSTEM } from './errors';
import { keyOf, STAMP, x3Class } from './objects';

/**
 * Creates and updates by UPDDATTIM (the update date-time every X3 table keeps), as a
 * (UPDDATTIM, key) keyset: `where=UPDDATTIM ge '<second>' and UPDDATTIM le '<settled>'` ordered by
 * both, resuming inside the second it stopped in. UPDDATTIM has whole seconds; writes are stamped
 * before they commit, hence SETTLE_MS. api1 shows no deleted resources, so deletes are not captured.
 */
export const SETTLE_MS = 2_000;

const cursorSchema = z.object({ position: keysetPositionSchema });

export function sageX3Source(api: SageX3Api, options: CaptureOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SETTLE_MS);
  return {
    async capture(object, raw): Promise<CapturePage> {
      const spec = x3Class(object);
      const { position } = parseCursor(SYSTEM, cursorSchema, raw, () => ({ position: KEYSET_START }));
      const until = settledUntil(now(), settleMs, 1000);
      if (until < position.at) return { changes: [], cursor: { position }, hasMore: false };
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const rows = await api.query(spec, `${STAMP} ge ${quote(iso(position.at))} and ${STAMP} le ${quote(iso(until))}`, `${STAMP} asc, ${keyOf(spec)} asc`);
      const changes = rows
        .map((row) => ({ position: { at: epochMs(String(row[STAMP])) ?? 0, id: String(row[keyOf(spec)]) }, event: row }))
        .filter((c) => comparePositions(c.position, position) > 0)
        .sort(byPosition);
      const kept = cutToBudget({ changes, next: changes.at(-1)?.position ?? position, caughtUp: true }, budget);
      return {
        changes: kept.changes.map((c): ChangeEvent => {
          const occurredAt = new Date(c.position.at).toISOString();
          return { object: spec.name, recordId: c.position.id, op: 'upsert', occurredAt, version: `${occurredAt}/0`, data: toRecord(spec, c.event) };
        }),
        cursor: { position: kept.next },
        hasMore: !kept.caughtUp,
      };
    },
  };
}
