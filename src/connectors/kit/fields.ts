import type { FieldSpec, FieldType } from '../../platform/object-spec';

/** A field the system sets (ids, timestamps): declared once here rather than in each connector's objects.ts. */
export const readOnlyField = (name: string, type: FieldType = 'string'): FieldSpec => ({ name, type, readOnly: true });
