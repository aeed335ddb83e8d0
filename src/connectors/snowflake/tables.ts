import { ConnectorError } from '../../platform/errors';
import type { SnowflakeConfig, TableConfig } from './config';
import { SYSTEM } from './errors';

/** The config of a table the connection names, or a permanent error naming config.tables. */
export function tableConfig(config: SnowflakeConfig, table: string): TableConfig {
  const found = Object.hasOwn(config.tables, table) ? config.tables[table] : undefined;
  if (found) return found;
  throw new ConnectorError({
    kind: 'permanent', system: SYSTEM,
    fields: [{ field: `config.tables.${table}`, message: `this connection names no table ${table} (it has ${Object.keys(config.tables).join(', ') || 'none'})` }],
    message: `snowflake: table ${table} is not in the connection's config.tables`,
  });
}

/** A load's natural key must be one of the table's key columns. */
export function requireKeyColumn(table: string, config: TableConfig, keyField: string): void {
  if (config.keyColumns.includes(keyField)) return;
  throw new ConnectorError({
    kind: 'permanent', system: SYSTEM,
    fields: [{ field: 'naturalKey', message: `${table} rows are identified by ${config.keyColumns.join(' or ')} (config.tables.${table}.keyColumns), not ${keyField}` }],
    message: `snowflake ${table} cannot be keyed by ${keyField}`,
  });
}
