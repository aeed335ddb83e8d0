import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CapturePage, ChangeEvent, Rec } from '../contract';
import { parseCursor, type ResolvedCaptureOptions } from '../kit';
import type { JiraApi } from './api';
import { SYSTEM } from './auth';
import { versionSpec } from './objects';
import { listVersions, toVersionRecord } from './versions';

/**
 * Versions carry no modification time and JIRA keeps no change feed for them, but a project has
 * tens of versions, not thousands: each poll lists them all (getProjectVersions) and compares each
 * with the fingerprint the cursor kept. New or different ones are upserts, vanished ones deletes.
 * A change's time is the poll's (JIRA does not say when it happened); its version is the poll's
 * generation (zero-padded, so versions of one record sort in order) and the fingerprint.
 */
export interface VersionCursor {
  generation: number;
  seen: Record<string, string>;
}

const cursorSchema = z.object({ generation: z.number().int().nonnegative(), seen: z.record(z.string(), z.string()) });

export async function captureVersions(api: JiraApi, projectKeys: string[], rawCursor: unknown, options: ResolvedCaptureOptions): Promise<CapturePage> {
  const cursor = parseCursor(SYSTEM, cursorSchema, rawCursor, () => ({ generation: 0, seen: {} }));
  const records = (await listVersions(api, projectKeys)).map(toVersionRecord);
  const generation = String(cursor.generation + 1).padStart(12, '0');
  const occurredAt = new Date(options.now()).toISOString();
  const change = (id: string, data: Rec | null, print: string): ChangeEvent => ({
    object: versionSpec.name, recordId: id, op: data ? 'upsert' : 'delete', occurredAt, version: `${generation}/${print}`, data,
  });

  const all: Array<{ event: ChangeEvent; print: string | null }> = [];
  const present = new Set<string>();
  for (const record of records) {
    const id = String(record.id);
    present.add(id);
    const print = fingerprint(record);
    if (cursor.seen[id] !== print) all.push({ event: change(id, record, print), print });
  }
  for (const id of Object.keys(cursor.seen)) if (!present.has(id)) all.push({ event: change(id, null, 'deleted'), print: null });

  const emitted = all.slice(0, options.budget);
  const seen = { ...cursor.seen };
  for (const { event, print } of emitted) {
    if (print === null) delete seen[event.recordId];
    else seen[event.recordId] = print;
  }
  return {
    changes: emitted.map((e) => e.event),
    cursor: emitted.length > 0 ? { generation: cursor.generation + 1, seen } : cursor,
    hasMore: emitted.length < all.length,
  };
}

function fingerprint(record: Rec): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 16);
}
