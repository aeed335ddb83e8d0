import type { z } from 'zod';
import { ConnectorError } from '../../platform/errors';

/**
 * A capture cursor read back from the Stream's table: null starts from `initial`; anything this
 * connector did not write is a permanent error (a cursor is never guessed at).
 */
export function parseCursor<S extends z.ZodType>(system: string, schema: S, cursor: unknown, initial: () => z.infer<S>): z.infer<S> {
  if (cursor === null || cursor === undefined) return initial();
  const parsed = schema.safeParse(cursor);
  if (parsed.success) return parsed.data;
  throw new ConnectorError({
    kind: 'permanent',
    system,
    message: `${system} capture cursor is not one this connector wrote (${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}): stop the capture and start a new one`,
  });
}
