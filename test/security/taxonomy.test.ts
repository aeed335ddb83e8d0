import { classifySlack } from '../../src/connectors/slack/errors';
import { CredentialDecryptionError, InvalidCredentialIdError } from '../../src/platform/credentials';
import { ConnectorError, toTemporalFailure } from '../../src/platform/errors';
import { EgressRefusedError } from '../../src/platform/network';

describe('error taxonomy gaps', () => {
  it('an unhandled 404 or 409 is not retried for 25 minutes', () => {
    for (const kind of ['not_found', 'conflict'] as const) {
      expect(toTemporalFailure(new ConnectorError({ kind, system: 'hubspot', message: 'x' })).nonRetryable).toBe(true);
    }
  });

  it('a credential row that does not decrypt, a bad id or a refused egress is permanent, not transient', () => {
    for (const err of [new CredentialDecryptionError('tn_a', 'cn_b', 'authentication failed'), new InvalidCredentialIdError('tenant', '../x'),
      new EgressRefusedError('refused to connect to 10.0.0.1')]) {
      expect(toTemporalFailure(err)).toMatchObject({ type: 'permanent', nonRetryable: true });
    }
    expect(toTemporalFailure(new TypeError('a bug'))).toMatchObject({ type: 'transient', nonRetryable: false });
  });

  it("Slack's ok:false answers honour Retry-After", () => {
    for (const [status, error] of [[200, 'ratelimited'], [503, 'service_unavailable'], [200, 'internal_error']] as const) {
      const err = classifySlack({ status, headers: { 'retry-after': '7' }, body: { ok: false, error } });
      expect({ error, kind: err?.kind, retryAfterMs: err?.retryAfterMs }).toEqual({ error, kind: 'transient', retryAfterMs: 7000 });
    }
  });
});
