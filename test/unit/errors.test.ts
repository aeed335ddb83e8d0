import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { errors as undiciErrors } from 'undici';
import type { FieldError } from '../../src/connectors/contract';
import { registerSecret, withScrubber } from '../../src/platform/credentials/redact';
import {
  classifyHttp, classifyNetworkError, ConnectorError, DEFAULT_MAX_RETRY_AFTER_MS, isConnectorError, NON_RETRYABLE_ERROR_TYPES,
  parseRetryAfter, toTemporalFailure,
} from '../../src/platform/errors';

const NOW = new Date('2026-10-21T07:00:00Z');

describe('classifyHttp: the taxonomy table', () => {
  it.each([
    [401, 'permanent', false],
    [403, 'permanent', false],
    [400, 'validation', false],
    [422, 'validation', false],
    [404, 'not_found', false],
    [410, 'not_found', false],
    [409, 'conflict', false],
    [412, 'conflict', false],
    [408, 'transient', true],
    [429, 'transient', true],
    [500, 'transient', true],
    [502, 'transient', true],
    [503, 'transient', true],
    [504, 'transient', true],
    [599, 'transient', true],
    [501, 'permanent', false],
    [405, 'permanent', false],
    [413, 'permanent', false],
    [302, 'permanent', false],
  ] as const)('HTTP %i is %s (retryable: %s)', (status, kind, retryable) => {
    const err = classifyHttp('hubspot', status, {}, { message: 'nope' });
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind, status, system: 'hubspot' });
    expect(err.retryable).toBe(retryable);
    expect(err.message).toContain(`HTTP ${status}`);
  });

  it('validation carries the field names read by the connector from its own error body', () => {
    // HubSpot-style body: errors[].context.propertyName
    const hubspotFields = (body: unknown): FieldError[] =>
      ((body as { errors?: Array<{ message: string; context?: { propertyName?: string[] } }> }).errors ?? [])
        .flatMap((e) => (e.context?.propertyName ?? []).map((field) => ({ field, message: e.message })));
    const body = {
      status: 'error', category: 'VALIDATION_ERROR',
      errors: [
        { message: 'Email address is invalid', context: { propertyName: ['email'] } },
        { message: 'Not a valid phone', context: { propertyName: ['phone'] } },
      ],
    };
    const err = classifyHttp('hubspot', 400, {}, body, { extractFields: hubspotFields });
    expect(err.kind).toBe('validation');
    expect(err.fields).toEqual([
      { field: 'email', message: 'Email address is invalid' },
      { field: 'phone', message: 'Not a valid phone' },
    ]);
    expect(err.message).toMatch(/fields: email, phone/);
  });

  it('a Salesforce-style array body works the same way (422)', () => {
    const salesforceFields = (body: unknown): FieldError[] =>
      (body as Array<{ message: string; fields: string[] }>).flatMap((e) => e.fields.map((field) => ({ field, message: e.message })));
    const err = classifyHttp('salesforce', 422, {}, [{ errorCode: 'INVALID_EMAIL_ADDRESS', message: 'bad email', fields: ['Email'] }],
      { extractFields: salesforceFields });
    expect(err.fields).toEqual([{ field: 'Email', message: 'bad email' }]);
  });

  it('an extractFields that chokes on an odd body still yields a validation error', () => {
    const err = classifyHttp('hubspot', 400, {}, 'plain text', { extractFields: () => { throw new Error('unexpected shape'); } });
    expect(err).toMatchObject({ kind: 'validation', fields: [] });
    expect(err.message).toContain('plain text');
  });

  it('reads Retry-After (any header case) on transient answers only', () => {
    expect(classifyHttp('jira', 429, { 'Retry-After': '7' }, null, { now: NOW }).retryAfterMs).toBe(7000);
    expect(classifyHttp('jira', 503, { 'retry-after': 'Wed, 21 Oct 2026 07:00:30 GMT' }, null, { now: NOW }).retryAfterMs).toBe(30_000);
    expect(classifyHttp('jira', 429, { 'retry-after': '600' }, null, { now: NOW, maxRetryAfterMs: 60_000 }).retryAfterMs).toBe(60_000);
    expect(classifyHttp('jira', 429, {}, null).retryAfterMs).toBeUndefined();
    expect(classifyHttp('jira', 400, { 'retry-after': '7' }, null).retryAfterMs).toBeUndefined();
  });

  it('never puts a registered secret or a credential-shaped value from the body into the message', () => withScrubber(() => {
    const canary = 'canary-secret-5c1f9e2b7a';
    registerSecret(canary);
    const err = classifyHttp('zendesk', 500, {}, { echo: `you sent ${canary}`, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(err.message).not.toContain(canary);
    expect(err.message).not.toContain('dXNlcjpwYXNz');
    expect(err.message).toContain('[redacted]');
  }));
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds, tolerating decimals', () => {
    expect(parseRetryAfter('120', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(0);
    expect(parseRetryAfter('1.5', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(1500);
  });

  it('reads HTTP-dates in all three forms RFC 9110 makes recipients accept', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:02:00 GMT', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(120_000);
    expect(parseRetryAfter('Wednesday, 21-Oct-26 07:01:00 GMT', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(60_000);
    expect(parseRetryAfter('Wed Oct 21 07:00:10 2026', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(10_000);
  });

  it('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(0);
  });

  it('caps both forms', () => {
    expect(DEFAULT_MAX_RETRY_AFTER_MS).toBe(5 * 60_000);
    expect(parseRetryAfter('86400', NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBe(DEFAULT_MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Thu, 22 Oct 2026 07:00:00 GMT', NOW, 10_000)).toBe(10_000);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
  });

  it.each([null, undefined, '', '   ', '-5', '+5', '1e3', 'soon', 'tomorrow', 'foo 1', '2026-10-21', '12 apples', 'Wed, 21 Oct 2026'])(
    'garbage %p is undefined', (value) => {
      expect(parseRetryAfter(value, NOW, DEFAULT_MAX_RETRY_AFTER_MS)).toBeUndefined();
    });

  it('any whole number of seconds is that many milliseconds, capped', () => {
    fc.assert(fc.property(fc.nat(10_000_000), fc.nat(DEFAULT_MAX_RETRY_AFTER_MS), (seconds, cap) => {
      expect(parseRetryAfter(String(seconds), NOW, cap)).toBe(Math.min(seconds * 1000, cap));
    }));
  });

  it('any string gives undefined or a wait within [0, cap]', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const waitMs = parseRetryAfter(value, NOW, 60_000);
      if (waitMs !== undefined) {
        expect(waitMs).toBeGreaterThanOrEqual(0);
        expect(waitMs).toBeLessThanOrEqual(60_000);
      }
    }));
  });
});

describe('classifyNetworkError', () => {
  const transientCases: Array<[string, Error]> = [
    ['undici HeadersTimeoutError', new undiciErrors.HeadersTimeoutError()],
    ['undici BodyTimeoutError', new undiciErrors.BodyTimeoutError()],
    ['undici ConnectTimeoutError', new undiciErrors.ConnectTimeoutError()],
    ['undici SocketError (reset)', new undiciErrors.SocketError('other side closed')],
    ['our own AbortSignal.timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['an AbortError', new DOMException('This operation was aborted', 'AbortError')],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['EPIPE', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    ['socket hang up', new Error('socket hang up')],
    ['fetch failed with a reset as its cause', new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) })],
  ];

  it.each(transientCases)('%s is transient', (_label, error) => {
    const err = classifyNetworkError('stripe', error);
    expect(err).toMatchObject({ kind: 'transient', system: 'stripe' });
    expect(err.status).toBeUndefined();
  });

  it('says "timed out" for timeouts', () => {
    expect(classifyNetworkError('stripe', new undiciErrors.HeadersTimeoutError()).message).toMatch(/timed out/);
  });

  it('an unknown host (a wrong subdomain) and invalid arguments are permanent', () => {
    expect(classifyNetworkError('zendesk', Object.assign(new Error('getaddrinfo ENOTFOUND x.zendesk.com'), { code: 'ENOTFOUND' })).kind).toBe('permanent');
    expect(classifyNetworkError('zendesk', new undiciErrors.InvalidArgumentError('invalid method')).kind).toBe('permanent');
  });

  it('passes a ConnectorError through untouched', () => {
    const original = new ConnectorError({ kind: 'conflict', system: 'x', message: 'already there' });
    expect(classifyNetworkError('x', original)).toBe(original);
  });
});

describe('ConnectorError', () => {
  it('redacts its message and field messages at construction', () => withScrubber(() => {
    const secret = 'canary-ce-0d9a77f1c3';
    registerSecret(secret);
    const err = new ConnectorError({ kind: 'validation', system: 'stripe', message: `bad key ${secret}`, fields: [{ field: 'name', message: `echo ${secret}` }] });
    expect(err.message).not.toContain(secret);
    expect(err.stack).not.toContain(secret);
    expect(JSON.stringify(err.fields)).not.toContain(secret);
  }));

  it('isConnectorError recognises one from another module copy by shape', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'ConnectorError', kind: 'transient', system: 'slack' });
    expect(isConnectorError(lookalike)).toBe(true);
    expect(isConnectorError(new Error('x'))).toBe(false);
    expect(isConnectorError(Object.assign(new Error('x'), { name: 'ConnectorError', kind: 'bogus', system: 'slack' }))).toBe(false);
    expect(isConnectorError('ConnectorError')).toBe(false);
  });
});

