import type { RunningSandbox } from '../../sandboxes/kit';
import { startNetSuiteSandbox } from '../../sandboxes/netsuite';
import { QUICKBOOKS_SANDBOX_REALM, startQuickbooksSandbox } from '../../sandboxes/quickbooks';
import { GRAPHQL_PATH, startShopifySandbox } from '../../sandboxes/shopify';
import { SANDBOX_TENANT, startWorkdaySandbox } from '../../sandboxes/workday';

// Workday's, Shopify's, NetSuite's and QuickBooks' error hooks go through the kit's replyForStatus:
// an injected 401 answers what a refused credential gets, and 429 and 503 the system's own bodies
// (each system's errors.ts names the vendor page). The sandbox clock is frozen so QuickBooks' fault
// time is the same in both answers of the 401 comparison.
const FROZEN = '2026-03-02T10:00:00.000Z';
const netsuiteType = (section: string) => `https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.${section}`;
/** The frozen time as QuickBooks stamps its faults: the company's Pacific offset. */
const qboTime = '2026-03-02T02:00:00-08:00';

interface System {
  name: string;
  start(): Promise<RunningSandbox>;
  /** A request the sandbox routes, so a wrong credential is refused by its auth. */
  method: 'GET' | 'POST';
  path: string;
  wrongCredential: Record<string, string>;
  rateLimited: unknown;
  unavailable: unknown;
}

const systems: System[] = [
  {
    name: 'Workday', start: () => startWorkdaySandbox(), method: 'GET', path: `/ccx/api/common/v1/${SANDBOX_TENANT}/workers`,
    wrongCredential: { authorization: 'Bearer not-a-token' },
    rateLimited: { error: 'Too many requests.' },
    unavailable: { error: 'An unexpected error occurred.' },
  },
  {
    name: 'Shopify', start: () => startShopifySandbox(), method: 'POST', path: GRAPHQL_PATH,
    wrongCredential: { 'x-shopify-access-token': 'shpat_not-a-token' },
    rateLimited: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' },
    unavailable: { errors: 'Internal Server Error' },
  },
  {
    name: 'NetSuite', start: () => startNetSuiteSandbox(), method: 'GET', path: '/services/rest/record/v1/customer',
    wrongCredential: { authorization: 'OAuth realm="1234567_SB1", oauth_token="not-a-token"' },
    rateLimited: {
      type: 'https://tools.ietf.org/html/rfc6585#section-4', title: 'Too Many Requests', status: 429,
      'o:errorDetails': [{ detail: 'The request could not be processed because the account has reached its limit of 15 concurrent web services and RESTlet requests. Retry later.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }],
    },
    unavailable: { type: netsuiteType('5.4'), title: 'Service Unavailable', status: 503, 'o:errorDetails': [{ detail: 'Service Unavailable.', 'o:errorCode': 'UNEXPECTED_ERROR' }] },
  },
  {
    name: 'QuickBooks', start: () => startQuickbooksSandbox(), method: 'GET', path: `/v3/company/${QUICKBOOKS_SANDBOX_REALM}/customer/1`,
    wrongCredential: { authorization: 'Bearer not-a-token' },
    rateLimited: {
      Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001', element: '' }], type: 'SERVICE' },
      time: qboTime,
    },
    unavailable: {
      Fault: {
        Error: [{
          Message: 'An application error has occurred while processing your request',
          Detail: 'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.',
          code: '10000', element: '',
        }],
        type: 'SystemFault',
      },
      time: qboTime,
    },
  },
];

describe.each(systems)('$name: injected statuses read as the system answers them', ({ start, method, path, wrongCredential, rateLimited, unavailable }) => {
  let sb: RunningSandbox;
  beforeEach(async () => {
    sb = await start();
    await admin('clock', { at: FROZEN, frozen: true });
  });
  afterEach(async () => { await sb.stop(); });

  async function admin(what: string, body: unknown): Promise<void> {
    const res = await fetch(`${sb.url}/__sandbox/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  }
  const call = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${sb.url}${path}`, {
      method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'POST' ? { body: JSON.stringify({ query: '{ shop { name } }' }) } : {}),
    });
    return { status: res.status, body: await res.json() as unknown };
  };
  const inject = (status: number) => admin('faults', { faults: [{ method, path, status, times: 1 }] });

  it('401 as for a wrong credential, 429 and 503 with their own bodies', async () => {
    const refused = await call(wrongCredential);
    expect(refused.status).toBe(401);
    await inject(401);
    expect(await call()).toEqual(refused);
    await inject(429);
    expect(await call()).toEqual({ status: 429, body: rateLimited });
    await inject(503);
    expect(await call()).toEqual({ status: 503, body: unavailable });
  });
});
