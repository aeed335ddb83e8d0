import { createHash } from 'node:crypto';
import { connectionKey, readCredentials, SingleFlightCache } from '../../platform/auth';
import type { ConnectorContext, OwnIdentity } from '../contract';
import { SYSTEM } from './errors';
import { slackOwnIdentity } from './objects';
import { slackCredentialsSchema } from './auth';
import type { SlackApi } from './slack-api';

/** How long the bot's identity is trusted before auth.test is asked again. */
export const IDENTITY_TTL_MS = 5 * 60 * 1000;

interface CachedIdentity {
  identity: OwnIdentity;
  expiresAt: number;
}

/** One per worker: the bridge asks for its own identity on every sync, Slack need answer once per connection and token. */
const identities = new SingleFlightCache<CachedIdentity>();

/**
 * The bot's identity (ownIdentity), from auth.test at most once per IDENTITY_TTL_MS per connection.
 * The key holds a digest of the bot token, so a connection re-installed with another app's token
 * asks again at once instead of taking that app's posts for someone else's.
 */
export async function cachedOwnIdentity(ctx: Pick<ConnectorContext, 'tenantId' | 'connectionId' | 'credentials'>, api: Pick<SlackApi, 'authTest'>): Promise<OwnIdentity> {
  const { parsed } = await readCredentials(SYSTEM, ctx.credentials, slackCredentialsSchema);
  const token = createHash('sha256').update(parsed.botToken).digest('hex').slice(0, 16);
  const cached = await identities.get(`${connectionKey(ctx)}/${token}`, async () => ({ identity: await slackOwnIdentity(api), expiresAt: Date.now() + IDENTITY_TTL_MS }));
  return cached.identity;
}
