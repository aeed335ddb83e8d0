import type { CatalogDifferences, CatalogObject } from '../kit';
import { tables } from './tables';

/** The tables and their columns (AUTOINCREMENT and DEFAULT stamps are what Snowflake sets). */
export const snowflakeCatalog: CatalogObject[] = tables.map((t) => ({
  name: t.name,
  fields: t.columns.map((c) => ({ name: c.name, ...(c.generated ? { readOnly: true } : {}) })),
}));

/** The connector's objects are whatever tables a connection names (dynamicFields): nothing differs by name. */
export const snowflakeCatalogDifferences: CatalogDifferences = {};
