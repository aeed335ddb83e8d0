import { classifyResponse } from '../../src/connectors/salesforce/errors';

/**
 * The Streaming API reports a refused session inside its Bayeux answer ("Handling Streaming API
 * Errors", API 62.0), whatever the HTTP status: either way it reads as a 401, which the HTTP client
 * answers with one token refresh and a resend, as it does for REST.
 */
describe('Salesforce Streaming API authentication failures', () => {
  const answer = (body: unknown, status = 200) => classifyResponse({ status, headers: {}, body });

  it('reads 401::Authentication invalid on /meta/connect as a 401, in an HTTP 200 as in a 401', () => {
    const body = [{ channel: '/meta/connect', clientId: 'c1', advice: { reconnect: 'none', interval: 0 }, error: '401::Authentication invalid', successful: false }];
    expect(answer(body)).toMatchObject({ status: 401, message: expect.stringContaining('401::Authentication invalid') });
    expect(answer(body, 401)).toMatchObject({ status: 401 });
  });

  it('reads a handshake denied for authentication (ext.sfdc.failureReason) as a 401', () => {
    const body = [{ ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true }, advice: { reconnect: 'none' },
      channel: '/meta/handshake', error: '403::Handshake denied', successful: false }];
    expect(answer(body)).toMatchObject({ status: 401, message: expect.stringContaining('403::Handshake denied (401::Authentication invalid)') });
  });

  it('leaves other Streaming API errors and successful answers to the Streaming client', () => {
    expect(answer([{ channel: '/meta/subscribe', error: '400::The replayId {5} you provided was invalid.', successful: false }])).toBeNull();
    expect(answer([{ channel: '/meta/connect', error: '403::Unknown client', successful: false }])).toBeNull();
    expect(answer([{ channel: '/meta/connect', successful: true }])).toBeNull();
  });
});
