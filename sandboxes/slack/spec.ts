import type { SpecSource } from '../kit';

/** Slack's Web API description (../shared/specs/slack, Swagger 2.0 from 2021: older than today's API). */
export const slackSpec: SpecSource = {
  dir: 'slack',
  format: 'swagger2',
  files: ['slack_web_openapi_v2.json'],
  pathPrefix: '/api',
  isErrorAnswer: (body) => typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === false,
  knownDeviations: [
    { request: /^(GET|POST) \//, error: /\(was "ratelimited"\)$/,
      why: 'Slack answers any method `ratelimited` with HTTP 429 (docs.slack.dev/apis/web-api/rate-limits); the description lists each method\'s own errors only' },
    { request: /^POST \/chat\./, error: /^\/header must have required property 'token'/,
      why: 'the description names the token a `token` header; Slack takes `Authorization: Bearer` (docs.slack.dev/authentication), which the sandbox checks' },
    { request: /^GET \/conversations\.(history|replies)/, error: /additionalProperty":"include_all_metadata"/,
      why: 'include_all_metadata (message metadata, 2022) is newer than the 2021 description' },
    { request: /^(POST \/chat\.|GET \/conversations\.)/, error: /additionalProperty":"(app_id|metadata)"/,
      why: "a bot message's app_id and its metadata are newer than the 2021 description's message object" },
    { request: /^GET \/conversations\.(history|replies)/, error: /additionalProperty":"hidden"/,
      why: 'a deleted thread parent with replies is shown as a tombstone with hidden: true (subtype tombstone, "This message was deleted.", user USLACKBOT), which the 2021 message object does not list' },
    { request: /^GET \/conversations\.(history|replies)/, error: /^\/messages must NOT have fewer than 1 items/,
      why: 'an empty channel answers messages: [] (Slack does); the description asks for at least one' },
    { request: /^POST \/chat\.(delete|update)/, error: /^\/requestBody\/ts must be number/,
      why: 'ts is a string ("1503435956.000247") in every Slack answer and in its docs; the description types the parameter as a number' },
  ],
};