describe('toTemporalFailure', () => {
  it('permanent and validation are non-retryable, typed by kind', () => {
    for (const kind of ['permanent', 'validation'] as const) {
      const failure = toTemporalFailure(new ConnectorError({ kind, system: 'hubspot', status: 400, message: 'no' }));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure.type).toBe(kind);
      expect(failure.nonRetryable).toBe(true);
    }
  });

  it('transient is retryable and carries Retry-After as nextRetryDelay', () => {
    const failure = toTemporalFailure(classifyHttp('jira', 429, { 'retry-after': '12' }, null));
    expect(failure).toMatchObject({ type: 'transient', nonRetryable: false, nextRetryDelay: 12_000 });
  });

  it('not_found and conflict that reach the activity boundary are not retried (an operation that handles them catches them first)', () => {
    for (const status of [404, 409]) {
      const failure = toTemporalFailure(classifyHttp('hubspot', status, {}, null));
      expect(failure.nonRetryable).toBe(true);
      expect(failure.nextRetryDelay).toBeUndefined();
    }
  });

  it('details name the system, status and fields, with secrets redacted', () => withScrubber(() => {
    const secret = 'canary-tf-91be3c0d22';
    registerSecret(secret);
    const err = classifyHttp('hubspot', 400, {}, { message: `token ${secret} rejected` },
      { extractFields: () => [{ field: 'email', message: `invalid near ${secret}` }] });
    const failure = toTemporalFailure(err);
    expect(failure.details).toEqual([{ system: 'hubspot', status: 400, fields: [{ field: 'email', message: 'invalid near [redacted]' }] }]);
    expect(failure.message).not.toContain(secret);
    expect(JSON.stringify(failure.details)).not.toContain(secret);
  }));

  it('any other error becomes a retryable "transient" failure with a redacted message', () => withScrubber(() => {
    const secret = 'canary-bug-3f0e8b6a11';
    registerSecret(secret);
    const failure = toTemporalFailure(new TypeError(`cannot read x of undefined near ${secret}`));
    expect(failure).toMatchObject({ type: 'transient', nonRetryable: false });
    expect(failure.message).toContain('TypeError');
    expect(failure.message).not.toContain(secret);
    expect(toTemporalFailure('a thrown string').type).toBe('transient');
  }));

  it('an ApplicationFailure keeps its type and flags but gets its message redacted', () => withScrubber(() => {
    const secret = 'canary-af-77c2d9e0f4';
    registerSecret(secret);
    const failure = toTemporalFailure(ApplicationFailure.create({ message: `leaked ${secret}`, type: 'validation', nonRetryable: true, details: [{ note: secret }] }));
    expect(failure).toMatchObject({ type: 'validation', nonRetryable: true });
    expect(failure.message).not.toContain(secret);
    expect(JSON.stringify(failure.details)).not.toContain(secret);
  }));
});

describe('the kinds workflows import', () => {
  it('lists permanent and validation as the non-retryable types', () => {
    expect(NON_RETRYABLE_ERROR_TYPES).toEqual(['permanent', 'validation', 'not_found', 'conflict']);
    expect(Object.isFrozen(NON_RETRYABLE_ERROR_TYPES)).toBe(true);
  });

  it('error-kinds.ts imports nothing, so workflow code can use it', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../src/platform/error-kinds.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s|require\(/m);
  });
});
