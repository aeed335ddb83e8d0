import { startHubspot, type HubspotHarness } from './hubspot-client';

describe('HubSpot sandbox: CRM v3 objects', () => {
  let hs: HubspotHarness;
  beforeEach(async () => {
    hs = await startHubspot();
  });
  afterEach(async () => {
    await hs.stop();
  });

  it('batch/create answers 201 COMPLETE with HubSpot record shapes', async () => {
    const res = await hs.api('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { email: 'Ada@Example.com', firstname: 'Ada' } }, { properties: { email: 'bob@example.com' } }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'COMPLETE' });
    expect(typeof res.body.startedAt).toBe('string');
    expect(typeof res.body.completedAt).toBe('string');
    const [ada] = res.body.results;
    expect(ada).toMatchObject({ archived: false, properties: { email: 'ada@example.com', firstname: 'Ada', hs_object_id: ada.id } });
    expect(ada.properties.createdate).toBe(ada.createdAt);
    expect(ada.properties.lastmodifieddate).toBe(ada.updatedAt);
  });

  it('refuses more than 100 inputs in any batch call', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { dealname: `d${i}` } }));
    for (const [op, body] of [
      ['create', { inputs }],
      ['update', { inputs: inputs.map((i, n) => ({ id: String(n), ...i })) }],
      ['upsert', { inputs: inputs.map((i, n) => ({ id: String(n), idProperty: 'external_id', ...i })) }],
      ['read', { inputs: inputs.map((_, n) => ({ id: String(n) })) }],
      ['archive', { inputs: inputs.map((_, n) => ({ id: String(n) })) }],
    ] as const) {
      const res = await hs.api('POST', `/crm/v3/objects/deals/batch/${op}`, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(res.body.message).toContain('100');
    }
    expect((await hs.admin('GET', 'state')).body.objects.deals).toEqual([]);
    const hundred = await hs.api('POST', '/crm/v3/objects/deals/batch/create', { inputs: inputs.slice(0, 100) });
    expect(hundred.status).toBe(201);
  });

  it('rejects the whole batch on a validation error, naming the property', async () => {
    const res = await hs.api('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { email: 'fine@example.com' } }, { properties: { email: 'not-an-email' } }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(res.body.message).toMatch(/^Property values were not valid: /);
    expect(res.body.errors).toEqual([{ message: 'Email address not-an-email is invalid', code: 'INVALID_EMAIL', context: { propertyName: ['email'] } }]);
    expect((await hs.admin('GET', 'state')).body.objects.contacts).toEqual([]);

    const others = await hs.api('POST', '/crm/v3/objects/deals/batch/create', {
      inputs: [{ properties: { amount: 'lots', dealstage: 'won-ish', colour: 'red', hs_object_id: '5' } }],
    });
    expect(others.status).toBe(400);
    expect(others.body.errors.map((e: any) => [e.code, e.context.propertyName[0]])).toEqual([
      ['INVALID_DECIMAL', 'amount'],
      ['INVALID_OPTION', 'dealstage'],
      ['PROPERTY_DOESNT_EXIST', 'colour'],
      ['READ_ONLY_VALUE', 'hs_object_id'],
    ]);
  });

  it('refuses a second contact with the same email (409 CONFLICT)', async () => {
    const first = await hs.api('POST', '/crm/v3/objects/contacts', { properties: { email: 'dup@example.com' } });
    expect(first.status).toBe(201);
    const second = await hs.api('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { email: 'DUP@example.com' } }] });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first.body.id}` });
  });

  it('batch/read by id or idProperty, with 207 for missing ids, and archived=true for archived records', async () => {
    const seeded = await hs.admin('POST', 'seed', { objects: { contacts: [{ email: 'a@example.com', firstname: 'A' }, { email: 'b@example.com', firstname: 'B' }] } });
    const [a, b] = seeded.body.objects.contacts.map((c: any) => c.id);
    const byId = await hs.api('POST', '/crm/v3/objects/contacts/batch/read', { properties: ['firstname'], inputs: [{ id: a }, { id: '999999' }] });
    expect(byId.status).toBe(207);
    expect(byId.body.results.map((r: any) => r.properties.firstname)).toEqual(['A']);
    expect(byId.body.numErrors).toBe(1);
    expect(byId.body.errors[0]).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } });

    const byEmail = await hs.api('POST', '/crm/v3/objects/contacts/batch/read', { idProperty: 'email', properties: ['firstname'], inputs: [{ id: 'B@example.com' }] });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.results[0].id).toBe(b);

    expect((await hs.api('POST', '/crm/v3/objects/contacts/batch/read', { idProperty: 'firstname', inputs: [{ id: 'A' }] })).status).toBe(400);

    expect((await hs.api('POST', '/crm/v3/objects/contacts/batch/archive', { inputs: [{ id: a }] })).status).toBe(204);
    const live = await hs.api('POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: a }] });
    expect(live.status).toBe(207);
    const archived = await hs.api('POST', '/crm/v3/objects/contacts/batch/read', { archived: true, inputs: [{ id: a }] });
    expect(archived.status).toBe(200);
    expect(archived.body.results[0]).toMatchObject({ id: a, archived: true });
    expect(typeof archived.body.results[0].archivedAt).toBe('string');
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${a}`)).status).toBe(404);
    expect((await hs.api('GET', `/crm/v3/objects/contacts/${a}?archived=true`)).body.archived).toBe(true);
    const state = (await hs.admin('GET', 'state')).body.objects.contacts;
    expect(state.find((c: any) => c.id === a).archived).toBe(true);
  });

  it('batch/update by id and idProperty; unknown ids answer 207 and the rest is applied', async () => {
    const seeded = await hs.admin('POST', 'seed', { objects: { companies: [{ name: 'Acme', domain: 'acme.com' }, { name: 'Globex', domain: 'globex.com' }] } });
    const [acme] = seeded.body.objects.companies.map((c: any) => c.id);
    const res = await hs.api('POST', '/crm/v3/objects/companies/batch/update', {
      inputs: [
        { id: acme, properties: { city: 'Paris' } },
        { id: 'globex.com', idProperty: 'domain', properties: { numberofemployees: 12 } },
        { id: '424242', properties: { city: 'Nowhere' } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.results.map((r: any) => r.properties)).toEqual([
      expect.objectContaining({ city: 'Paris' }),
      expect.objectContaining({ numberofemployees: '12' }),
    ]);
    expect(res.body.errors[0].context.ids).toEqual(['424242']);
    const dup = await hs.api('POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id: acme, properties: {} }, { id: acme, properties: {} }] });
    expect(dup.status).toBe(400);
  });

  it('batch/upsert creates or updates by a unique idProperty and says which is new', async () => {
    const seeded = await hs.admin('POST', 'seed', { objects: { contacts: [{ email: 'known@example.com', firstname: 'Old' }] } });
    const known = seeded.body.objects.contacts[0].id;
    const res = await hs.api('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'known@example.com', idProperty: 'email', properties: { firstname: 'New' } },
        { id: 'fresh@example.com', idProperty: 'email', properties: { firstname: 'Fresh' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => [r.id === known, r.new, r.properties.firstname, r.properties.email])).toEqual([
      [true, false, 'New', 'known@example.com'],
      [false, true, 'Fresh', 'fresh@example.com'],
    ]);
    const deals = await hs.api('POST', '/crm/v3/objects/deals/batch/upsert', { inputs: [{ id: 'ext-1', idProperty: 'external_id', properties: { dealname: 'X' } }] });
    expect(deals.body.results[0]).toMatchObject({ new: true, properties: { external_id: 'ext-1', dealname: 'X' } });
    const again = await hs.api('POST', '/crm/v3/objects/deals/batch/upsert', { inputs: [{ id: 'ext-1', idProperty: 'external_id', properties: { amount: '5' } }] });
    expect(again.body.results[0]).toMatchObject({ id: deals.body.results[0].id, new: false });
    expect((await hs.api('POST', '/crm/v3/objects/deals/batch/upsert', { inputs: [{ id: 'X', idProperty: 'dealname', properties: {} }] })).status).toBe(400);
  });

  it('lists with limit/after paging, properties and archived', async () => {
    await hs.admin('POST', 'seed', { objects: { deals: Array.from({ length: 25 }, (_, i) => ({ dealname: `deal ${i}`, amount: i })) } });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await hs.api('GET', `/crm/v3/objects/deals?limit=10&properties=dealname${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.results.map((r: any) => r.properties.dealname));
      after = res.body.paging?.next?.after;
      if (after) expect(res.body.paging.next.link).toContain(`after=${after}`);
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `deal ${i}`));
    const archivedOnly = await hs.api('GET', '/crm/v3/objects/deals?archived=true');
    expect(archivedOnly.body.results).toEqual([]);
  });

  it('answers HubSpot\'s 404 body for a missing record and 400 for an unknown object type', async () => {
    const missing = await hs.api('GET', '/crm/v3/objects/contacts/12345');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    const unknown = await hs.api('GET', '/crm/v3/objects/spaceships');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('spaceships');
  });
});

