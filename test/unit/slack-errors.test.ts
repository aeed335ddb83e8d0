import { classifySlack } from '../../src/connectors/slack/errors';

// Slack's ok:false answers (HTTP 200) read into the platform's error taxonomy, each naming the
// method and Slack's code (docs.slack.dev/apis/web-api "Evaluating responses").
describe('slack connector: ok:false answers in the error taxonomy', () => {
  const classify = (error: string, status = 200, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    classifySlack({ status, headers, body: { ok: false, error, ...extra } }, { path: 'chat.postMessage' });

  it.each(['not_authed', 'invalid_auth', 'token_revoked', 'token_expired', 'account_inactive'])('%s is an auth failure: permanent, status 401', (error) => {
    expect(classify(error)).toMatchObject({ kind: 'permanent', status: 401, code: error, message: expect.stringContaining(`chat.postMessage answered ${error}`) });
  });

  it('ratelimited (429 + Retry-After) is transient and waits what Slack says', () => {
    expect(classifySlack({ status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }, { path: 'conversations.history' }))
      .toMatchObject({ kind: 'transient', retryAfterMs: 30_000, code: 'ratelimited', message: 'slack conversations.history answered 429 ratelimited' });
  });

  it('missing_scope is permanent and names the scope needed', () => {
    expect(classify('missing_scope', 200, { needed: 'chat:write', provided: 'channels:history' }))
      .toMatchObject({ kind: 'permanent', message: 'slack chat.postMessage answered missing_scope (needs scope chat:write)' });
  });

  it('outages are transient; unknown codes permanent, naming the method and the code', () => {
    expect(classify('internal_error')).toMatchObject({ kind: 'transient' });
    expect(classify('service_unavailable')).toMatchObject({ kind: 'transient' });
    expect(classify('team_added_to_org')).toMatchObject({ kind: 'permanent', code: 'team_added_to_org', message: 'slack chat.postMessage answered team_added_to_org' });
    expect(classify('channel_not_found')).toMatchObject({ kind: 'not_found', fields: [{ field: 'channel' }] });
  });

  it('an ok answer is no failure', () => {
    expect(classifySlack({ status: 200, headers: {}, body: { ok: true } }, { path: 'auth.test' })).toBeNull();
  });
});
