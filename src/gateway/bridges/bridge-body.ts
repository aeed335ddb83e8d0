import { z } from 'zod';

export const MAX_INTERVAL_SECONDS = 86_400;

export const createBridgeBody = z.object({
  slackConnectionId: z.string().min(1),
  /** A Slack channel id (C0123ABCD). */
  slackChannel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD'),
  teamsConnectionId: z.string().min(1),
  /** `<teamId>/<channelId>` (a Teams channel id such as 19:abc@thread.tacv2 has no '/'). */
  teamsChannel: z.string().regex(/^[^/]+\/[^/]+$/, 'teamId/channelId'),
  intervalSeconds: z.number().int().min(1).max(MAX_INTERVAL_SECONDS).default(10),
  options: z.object({
    /** Syncs per workflow run before continue-as-new. */
    pollsPerRun: z.number().int().min(1).max(10_000).default(500),
  }).strict().prefault({}),
}).strict();

export type CreateBridgeBody = z.output<typeof createBridgeBody>;
