import { ConnectorError } from '../../platform/errors';
import { SYSTEM } from './errors';

/** Building SOQL safely: quoted string literals and date-time literals. */

/** A SOQL string literal: backslash and single quote escaped (SOQL "Quoted String Escape Sequences"). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** A SOQL date-time literal (unquoted, UTC, whole seconds): 2024-03-01T09:00:00Z. */
export function soqlDateTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A field or object API name, checked so it cannot inject SOQL. */
export function soqlName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new ConnectorError({ kind: 'validation', system: SYSTEM, fields: [{ field: name, message: 'not a Salesforce API name' }], message: `salesforce: ${JSON.stringify(name)} is not an API name` });
  }
  return name;
}
