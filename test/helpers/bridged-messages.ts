import { toRecord as slackRecord } from '../../src/connectors/slack/records';
import type { SlackMessage } from '../../src/connectors/slack/slack-api';
import type { GraphMessage } from '../../src/connectors/teams/graph-api';
import { toRecord as teamsRecord } from '../../src/connectors/teams/records';

/** A message in a bridged channel as a test compares it: its thread's parent, and its origin when the bridge copied it. */
export interface BridgedMessage { id: string; text: string; parent: string | null; origin: string | null }

async function sandboxState(sandboxUrl: string): Promise<{ objects: Record<string, unknown[] | undefined> }> {
  const res = await fetch(`${sandboxUrl}/__sandbox/state`);
  if (res.status !== 200) throw new Error(`the sandbox state answered ${res.status}`);
  return (await res.json()) as { objects: Record<string, unknown[] | undefined> };
}

/** The messages of one channel of a Slack sandbox (deleted ones are gone from its state). */
export async function slackChannelMessages(sandboxUrl: string, channel: string): Promise<BridgedMessage[]> {
  const all = ((await sandboxState(sandboxUrl)).objects.messages ?? []) as Array<SlackMessage & { channel: string }>;
  return all.filter((m) => m.channel === channel).map((m) => {
    const r = slackRecord(m);
    return { id: m.ts, text: String(r.text), parent: (r.thread_ts as string | null) ?? null, origin: (r.forge_origin as string | null) ?? null };
  });
}

/** The messages of a Teams sandbox not soft-deleted. */
export async function teamsChannelMessages(sandboxUrl: string): Promise<BridgedMessage[]> {
  const all = ((await sandboxState(sandboxUrl)).objects.messages ?? []) as GraphMessage[];
  return all.filter((m) => !m.deletedDateTime).map((m) => {
    const r = teamsRecord(m);
    return { id: m.id, text: String(r.content), parent: m.replyToId ?? null, origin: (r.forge_origin as string | null) ?? null };
  });
}
