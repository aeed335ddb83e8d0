import type { ArgumentsHost } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import pino from 'pino';
import { ApiExceptionFilter } from '../../src/gateway/errors/api-exception.filter';
import { createPool } from '../../src/platform/db/pool';
import { testStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// When no database connection frees up in time, the gateway answers 503 `busy` with a Retry-After,
// so a client knows to ask again rather than give up.
describe('503 busy', () => {
  /**
   * The pool's one client. Its 100 ms timeout also bounds making a connection, which a busy machine
   * can take longer than (CI failed here once): only the wait for a client already taken is tested.
   */
  const holdTheOneClient = (pool: Pool): Promise<PoolClient> =>
    waitFor("the pool's one client", () => pool.connect().catch(() => undefined), 10_000, 0);

  it("a real pool's connect timeout becomes 503 busy with Retry-After: 1", async () => {
    const pool = createPool(testStack().databaseUrl, { max: 1, connectionTimeoutMs: 100 });
    const held = await holdTheOneClient(pool);
    try {
      const timeout = await pool.connect().then((c) => { c.release(); return undefined; }, (err: unknown) => err);
      expect(timeout).toBeInstanceOf(Error);
      const answer: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
      const res = {
        headersSent: false,
        setHeader: (name: string, value: string) => { answer.headers[name] = value; },
        status(code: number) { answer.status = code; return this; },
        json: (body: unknown) => { answer.body = body; },
      };
      const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', path: '/v1/loads' }) }) } as unknown as ArgumentsHost;
      new ApiExceptionFilter(pino({ level: 'silent' })).catch(timeout, host);
      expect(answer).toEqual({ status: 503, headers: { 'retry-after': '1' }, body: { error: { code: 'busy', message: 'the service is busy, retry shortly' } } });
    } finally {
      held.release();
      await pool.end();
    }
  });
});
