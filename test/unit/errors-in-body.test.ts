import { classifyErrorsInBody, type ErrorsInBody } from '../../src/connectors/kit';

// The kit's hook for systems that answer failures inside HTTP 200 (Marketo, Slack): a table of the
// vendor's codes becomes the HTTP client's classify verdict.
const table: ErrorsInBody = {
  system: 'vendor',
  failure: (body) => {
    const b = body as { success?: boolean; errors?: Array<{ code: string; message: string }> };
    return b?.success === false ? { code: b.errors?.[0]?.code ?? 'unknown', message: b.errors?.[0]?.message ?? '' } : undefined;
  },
  codes: { 601: { kind: 'permanent', auth: true }, 606: { kind: 'transient', retryAfterMs: 20_000 }, 1003: { kind: 'validation', status: 400 } },
  otherwise: { kind: 'permanent' },
  fields: (_code, message) => [{ field: /field '([^']+)'/.exec(message)?.[1] ?? '*', message }],
};
const classify = classifyErrorsInBody(table);
const answer = (body: unknown, headers: Record<string, string> = {}) => ({ status: 200, headers, body });
const failing = (code: string, message = 'm') => ({ success: false, errors: [{ code, message }] });

describe('kit: errors inside HTTP 200', () => {
  it('a successful body is no verdict: the status decides', () => {
    expect(classify(answer({ success: true, result: [] }))).toBeNull();
  });

  it('an auth code is answered as a 401 (one refresh and retry by the client), permanent if it comes again', () => {
    expect(classify(answer(failing('601', 'Access token invalid')))).toMatchObject({ kind: 'permanent', status: 401, code: '601', system: 'vendor' });
  });

  it("a transient code waits the table's time, or the answer's Retry-After when it has one", () => {
    expect(classify(answer(failing('606')))).toMatchObject({ kind: 'transient', retryAfterMs: 20_000, status: 200 });
    expect(classify(answer(failing('606'), { 'retry-after': '3' }))).toMatchObject({ kind: 'transient', retryAfterMs: 3_000 });
  });

  it('a validation code names the field its message names; unknown codes are permanent', () => {
    expect(classify(answer(failing('1003', "Invalid value for field 'email'")))).toMatchObject({ kind: 'validation', status: 400, fields: [{ field: 'email' }] });
    expect(classify(answer(failing('999')))).toMatchObject({ kind: 'permanent', code: '999' });
  });
});
