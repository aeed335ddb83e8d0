import { startFreshbooks, type FreshbooksHarness } from './freshbooks-client';

describe('FreshBooks sandbox', () => {
  let fb: FreshbooksHarness;
  beforeEach(async () => { fb = await startFreshbooks(); });
  afterEach(async () => { await fb.stop(); });

  const newClient = async (client: Record<string, unknown>) => (await fb.api('POST', '/users/clients', { client })).body.response.result.client;

  it('issues 12-hour access tokens and single-use refresh tokens', async () => {
    const first = await fb.refresh();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 43200, access_token: expect.any(String), refresh_token: expect.any(String) });
    const again = await fb.refresh(first.body.refresh_token);
    expect(again.status).toBe(200);
    const reused = await fb.refresh(first.body.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    const anonymous = await fb.call('GET', '/users/clients', { token: null });
    expect(anonymous.status).toBe(401);
    expect((await fb.call('GET', '/users/clients', { token: again.body.access_token, account: 'other' })).body.response.errors[0]).toMatchObject({ errno: 1003 });
  });

  it('wraps bodies in the resource name, stamps `updated` in Eastern time, and pages lists', async () => {
    await fb.admin('POST', 'clock', { at: '2024-07-01T03:30:00Z', frozen: true });
    const client = await newClient({ fname: 'Ada', lname: 'Lovelace', email: 'ada@example.com' });
    expect(client).toMatchObject({ id: expect.any(Number), userid: client.id, organization: 'Ada Lovelace', vis_state: 0, updated: '2024-06-30 23:30:00' });
    for (let i = 0; i < 4; i++) await newClient({ organization: `Org ${i}` });
    const page = await fb.api('GET', '/users/clients?page=2&per_page=2');
    expect(page.body.response.result).toMatchObject({ page: 2, pages: 3, per_page: 2, total: 5 });
    expect(page.body.response.result.clients.map((c: any) => c.organization)).toEqual(['Org 1', 'Org 2']);
    expect((await fb.api('GET', '/users/clients?per_page=500')).body.response.result.per_page).toBe(100);
  });

  it('soft-deletes with vis_state 1: left out of lists, still readable by id, back with vis_state 0', async () => {
    const client = await newClient({ organization: 'Acme' });
    const deleted = await fb.api('PUT', `/users/clients/${client.id}`, { client: { vis_state: 1 } });
    expect(deleted.body.response.result.client.vis_state).toBe(1);
    expect((await fb.api('GET', '/users/clients')).body.response.result.total).toBe(0);
    expect((await fb.api('GET', '/users/clients?search[vis_state]=1')).body.response.result.clients.map((c: any) => c.id)).toEqual([client.id]);
    expect((await fb.api('GET', `/users/clients/${client.id}`)).body.response.result.client.vis_state).toBe(1);
    const refused = await fb.api('PUT', `/users/clients/${client.id}`, { client: { note: 'x' } });
    expect(refused.body.response.errors[0]).toMatchObject({ errno: 1011 });
    await fb.api('PUT', `/users/clients/${client.id}`, { client: { vis_state: 0 } });
    expect((await fb.api('GET', '/users/clients')).body.response.result.total).toBe(1);
  });

  it('drops every other key of a PUT that carries vis_state, silently', async () => {
    const client = await newClient({ organization: 'Acme', note: 'before' });
    const answer = await fb.api('PUT', `/users/clients/${client.id}`, { client: { vis_state: 0, note: 'lost' } });
    expect(answer.status).toBe(200);
    expect(answer.body.response.result.client.note).toBe('before');
    const plain = await fb.api('PUT', `/users/clients/${client.id}`, { client: { note: 'kept' } });
    expect(plain.body.response.result.client).toMatchObject({ note: 'kept', organization: 'Acme' });
  });

  it('filters by search[updated_min] as a day (YYYY-MM-DD, Eastern), refusing other formats', async () => {
    await fb.admin('POST', 'clock', { at: '2024-07-01T02:00:00Z', frozen: true });
    await newClient({ organization: 'Late on June 30 in New York' });
    await fb.admin('POST', 'clock', { at: '2024-07-01T05:00:00Z', frozen: true });
    await newClient({ organization: 'July 1' });
    const july = await fb.api('GET', '/users/clients?search[updated_min]=2024-07-01');
    expect(july.body.response.result.clients.map((c: any) => c.organization)).toEqual(['July 1']);
    const refused = await fb.api('GET', `/users/clients?search[updated_min]=${encodeURIComponent('2024-07-01 00:00:00')}`);
    expect(refused.status).toBe(422);
    expect(refused.body.response.errors[0]).toMatchObject({ errno: 1033, field: 'updated_min' });
  });

  it('answers 422 { response: { errors: [{ errno, field, message }] } } and 404 errno 1012', async () => {
    const email = await fb.api('POST', '/users/clients', { client: { email: 'nope' } });
    expect(email.status).toBe(422);
    expect(email.body.response.errors).toEqual([{ errno: 1004, field: 'email', message: 'Invalid email address.', object: 'client', value: 'nope' }]);
    const nameless = await fb.api('POST', '/users/clients', { client: { note: 'x' } });
    expect(nameless.body.response.errors[0]).toMatchObject({ errno: 1001, field: 'organization' });
    await newClient({ email: 'ada@example.com' });
    expect((await fb.api('POST', '/users/clients', { client: { email: 'ADA@example.com' } })).body.response.errors[0]).toMatchObject({ field: 'email' });
    const missing = await fb.api('GET', '/users/clients/999');
    expect(missing.status).toBe(404);
    expect(missing.body.response.errors[0]).toMatchObject({ errno: 1012, field: 'userid', message: 'Client not found.', value: '999' });
    const badLine = await fb.api('POST', '/invoices/invoices', { invoice: { customerid: 1, create_date: '2024-07-01' } });
    expect(badLine.body.response.errors[0]).toMatchObject({ field: 'customerid' });
  });

  it('computes invoice amounts from lines and numbers invoices', async () => {
    const client = await newClient({ organization: 'Acme' });
    const created = await fb.api('POST', '/invoices/invoices', { invoice: { customerid: client.id, create_date: '2024-07-01', due_offset_days: 15, lines: [{ name: 'Work', qty: 4, unit_cost: { amount: '25.00' } }] } });
    expect(created.body.response.result.invoice).toMatchObject({
      invoice_number: '0000001', due_date: '2024-07-16', amount: { amount: '100.00', code: 'USD' }, organization: 'Acme',
      lines: [expect.objectContaining({ name: 'Work', qty: '4', unit_cost: { amount: '25.00', code: 'USD' }, amount: { amount: '100.00', code: 'USD' } })],
    });
    expect((await fb.api('GET', '/invoices/invoices?search[invoice_number]=0000001')).body.response.result.total).toBe(1);
  });
});
