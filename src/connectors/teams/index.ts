import { defineConnector } from '../kit';
import { teamsAuth, teamsAuthorization, teamsConfigSchema, teamsHttp, teamsOwnIdentity } from './auth';
import { teamsDestination } from './destination';
import { GraphApi } from './graph-api';
import { teamsCustomObject } from './objects';
import { teamsRateLimits } from './rate-limits';
import { teamsSource } from './source';

/**
 * Microsoft Teams through Microsoft Graph v1.0: the messages of a channel (object
 * messages:<teamId>/<channelId>), delegated OAuth 2.0 (refresh-token grant), one request per
 * message, capture by the channel's delta query.
 */
export const teamsConnector = defineConnector({
  id: 'teams',
  displayName: 'Microsoft Teams',
  apiVersion: 'Microsoft Graph v1.0, Microsoft identity platform v2.0',
  auth: teamsAuth,
  authorization: teamsAuthorization,
  config: teamsConfigSchema,
  objects: [],
  customObject: teamsCustomObject,
  http: teamsHttp,
  rateLimits: teamsRateLimits,
  destination: (ctx) => teamsDestination(new GraphApi(ctx.http)),
  source: (ctx) => teamsSource(new GraphApi(ctx.http)),
  check: (ctx) => new GraphApi(ctx.http).probe(),
  ownIdentity: teamsOwnIdentity,
});
