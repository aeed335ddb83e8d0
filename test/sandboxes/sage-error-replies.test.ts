import type { RunningSandbox } from '../../sandboxes/kit';
import { API_ROOT as SAGE_300_ROOT, startSage300Sandbox } from '../../sandboxes/sage-300';
import { API_ROOT as SAGE_X3_ROOT, startSageX3Sandbox } from '../../sandboxes/sage-x3';
import { diagnosesBody } from '../../sandboxes/sage-x3/classes';

// Sage 300's and Sage X3's error hooks go through the kit's replyForStatus: an injected 401 or 429
// answers the body the system sends for a refused password or its rate limit; any other status its
// generic error.
const sage300Error = (code: string, value: string) => ({ error: { code, message: { lang: 'en-US', value } } });
const systems = [
  { name: 'Sage 300', start: () => startSage300Sandbox({ password: 'right' }), path: `${SAGE_300_ROOT}/SAMLTD/AR/ARCustomers`, query: '',
    rateLimited: sage300Error('TooManyRequests', 'Too many requests.'), unavailable: sage300Error('InternalServerError', 'An error has occurred.') },
  { name: 'Sage X3', start: () => startSageX3Sandbox({ password: 'right' }), path: `${SAGE_X3_ROOT}/SEED/BPCUSTOMER`, query: '?representation=BPCUSTOMER.$query',
    rateLimited: diagnosesBody([{ message: 'Too many requests' }]), unavailable: diagnosesBody([{ message: 'Internal server error' }]) },
];

describe.each(systems)('$name: injected statuses read as the system answers them', ({ start, path, query, rateLimited, unavailable }) => {
  let sb: RunningSandbox;
  beforeEach(async () => { sb = await start(); });
  afterEach(async () => { await sb.stop(); });

  const get = async (password: string) => {
    const res = await fetch(`${sb.url}${path}${query}`, {
      headers: { authorization: `Basic ${Buffer.from(`${String(sb.credentials().credentials.username)}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: await res.json() as unknown };
  };
  const inject = async (status: number) => {
    const res = await fetch(`${sb.url}/__sandbox/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [{ method: 'GET', path, status, times: 1 }] }),
    });
    expect(res.status).toBe(200);
  };

  it('401 as for a wrong password, 429 and 503 with their own bodies', async () => {
    const refused = await get('wrong');
    expect(refused.status).toBe(401);
    await inject(401);
    expect(await get('right')).toEqual(refused);
    await inject(429);
    expect(await get('right')).toEqual({ status: 429, body: rateLimited });
    await inject(503);
    expect(await get('right')).toEqual({ status: 503, body: unavailable });
    expect((await get('right')).status).toBe(200);
  });
});
