import { z } from 'zod';
import { egressUrl } from '../../platform/network';

/**
 * An unquoted Snowflake identifier, as Snowflake resolves it (upper case): tables and columns go
 * into statement text (binds cannot name them), so anything else is refused, never quoted around.
 */
export const IDENTIFIER = /^[A-Z_][A-Z0-9_$]{0,254}$/;
const identifier = z.string().regex(IDENTIFIER, 'an unquoted Snowflake identifier in upper case (letters, digits, _ and $; not starting with a digit)');

const tableSchema = z.object({
  /** Columns that each identify a row (Snowflake enforces no key: the connection says which). The first is the Stream's record id. */
  keyColumns: z.array(identifier).min(1),
  /** 'changes': CHANGES(INFORMATION => DEFAULT) on a table with CHANGE_TRACKING = TRUE (deletes included); 'updated-at': rows whose updatedAtColumn moved (no deletes). */
  capture: z.enum(['changes', 'updated-at']).default('changes'),
  updatedAtColumn: identifier.optional(),
}).refine((t) => t.capture !== 'updated-at' || t.updatedAtColumn !== undefined, { message: "capture 'updated-at' needs updatedAtColumn", path: ['updatedAtColumn'] });
export type TableConfig = z.infer<typeof tableSchema>;

export const snowflakeConfigSchema = z.object({
  /** The account identifier of https://<account>.snowflakecomputing.com (orgname-accountname, or a locator with its region). */
  account: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'the account identifier, as in https://<account>.snowflakecomputing.com'),
  /** Overrides the account URL (private link, the sandbox). */
  baseUrl: egressUrl().optional(),
  warehouse: identifier,
  database: identifier,
  schema: identifier,
  role: identifier.optional(),
  /** The tables a connection loads and captures, by name. */
  tables: z.record(identifier, tableSchema),
  /** Seconds a statement may run before Snowflake cancels it (the request's `timeout`). Default 600. */
  statementTimeoutSeconds: z.number().int().positive().max(604_800).default(600),
});
export type SnowflakeConfig = z.infer<typeof snowflakeConfigSchema>;

export function accountUrl(config: SnowflakeConfig): string {
  return config.baseUrl ?? `https://${config.account}.snowflakecomputing.com`;
}
