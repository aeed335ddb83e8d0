import type { FieldError } from '../contract';

/** A mutation's refusal: `field` is the path of the input value refused (null for the whole input). */
export interface UserError { field: string[] | null; message: string; code?: string | null }

/** Input names that are not record fields: productOptions is derived from the record's variants. */
const RECORD_FIELD: Record<string, string> = { productOptions: 'variants' };

/**
 * userErrors as field errors named in the record's fields: the path without its argument
 * (`input`, `identifier`), its first segment the field (["input","variants","1","price"] →
 * variants, with the full path in the message); a refusal of the whole input names '*'.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/UserError
 */
export function userErrorFields(errors: UserError[]): FieldError[] {
  return errors.map((e) => {
    const path = (e.field ?? []).filter((segment, i) => !(i === 0 && (segment === 'input' || segment === 'identifier')));
    const field = path.length > 0 ? RECORD_FIELD[path[0]] ?? path[0] : '*';
    const where = path.length > 1 ? ` (${path.join('.')})` : '';
    return { field, message: `${e.message}${where}${e.code ? ` [${e.code}]` : ''}` };
  });
}
