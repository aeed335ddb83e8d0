import type { ObjectSpec, Rec } from '../contract';
import { writableValues } from '../kit';
import type { Entity } from './api';
import { ticketSpec } from './objects';

/** Zendesk entities as records (the declared fields, nothing else) and records as write payloads. */
export function toRecord(spec: ObjectSpec, entity: Entity): Rec {
  return Object.fromEntries(spec.fields.map((f) => [f.name, entity[f.name] ?? null]));
}

/**
 * What create_many / update_many send for a record: its writable fields. A ticket's description is
 * its first comment: on create it travels as comment.body; on update it is left out (it cannot change).
 */
export function toPayload(spec: ObjectSpec, record: Rec, mode: 'create' | 'update'): Record<string, unknown> {
  const values = writableValues(spec, record);
  if (spec.name !== ticketSpec.name) return values;
  const { description, ...rest } = values;
  return mode === 'create' && description !== undefined && description !== null ? { ...rest, comment: { body: String(description) } } : rest;
}
