/**
 * What a sandbox knows of its system's objects, in the names its API uses: the objects its state
 * holds and each one's fields. test/sandboxes/catalog-check.test.ts holds it against the
 * connector's ObjectSpecs, so a connector that declares an object or field its sandbox does not
 * know (or a sandbox that serves one its connector does not declare) fails a test.
 */
export interface CatalogField {
  name: string;
  /** Set by the system, never written by a client (ids, timestamps, computed values). */
  readOnly?: boolean;
  /**
   * A hash of keys the caller chooses (Stripe metadata) or the system nests (a Graph message's
   * body): a connector's dotted field `name.key` belongs to it.
   */
  nested?: boolean;
}

export interface CatalogObject {
  /** The object's name in the state (GET /__sandbox/state) and, for fixed objects, in the connector. */
  name: string;
  fields: CatalogField[];
}

export const readOnlyField = (name: string): CatalogField => ({ name, readOnly: true });
export const nestedField = (name: string, readOnly = false): CatalogField => ({ name, nested: true, ...(readOnly ? { readOnly } : {}) });

/**
 * Where a sandbox's catalog and its connector's ObjectSpecs differ on purpose, each with the reason
 * (test/sandboxes/catalog-check.test.ts fails on any difference not listed here, and on a listed one
 * that is no longer true).
 */
export interface CatalogDifferences {
  /** Sandbox objects no connector object stands for (containers, the API's own logs). */
  sandboxOnlyObjects?: Record<string, string>;
  /** object -> connector field -> why the sandbox does not have it under that name. */
  connectorOnlyFields?: Record<string, Record<string, string>>;
  /** object -> sandbox field -> why the connector does not declare it. */
  sandboxOnlyFields?: Record<string, Record<string, string>>;
  /** object -> field -> why one side lets clients write it and the other does not. */
  writableOnOneSide?: Record<string, Record<string, string>>;
}

/** Each of these fields: shown by the sandbox, not mapped by the connector. */
export const unmapped = (...fields: string[]): Record<string, string> => Object.fromEntries(fields.map((f) => [f, notMapped]));

/** The reason for a sandbox field the connector leaves out. */
export const notMapped = 'shown by the sandbox as the API shows it; the connector does not map it (yet)';
