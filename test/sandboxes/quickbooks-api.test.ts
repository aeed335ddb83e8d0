import { startQuickbooks, type QuickbooksHarness } from './quickbooks-client';

describe('QuickBooks Online sandbox', () => {
  let qb: QuickbooksHarness;
  beforeEach(async () => { qb = await startQuickbooks(); });
  afterEach(async () => { await qb.stop(); });

  const item = { Name: 'Widget', UnitPrice: 10, IncomeAccountRef: { value: '79' } };

  it('rotates the refresh token on every refresh and refuses the old one with invalid_grant', async () => {
    const first = await qb.refresh();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
    const used = (await qb.admin('GET', 'credentials')).body.credentials.refreshToken;
    expect(first.body.refresh_token).toBe(used);
    const second = await qb.refresh();
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    const replayed = await qb.refresh(first.body.refresh_token);
    expect(replayed.status).toBe(400);
    expect(replayed.body).toEqual({ error: 'invalid_grant' });
  });

  it('answers 401 in the lower-case envelope and refuses another realm with 403', async () => {
    const missing = await qb.call('GET', '/customer/1', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.fault).toMatchObject({ type: 'AUTHENTICATION', error: [{ code: '3200' }] });
    const token = (await qb.refresh()).body.access_token;
    const elsewhere = await qb.call('GET', '/customer/1', { token, realm: '1' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.Fault).toMatchObject({ type: 'AuthorizationFault', Error: [{ code: '3100' }] });
  });

  it('versions every write with SyncToken: a sparse update changes only what it names, a stale token is 5010', async () => {
    const created = await qb.api('POST', '/customer?minorversion=75', { DisplayName: 'Ada', PrimaryEmailAddr: { Address: 'ada@example.com' }, Notes: 'first' });
    expect(created.status).toBe(200);
    expect(created.body.Customer).toMatchObject({ Id: expect.any(String), SyncToken: '0', Active: true, DisplayName: 'Ada', FullyQualifiedName: 'Ada', domain: 'QBO' });
    expect(created.body.Customer.MetaData.LastUpdatedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/);
    const id = created.body.Customer.Id;
    const sparse = await qb.api('POST', '/customer', { Id: id, SyncToken: '0', sparse: true, Notes: 'second' });
    expect(sparse.body.Customer).toMatchObject({ SyncToken: '1', Notes: 'second', PrimaryEmailAddr: { Address: 'ada@example.com' } });
    const stale = await qb.api('POST', '/customer', { Id: id, SyncToken: '0', sparse: true, Notes: 'lost' });
    expect(stale.status).toBe(400);
    expect(stale.body.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '5010', Message: 'Stale Object Error' }] });
    const full = await qb.api('POST', '/customer', { Id: id, SyncToken: '1', DisplayName: 'Ada' });
    expect(full.body.Customer.SyncToken).toBe('2');
    expect(full.body.Customer.Notes).toBeUndefined();
    expect(full.body.Customer.PrimaryEmailAddr).toBeUndefined();
  });

  it('never deletes a customer: Active=false hides it from queries, keeps its name and its reads', async () => {
    const id = (await qb.api('POST', '/customer', { DisplayName: 'Bob' })).body.Customer.Id;
    const refused = await qb.api('POST', '/customer?operation=delete', { Id: id, SyncToken: '0' });
    expect(refused.body.Fault.Error[0]).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
    await qb.api('POST', '/customer', { Id: id, SyncToken: '0', sparse: true, Active: false });
    expect((await qb.query("select * from Customer where DisplayName = 'bob'")).body.QueryResponse).toEqual({});
    const all = await qb.query("select * from Customer where DisplayName in ('Bob') and Active in (true, false)");
    expect(all.body.QueryResponse.Customer).toEqual([expect.objectContaining({ Id: id, Active: false, SyncToken: '1' })]);
    expect((await qb.api('GET', `/customer/${id}`)).body.Customer.Active).toBe(false);
    const duplicate = await qb.api('POST', '/customer', { DisplayName: 'BOB' });
    expect(duplicate.body.Fault.Error[0]).toMatchObject({ code: '6240', element: 'DisplayName' });
  });

  it('deletes invoices with operation=delete; a deleted invoice reads as 610 Object Not Found', async () => {
    const customer = (await qb.api('POST', '/customer', { DisplayName: 'Cy' })).body.Customer.Id;
    const widget = (await qb.api('POST', '/item', item)).body.Item.Id;
    const invoice = await qb.api('POST', '/invoice', { CustomerRef: { value: customer }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 30, SalesItemLineDetail: { ItemRef: { value: widget }, Qty: 3 } }] });
    expect(invoice.body.Invoice).toMatchObject({ DocNumber: '1001', TotalAmt: 30, Balance: 30, CustomerRef: { value: customer, name: 'Cy' } });
    expect(invoice.body.Invoice.Line.at(-1)).toMatchObject({ DetailType: 'SubTotalLineDetail', Amount: 30 });
    const id = invoice.body.Invoice.Id;
    const deleted = await qb.api('POST', '/invoice?operation=delete', { Id: id, SyncToken: '0' });
    expect(deleted.body.Invoice).toEqual({ status: 'Deleted', domain: 'QBO', Id: id });
    const read = await qb.api('GET', `/invoice/${id}`);
    expect(read.status).toBe(400);
    expect(read.body.Fault.Error[0]).toMatchObject({ code: '610', Message: 'Object Not Found' });
  });

  it('names the offending element of every refusal', async () => {
    const unknown = await qb.api('POST', '/customer', { DisplayName: 'Dee', Nickname: 'D' });
    expect(unknown.body.Fault.Error[0]).toMatchObject({ code: '2010', element: 'Nickname' });
    const email = await qb.api('POST', '/customer', { DisplayName: 'Dee', PrimaryEmailAddr: { Address: 'not-an-email' } });
    expect(email.body.Fault.Error[0]).toMatchObject({ element: 'PrimaryEmailAddr.Address' });
    const noAccount = await qb.api('POST', '/item', { Name: 'Gadget', Type: 'Service' });
    expect(noAccount.body.Fault.Error[0]).toMatchObject({ code: '2020', element: 'IncomeAccountRef' });
    const badRef = await qb.api('POST', '/invoice', { CustomerRef: { value: '999' }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 1, SalesItemLineDetail: { ItemRef: { value: '1' } } }] });
    expect(badRef.body.Fault.Error[0]).toMatchObject({ code: '2500', element: 'CustomerRef' });
  });

  it('runs up to 30 batch items, each with its own answer or Fault by bId, and refuses 31', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ bId: `b${i}`, operation: 'create', Customer: { DisplayName: i === 7 ? 'Same' : `Person ${i}` } }));
    items[8] = { bId: 'b8', operation: 'create', Customer: { DisplayName: 'same' } };
    const batch = await qb.api('POST', '/batch?minorversion=75', { BatchItemRequest: [...items.slice(0, 29), { bId: 'q', Query: 'select count(*) from Customer' }] });
    expect(batch.status).toBe(200);
    const answers = batch.body.BatchItemResponse;
    expect(answers.map((a: any) => a.bId)).toEqual([...items.slice(0, 29).map((i) => i.bId), 'q']);
    expect(answers[7].Customer.DisplayName).toBe('Same');
    expect(answers[8].Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '6240', element: 'DisplayName' }] });
    expect(answers[29].QueryResponse).toEqual({ totalCount: 28 });
    const tooMany = await qb.api('POST', '/batch', { BatchItemRequest: Array.from({ length: 31 }, (_, i) => ({ bId: String(i), Query: 'select * from Item' })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.Fault.Error[0].element).toBe('BatchItemRequest');
  });

  it('pages queries with STARTPOSITION/MAXRESULTS (1,000 at most) and orders by MetaData.LastUpdatedTime', async () => {
    await qb.admin('POST', 'seed', { objects: { Item: Array.from({ length: 5 }, (_, i) => ({ ...item, Name: `I${i}`, MetaData: { LastUpdatedTime: `2024-05-0${5 - i}T10:00:00-07:00` } })) } });
    const page = await qb.query('select * from Item orderby MetaData.LastUpdatedTime startposition 2 maxresults 2');
    expect(page.body.QueryResponse).toMatchObject({ startPosition: 2, maxResults: 2 });
    expect(page.body.QueryResponse.Item.map((i: any) => i.Name)).toEqual(['I3', 'I2']);
    const after = await qb.query("select * from Item where MetaData.LastUpdatedTime > '2024-05-03T17:00:00Z'");
    expect(after.body.QueryResponse.Item.map((i: any) => i.Name).sort()).toEqual(['I0', 'I1']);
    const broken = await qb.query('select Name from Item');
    expect(broken.status).toBe(400);
    expect(broken.body.Fault).toMatchObject({ type: 'QueryParserError', Error: [{ code: '4000' }] });
  });

  it('reports changes through CDC with Deleted tombstones, looks back 30 days at most, and keeps 1,000 objects', async () => {
    await qb.admin('POST', 'clock', { at: '2024-06-01T12:00:00Z' });
    const customer = (await qb.api('POST', '/customer', { DisplayName: 'Eve' })).body.Customer;
    const widget = (await qb.api('POST', '/item', item)).body.Item.Id;
    const invoice = (await qb.api('POST', '/invoice', { CustomerRef: { value: customer.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: widget }, Qty: 1 } }] })).body.Invoice;
    await qb.api('POST', '/invoice?operation=delete', { Id: invoice.Id, SyncToken: '0' });
    const cdc = await qb.api('GET', `/cdc?entities=Customer,Invoice&changedSince=${encodeURIComponent('2024-06-01T04:59:00-07:00')}&minorversion=75`);
    const [customers, invoices] = cdc.body.CDCResponse[0].QueryResponse;
    expect(customers.Customer).toEqual([expect.objectContaining({ Id: customer.Id, DisplayName: 'Eve' })]);
    expect(invoices.Invoice).toEqual([{ domain: 'QBO', status: 'Deleted', Id: invoice.Id, MetaData: { LastUpdatedTime: expect.any(String) } }]);
    const tooOld = await qb.api('GET', `/cdc?entities=Customer&changedSince=${encodeURIComponent('2024-04-30T00:00:00Z')}`);
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.Fault.Error[0].element).toBe('changedSince');

    await qb.admin('POST', 'seed', { objects: { Customer: Array.from({ length: 1005 }, (_, i) => ({ DisplayName: `Bulk ${i}`, MetaData: { LastUpdatedTime: new Date(Date.parse('2024-05-31T00:00:00Z') + i * 1000).toISOString() } })) } });
    const capped = await qb.api('GET', `/cdc?entities=Customer&changedSince=${encodeURIComponent('2024-05-30T00:00:00Z')}`);
    const kept = capped.body.CDCResponse[0].QueryResponse[0].Customer;
    expect(kept).toHaveLength(1000);
    expect(kept.some((c: any) => c.DisplayName === 'Bulk 0')).toBe(false);
  });

  it('throttles at 500 requests a minute per realm with the ThrottleExceeded fault (when enforced)', async () => {
    await qb.stop();
    qb = await startQuickbooks({ enforceRateLimit: true, rateLimit: { limit: 2 } });
    await qb.api('GET', '/companyinfo/x');
    await qb.api('GET', '/companyinfo/x');
    const limited = await qb.api('GET', `/customer/1`);
    expect(limited.status).toBe(429);
    expect(limited.body.Fault).toMatchObject({ type: 'SERVICE', Error: [{ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' }] });
  });
});
