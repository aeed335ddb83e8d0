import type { RunningSandbox } from '../../sandboxes/kit';
import { startServiceNowSandbox } from '../../sandboxes/servicenow';

// The ServiceNow sandbox over real HTTP: the Table API's answers and headers, the Batch API's
// Base64 envelope, Data Policy refusals, sys_audit_delete, and ServiceNow's error body.

describe('ServiceNow sandbox', () => {
  let sb: RunningSandbox;
  let auth: string;
  beforeAll(async () => {
    sb = await startServiceNowSandbox();
    const { username, password } = sb.credentials().credentials as { username: string; password: string };
    auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  });
  afterAll(async () => { await sb.stop(); });

  const call = async (method: string, path: string, body?: unknown, authorization: string | null = auth) => {
    const headers: Record<string, string> = { accept: 'application/json', ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const res = await fetch(`${sb.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };

  it("refuses a missing or wrong password with ServiceNow's error body", async () => {
    const res = await call('GET', '/api/now/table/incident', undefined, null);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' });
    expect((await call('GET', '/api/now/table/incident', undefined, 'Basic eDp5')).body.error.message).toBe('User is not authenticated');
  });

  it('inserts keep a given sys_id, set number/priority/stamps, and answer strings; a Data Policy refuses a blank mandatory field (403)', async () => {
    const sysId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const created = await call('POST', '/api/now/table/incident?sysparm_exclude_reference_link=true', { sys_id: sysId, short_description: 'Printer', impact: 1, urgency: 2, caller_id: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', sys_created_by: 'forged' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${sb.url}/api/now/table/incident/${sysId}`);
    expect(created.body.result).toMatchObject({ sys_id: sysId, number: 'INC0010001', impact: '1', urgency: '2', priority: '2', active: 'true', sys_mod_count: '0', sys_created_by: 'forge.integration', caller_id: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' });
    expect(created.body.result.sys_updated_on).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const withLink = await call('GET', `/api/now/table/incident/${sysId}?sysparm_fields=caller_id`);
    expect(withLink.body.result).toEqual({ caller_id: { link: `${sb.url}/api/now/table/sys_user/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb`, value: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' } });
    const refused = await call('PATCH', `/api/now/table/incident/${sysId}`, { short_description: '' });
    expect(refused).toMatchObject({ status: 403, body: { error: { message: 'Operation Failed', detail: 'Data Policy Exception: \n\tThe following fields are mandatory: Short description\n' }, status: 'failure' } });
    expect((await call('POST', '/api/now/table/incident', { sys_id: sysId, short_description: 'again' })).status).toBe(403);
    expect((await call('GET', '/api/now/table/cmdb_nothing')).body).toEqual({ error: { message: 'Invalid table cmdb_nothing', detail: null }, status: 'failure' });
  });

  it('pages with Link and X-Total-Count; a condition on an unknown column is dropped (every row answers)', async () => {
    for (let i = 0; i < 5; i++) await call('POST', '/api/now/table/sys_user', { user_name: `pager${i}` });
    const first = await call('GET', '/api/now/table/sys_user?sysparm_query=user_nameSTARTSWITHpager^ORDERBYDESCuser_name&sysparm_limit=2&sysparm_fields=user_name');
    expect(first.body.result).toEqual([{ user_name: 'pager4' }, { user_name: 'pager3' }]);
    expect(first.headers.get('x-total-count')).toBe('5');
    const link = first.headers.get('link')!;
    expect(link).toMatch(/rel="first"/);
    expect(link).toMatch(/sysparm_offset=2[^>]*>;rel="next"/);
    expect(link).toMatch(/sysparm_offset=4[^>]*>;rel="last"/);
    const widened = await call('GET', '/api/now/table/sys_user?sysparm_query=no_such_columnINx&sysparm_fields=user_name');
    expect(widened.body.result.length).toBeGreaterThanOrEqual(5);
  });

  it('the Batch API runs each item as a Table API request and answers Base64 bodies; a delete is recorded in sys_audit_delete', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const res = await call('POST', '/api/now/v1/batch', {
      batch_request_id: 'b1',
      rest_requests: [
        { id: '1', url: '/api/now/table/incident?sysparm_fields=sys_id,short_description', method: 'POST', headers: [{ name: 'Content-Type', value: 'application/json' }], body: b64({ short_description: 'batched' }) },
        { id: '2', url: '/api/now/table/incident', method: 'POST', headers: [], body: b64({ description: 'no short description' }), exclude_response_headers: true },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ batch_request_id: 'b1', unserviced_requests: [] });
    const [ok, refused] = res.body.serviced_requests;
    expect(ok).toMatchObject({ id: '1', status_code: 201, status_text: 'Created' });
    const created = JSON.parse(Buffer.from(ok.body, 'base64').toString()).result;
    expect(created.short_description).toBe('batched');
    expect(refused).toMatchObject({ id: '2', status_code: 403, headers: [] });
    expect(JSON.parse(Buffer.from(refused.body, 'base64').toString()).error.detail).toMatch(/mandatory: Short description/);

    expect((await call('DELETE', `/api/now/table/incident/${created.sys_id}`)).status).toBe(204);
    const audit = await call('GET', `/api/now/table/sys_audit_delete?sysparm_query=documentkey=${created.sys_id}`);
    expect(audit.body.result).toEqual([expect.objectContaining({ tablename: 'incident', documentkey: created.sys_id, payload: expect.stringContaining('<short_description>batched</short_description>') })]);
    expect((await call('DELETE', `/api/now/table/incident/${created.sys_id}`)).body.error.message).toBe('No Record found');
  });
});
