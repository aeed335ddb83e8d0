import type { Rec } from '../contract';
import { MARKER_EVENT_TYPE, ORIGIN_FIELD, RESTORE_EVENT_TYPE, TS_FIELD } from './objects';
import type { Metadata, SlackMessage } from './slack-api';

/** A Slack message as a record. thread_ts is set on replies only (a thread parent's own thread_ts is its ts: null here). */
export function toRecord(m: SlackMessage): Rec {
  const payload = m.metadata?.event_payload ?? {};
  const origin = m.metadata?.event_type === MARKER_EVENT_TYPE && typeof payload.origin === 'string' ? payload.origin : null;
  const restoredFrom = typeof payload.restored_from === 'string' ? payload.restored_from : null;
  return {
    [TS_FIELD]: m.ts,
    text: m.text ?? '',
    thread_ts: m.thread_ts && m.thread_ts !== m.ts ? m.thread_ts : null,
    [ORIGIN_FIELD]: origin,
    user: m.user ?? null,
    bot_id: m.bot_id ?? null,
    app_id: m.app_id ?? null,
    edited_ts: m.edited?.ts ?? null,
    reply_count: m.reply_count ?? 0,
    forge_restored_from: restoredFrom,
    files: (m.files ?? []).map((f) => ({ name: f.name ?? f.title ?? null, permalink: f.permalink ?? f.url_private ?? null })),
  };
}

export function stringValue(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

/** The metadata that carries forge_origin (and a rollback's restored_from), or undefined for none. */
export function markerMetadata(origin: string, restoredFrom?: string): Metadata | undefined {
  if (origin !== '') return { event_type: MARKER_EVENT_TYPE, event_payload: { origin, ...(restoredFrom ? { restored_from: restoredFrom } : {}) } };
  if (restoredFrom) return { event_type: RESTORE_EVENT_TYPE, event_payload: { restored_from: restoredFrom } };
  return undefined;
}

/** Slack's version of a message for dedup: `<ts>:<edited ts or ts>`. */
export function versionOf(m: SlackMessage): string {
  return `${m.ts}:${m.edited?.ts ?? m.ts}`;
}

export function tsToIso(ts: string): string {
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

/** Microseconds since the epoch as a Slack ts (`seconds.micros`, six digits). */
export function microsToTs(us: number): string {
  return `${Math.floor(us / 1_000_000)}.${String(us % 1_000_000).padStart(6, '0')}`;
}