describe('HubSpot sandbox: search', () => {
  let hs: HubspotHarness;
  beforeEach(async () => {
    hs = await startHubspot();
  });
  afterEach(async () => {
    await hs.stop();
  });

  it('filters (AND within a group, OR across groups), sorts and pages, and leaves archived records out', async () => {
    const seeded = await hs.admin('POST', 'seed', {
      objects: {
        deals: [
          { dealname: 'small', amount: 10, dealstage: 'closedwon', hs_lastmodifieddate: '2030-01-01T00:00:00Z' },
          { dealname: 'medium', amount: 500, dealstage: 'closedwon', hs_lastmodifieddate: '2030-01-02T00:00:00Z' },
          { dealname: 'large', amount: 9000, dealstage: 'closedlost', hs_lastmodifieddate: '2030-01-03T00:00:00Z' },
          { dealname: 'gone', amount: 700, dealstage: 'closedwon', archived: true },
          { dealname: 'no amount', dealstage: 'qualifiedtobuy', hs_lastmodifieddate: '2030-01-04T00:00:00Z' },
        ],
      },
    });
    expect(seeded.status).toBe(200);
    const names = (res: any): string[] => res.body.results.map((r: any) => r.properties.dealname);

    const won = await hs.api('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'closedwon' }, { propertyName: 'amount', operator: 'GTE', value: '100' }] }],
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
      properties: ['dealname'],
    });
    expect(won.body.total).toBe(1);
    expect(names(won)).toEqual(['medium']);

    const either = await hs.api('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'LT', value: 100 }] }, { filters: [{ propertyName: 'dealstage', operator: 'EQ', value: 'closedlost' }] }],
      sorts: [{ propertyName: 'amount', direction: 'ASCENDING' }],
      properties: ['dealname'],
    });
    expect(names(either)).toEqual(['small', 'large']);

    const window = await hs.api('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GT', value: String(Date.parse('2030-01-01T00:00:00Z')) }, { propertyName: 'hs_lastmodifieddate', operator: 'LTE', value: '2030-01-03T00:00:00Z' }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['dealname'],
      limit: 1,
    });
    expect(window.body.total).toBe(2);
    expect(names(window)).toEqual(['medium']);
    expect(window.body.paging.next.after).toBe('1');
    const next = await hs.api('POST', '/crm/v3/objects/deals/search', {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GT', value: String(Date.parse('2030-01-01T00:00:00Z')) }, { propertyName: 'hs_lastmodifieddate', operator: 'LTE', value: '2030-01-03T00:00:00Z' }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['dealname'],
      limit: 1,
      after: '1',
    });
    expect(names(next)).toEqual(['large']);
    expect(next.body.paging).toBeUndefined();

    const missing = await hs.api('POST', '/crm/v3/objects/deals/search', { filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'NOT_HAS_PROPERTY' }] }], properties: ['dealname'] });
    expect(names(missing)).toEqual(['no amount']);
    const among = await hs.api('POST', '/crm/v3/objects/deals/search', { filterGroups: [{ filters: [{ propertyName: 'dealname', operator: 'IN', values: ['small', 'gone'] }] }], properties: ['dealname'] });
    expect(names(among)).toEqual(['small']);
  });

  it('refuses a limit above 200, too many filter groups and unknown properties', async () => {
    expect((await hs.api('POST', '/crm/v3/objects/contacts/search', { limit: 201 })).status).toBe(400);
    expect((await hs.api('POST', '/crm/v3/objects/contacts/search', { limit: 200 })).status).toBe(200);
    const groups = Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] }));
    expect((await hs.api('POST', '/crm/v3/objects/contacts/search', { filterGroups: groups })).status).toBe(400);
    const unknown = await hs.api('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'shoe_size', operator: 'EQ', value: '9' }] }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].context.propertyName).toEqual(['shoe_size']);
  });

  it('caps a query at 10,000 results: paging beyond answers 400', async () => {
    const contacts = Array.from({ length: 10_050 }, (_, i) => ({ email: `c${i}@example.com` }));
    expect((await hs.admin('POST', 'seed', { objects: { contacts } })).status).toBe(200);
    const near = await hs.api('POST', '/crm/v3/objects/contacts/search', { limit: 200, after: '9800' });
    expect(near.status).toBe(200);
    expect(near.body.total).toBe(10_050);
    expect(near.body.results).toHaveLength(200);
    expect(near.body.paging.next.after).toBe('10000');
    const beyond = await hs.api('POST', '/crm/v3/objects/contacts/search', { limit: 200, after: near.body.paging.next.after });
    expect(beyond.status).toBe(400);
    expect(beyond.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(beyond.body.message).toContain('10000');
  });
});
