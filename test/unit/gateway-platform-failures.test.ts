import { Writable } from 'node:stream';
import pino from 'pino';
import { ApiError } from '../../src/gateway/errors/api-error';
import { connectorFailureKind, connectorFailureStatus, failureReason, storageUnavailable } from '../../src/gateway/errors/platform-failures';
import { ConnectorError } from '../../src/platform/errors';

// The one place the gateway's services (connections, connect) turn the platform's failures into
// answers: src/gateway/errors/platform-failures.ts.

function memoryLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  return { logger: pino({ level: 'info' }, stream), lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('platform failures in the gateway', () => {
  it('a storage failure is logged with its masked cause and answered 503 storage_unavailable without it', () => {
    const { logger, lines } = memoryLogger();
    const answer = storageUnavailable(logger, new Error('vault said client_secret=hunter22 is sealed'), {
      context: { tenantId: 't1', connectionId: 'cn_1' }, logMessage: 'could not store a connection', answer: 'the connection could not be stored, retry later',
    });
    expect(answer).toBeInstanceOf(ApiError);
    expect({ status: answer.getStatus(), body: answer.toBody() })
      .toEqual({ status: 503, body: { error: { code: 'storage_unavailable', message: 'the connection could not be stored, retry later' } } });
    const [line] = lines();
    expect(line).toMatchObject({ level: 50, tenantId: 't1', connectionId: 'cn_1', msg: 'could not store a connection', err: 'vault said client_secret=[redacted] is sealed' });
  });

  it('reads a failure that is not an Error as text', () => {
    expect(failureReason('socket hang up')).toBe('socket hang up');
    expect(failureReason(new Error('Bearer abcdefghijklmnop refused'))).toBe('Bearer [redacted] refused');
  });

  it("a connector's permanent refusal is the request's fault (400); any other failure, classified or not, the system's (502)", () => {
    const permanent = new ConnectorError({ kind: 'permanent', system: 'hubspot', message: 'invalid_grant' });
    const transient = new ConnectorError({ kind: 'transient', system: 'hubspot', message: 'timeout' });
    const conflict = new ConnectorError({ kind: 'conflict', system: 'hubspot', message: 'busy' });
    expect([permanent, transient, conflict, new Error('boom')].map((e) => [connectorFailureKind(e), connectorFailureStatus(e)]))
      .toEqual([['permanent', 400], ['transient', 502], ['conflict', 502], ['transient', 502]]);
  });
});
