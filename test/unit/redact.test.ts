import fc from 'fast-check';
import { ConnectorError, toTemporalFailure } from '../../src/platform/errors';
import { redact, redactValue, registerSecret, registerSecretFields, secretField, withScrubber } from '../../src/platform/credentials/redact';
import { z } from 'zod';

describe('the scrubber', () => {
  it('never throws and never corrupts a structured value (dead-letters with JSON-looking text)', () => {
    withScrubber(() => {
      registerSecret('hunter2-very-secret');
      for (const value of [null, undefined, 0, 'null', { v: 'password=a"b' }, ['a"b', { '"': '\\' }], { n: null, d: new Date(0) }]) {
        expect(() => redactValue(value)).not.toThrow();
      }
      expect(redactValue({ v: 'password=a"b', s: 'x hunter2-very-secret y' })).toEqual({ v: 'password=[redacted]"b', s: 'x [redacted] y' });
      expect(redactValue(null)).toBeNull();
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = cyclic;
      expect(redactValue(cyclic)).toEqual({ a: 1, self: '[circular]' });
      let deep: unknown = 'hunter2-very-secret';
      for (let i = 0; i < 5000; i++) deep = [deep];
      expect(() => redactValue(deep)).not.toThrow();
    });
  });

  it('any value of any shape: never throws, keeps every non-secret value, removes the secret', () => {
    const secret = 'canary-7f3a9c1e5b2d4086';
    fc.assert(fc.property(fc.jsonValue(), fc.string(), (value, text) => {
      withScrubber(() => {
        registerSecret(secret);
        const scrubbed = redactValue({ value, text: `${text}${secret}` });
        expect(JSON.stringify(scrubbed)).not.toContain(secret);
        expect(JSON.stringify((scrubbed as { value: unknown }).value)).toBe(JSON.stringify(redactValue(value)));
      });
    }), { numRuns: 300 });
  });

  it("scrubs only the secret fields of the auth schema, at least 8 characters long, of this scope's connection", () => {
    const schema = z.looseObject({ clientId: z.string(), clientSecret: secretField(z.string()), region: z.string() });
    withScrubber(() => {
      registerSecretFields(schema, { clientId: 'client-id-public', clientSecret: 'client-secret-value', region: 'eu', extra: 'system-extra-value' });
      registerSecret('short');
      expect(redact('client-id-public client-secret-value system-extra-value short')).toBe('client-id-public [redacted] system-extra-value short');
      withScrubber(() => {
        expect(redact('client-secret-value')).toBe('client-secret-value'); // another connection's scope
      });
    });
    expect(redact('client-secret-value')).toBe('client-secret-value'); // outside any scope
  });

  it('a tenant storing "null" or "system" as a secret cannot make a 401 retryable', () => {
    withScrubber(() => {
      for (const v of ['null', 'system', 'permanent', '"', 'hubspot answered HTTP 401']) registerSecret(v);
      const failure = toTemporalFailure(new ConnectorError({ kind: 'permanent', system: 'hubspot', status: 401, message: 'hubspot answered HTTP 401: null' }));
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe('permanent');
    });
  });

  it("thousands of one connection's values cost nothing to another scope", () => {
    withScrubber(() => {
      for (let i = 0; i < 10_000; i++) registerSecret(`poison-value-number-${i}`);
    });
    const started = process.hrtime.bigint();
    withScrubber(() => {
      registerSecret('my-own-secret-value');
      for (let i = 0; i < 100; i++) redact(`text poison-value-number-${i} my-own-secret-value`);
    });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });
});
