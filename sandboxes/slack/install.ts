import { AuthorizationCodes, basicCredentials, formFields, type Route, type SandboxClock } from '../kit';
import { slackError } from './errors';

/**
 * Installing the app by consent, Slack's OAuth v2 (https://docs.slack.dev/authentication/installing-with-oauth,
 * https://docs.slack.dev/reference/methods/oauth.v2.access): GET /oauth/v2/authorize with
 * comma-separated bot scopes; POST /api/oauth.v2.access { code, redirect_uri, client_id,
 * client_secret } (form, or the client in a Basic header) answers the installation's bot token,
 * { ok: true, access_token: 'xoxb-…', token_type: 'bot', scope, bot_user_id, app_id, team, … };
 * failures are HTTP 200 { ok: false, error } (invalid_code, bad_redirect_uri, invalid_client_id,
 * bad_client_secret). Reinstalling answers the same bot token.
 */
export function installRoutes(app: { clientId: string; clientSecret: string }, clock: SandboxClock, botToken: () => string): Route[] {
  const codes = new AuthorizationCodes({
    authorizePath: '/oauth/v2/authorize',
    providerName: 'Slack',
    pkce: false,
    errors: {
      badCode: () => slackError('invalid_code'),
      badRedirectUri: () => slackError('bad_redirect_uri'),
      badCodeVerifier: () => slackError('invalid_code_verifier'),
    },
  }, clock, app.clientId);
  return [
    ...codes.routes(),
    {
      method: 'POST',
      path: '/api/oauth.v2.access',
      public: true,
      rateLimited: false,
      handle: (req, ctx) => {
        const form = formFields(req);
        const basic = basicCredentials(req);
        if ((form.client_id ?? basic?.user) !== app.clientId) return slackError('invalid_client_id');
        if ((form.client_secret ?? basic?.password) !== app.clientSecret) return slackError('bad_client_secret');
        const redeemed = codes.redeem(form, req, ctx);
        if (!redeemed.ok) return redeemed.reply;
        return {
          status: 200,
          body: {
            ok: true, access_token: botToken(), token_type: 'bot', scope: redeemed.scope, bot_user_id: 'U0SBXBOT01', app_id: 'A0SBXAPP01',
            team: { id: 'T0SBXTEAM1', name: 'Forgeworks Sandbox' }, enterprise: null, is_enterprise_install: false, authed_user: { id: 'U0SBXUSER1' },
          },
        };
      },
    },
  ];
}
