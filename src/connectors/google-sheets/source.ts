import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, CaptureStateStore, ChangeEvent, SourceContract } from '../contract';
import { ID_FIELD } from './objects';
import type { SheetsApi } from './sheets-api';
import { columnOf, isBlank, rowRecord } from './table';

/**
 * Capture without a change feed: Drive's modifiedTime says whether the file changed at all; when it
 * did, the sheet is read whole and compared, row by row (keyed by the id column), with the state
 * the last poll saw, kept in Postgres (CaptureStateStore). Each poll saves the next generation of
 * that state; the cursor naming it is committed with the page, so a page that never landed is
 * compared again from the state before it.
 */
const cursorSchema = z.object({ modifiedTime: z.string(), generation: z.number().int().nonnegative() });
type SheetCursor = z.infer<typeof cursorSchema>;

export function googleSheetsSource(api: SheetsApi, state: CaptureStateStore | undefined): SourceContract {
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      if (!state) {
        throw new ConnectorError({ kind: 'permanent', system: 'google-sheets', message: 'Google Sheets capture keeps its state in Postgres: it runs only in the worker' });
      }
      const cursor = parseCursor(rawCursor);
      const modifiedTime = await api.modifiedTime();
      if (cursor && cursor.modifiedTime === modifiedTime) return { changes: [], cursor, hasMore: false };

      const table = await api.readSheet(object);
      const idIndex = columnOf(table, table.idColumn);
      const previous = await state.load(object, cursor?.generation ?? 0);
      const current = new Map<string, { fingerprint: string; data: Record<string, unknown> }>();
      for (const row of table.rows) {
        const id = row.cells[idIndex] ?? '';
        if (isBlank(row) || id === '' || current.has(id)) continue;
        const { [ID_FIELD]: _id, ...data } = rowRecord(table, row);
        const cells = Object.fromEntries(table.header.map((h, i) => [h, row.cells[i] ?? '']).filter(([h]) => h !== ''));
        current.set(id, { fingerprint: fingerprint(cells), data: { ...cells, [ID_FIELD]: id, _row: data._row } });
      }
      const changes: ChangeEvent[] = [];
      for (const [id, now] of current) {
        if (previous.get(id) === now.fingerprint) continue;
        changes.push({ object, recordId: id, op: 'upsert', occurredAt: modifiedTime, version: `${modifiedTime}#${now.fingerprint}`, data: now.data });
      }
      for (const id of previous.keys()) {
        if (!current.has(id)) changes.push({ object, recordId: id, op: 'delete', occurredAt: modifiedTime, version: `${modifiedTime}#deleted`, data: null });
      }
      const generation = (cursor?.generation ?? 0) + 1;
      await state.save(object, generation, new Map([...current].map(([id, v]) => [id, v.fingerprint])));
      return { changes, cursor: { modifiedTime, generation } satisfies SheetCursor, hasMore: false };
    },
  };
}

function parseCursor(raw: unknown): SheetCursor | null {
  const parsed = cursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The row's cells, by header: what a change is (its position is not). */
function fingerprint(cells: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(cells))).digest('base64url').slice(0, 22);
}
