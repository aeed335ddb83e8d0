import { basic, startZendesk, type ZendeskHarness } from './zendesk-client';

// The Zendesk Support sandbox over real HTTP: `{email}/token` Basic auth, background jobs
// (create_many / update_many / destroy_many) with per-item results, soft-deleted tickets and their
// 30-day restore, cursor incremental exports (the last minute left out, deleted tickets as
// "deleted", their own 10-a-minute limit) and RecordInvalid bodies naming fields.

jest.setTimeout(60_000);

const ticket = (subject: string, extra: Record<string, unknown> = {}) => ({ subject, comment: { body: `about ${subject}` }, ...extra });

describe('Zendesk sandbox (Support REST API v2)', () => {
  let z: ZendeskHarness;
  afterEach(async () => { await z.stop(); });

  describe('with default options', () => {
    beforeEach(async () => { z = await startZendesk(); });

    it('authenticates `{email}/token` with the API token, and nothing else', async () => {
      expect((await z.call('GET', '/api/v2/users/me.json')).status).toBe(200);
      for (const auth of [basic(z.email, z.apiToken), basic(`${z.email}/token`, 'wrong'), null]) {
        const res = await z.call('GET', '/api/v2/users/me.json', undefined, auth);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: "Couldn't authenticate you" });
      }
    });

    it('runs create_many as a job: queued, working, then completed with a result per item by index', async () => {
      const queued = await z.call('POST', '/api/v2/tickets/create_many.json', { tickets: [ticket('ok'), ticket('bad', { priority: 'urgentest' }), { subject: 'no comment' }] });
      expect(queued.status).toBe(200);
      expect(queued.body.job_status).toMatchObject({ status: 'queued', total: 3, progress: null, results: null, url: expect.stringMatching(/\/api\/v2\/job_statuses\/[0-9a-f]{32}\.json$/) });
      expect((await z.admin('GET', 'state')).body.objects.tickets).toEqual([]); // nothing written before the job runs
      const id = queued.body.job_status.id;
      expect((await z.call('GET', `/api/v2/job_statuses/${id}`)).body.job_status.status).toBe('working');
      const done = (await z.call('GET', `/api/v2/job_statuses/${id}.json`)).body.job_status;
      expect(done).toMatchObject({ status: 'completed', progress: 3 });
      expect(done.results).toEqual([
        { index: 0, id: expect.any(Number), action: 'create', success: true, status: 'Created' },
        { index: 1, action: 'create', success: false, status: 'Failed', error: 'TicketCreateFailed', details: 'Priority: is not valid' },
        { index: 2, action: 'create', success: false, status: 'Failed', error: 'TicketCreateFailed', details: 'Description: cannot be blank' },
      ]);
      const created = await z.call('GET', `/api/v2/tickets/${done.results[0].id}.json`);
      expect(created.body.ticket).toMatchObject({ subject: 'ok', description: 'about ok', status: 'new', updated_at: expect.stringMatching(/:\d{2}Z$/) });
      const tooMany = await z.call('POST', '/api/v2/tickets/create_many', { tickets: Array.from({ length: 101 }, (_, i) => ticket(`t${i}`)) });
      expect(tooMany.status).toBe(400);
    });

    it('refuses updates to closed tickets item by item, and soft-deletes with a 30-day restore', async () => {
      const job = (await z.call('POST', '/api/v2/tickets/create_many', { tickets: [ticket('a'), ticket('b', { status: 'closed' })] })).body.job_status;
      const [a, b] = (await z.finish(job.id)).results.map((r: any) => r.id);
      const update = (await z.call('PUT', '/api/v2/tickets/update_many.json', { tickets: [{ id: a, priority: 'high' }, { id: b, subject: 'x' }] })).body.job_status;
      expect((await z.finish(update.id)).results).toEqual([
        { index: 0, id: a, action: 'update', success: true, status: 'Updated' },
        { index: 1, id: b, action: 'update', success: false, status: 'Failed', error: 'TicketUpdateFailed', details: 'Status: closed prevents ticket update' },
      ]);
      const destroy = (await z.call('DELETE', `/api/v2/tickets/destroy_many.json?ids=${a}`)).body.job_status;
      expect((await z.finish(destroy.id)).results).toEqual([{ index: 0, id: a, action: 'destroy', success: true, status: 'Deleted' }]);
      expect((await z.call('GET', `/api/v2/tickets/${a}`)).body).toEqual({ error: 'RecordNotFound', description: 'Not found' });
      expect((await z.call('GET', `/api/v2/tickets/show_many?ids=${a},${b}`)).body.tickets.map((t: any) => t.id)).toEqual([b]);
      expect((await z.call('GET', '/api/v2/deleted_tickets.json')).body.deleted_tickets).toEqual([expect.objectContaining({ id: a, previous_state: 'new' })]);
      expect((await z.call('PUT', `/api/v2/deleted_tickets/${a}/restore`)).status).toBe(200);
      expect((await z.call('GET', `/api/v2/tickets/${a}`)).body.ticket).toMatchObject({ id: a, priority: 'high' });

      expect((await z.call('DELETE', `/api/v2/tickets/${a}`)).status).toBe(204);
      await z.admin('POST', 'clock', { advanceMs: 31 * 86_400_000 });
      expect((await z.call('PUT', `/api/v2/deleted_tickets/${a}/restore`)).status).toBe(404);
    });

    it('exports tickets incrementally by cursor, leaving out the last minute and showing deletes', async () => {
      await z.admin('POST', 'clock', { at: '2025-03-01T10:00:00.000Z', frozen: true });
      const job = (await z.call('POST', '/api/v2/tickets/create_many', { tickets: [ticket('one'), ticket('two'), ticket('three')] })).body.job_status;
      const [one] = (await z.finish(job.id)).results.map((r: any) => r.id);
      const start = Date.parse('2025-03-01T09:00:00Z') / 1000;
      const tooRecent = await z.call('GET', `/api/v2/incremental/tickets/cursor.json?start_time=${Math.floor(Date.parse('2025-03-01T09:59:30Z') / 1000)}`);
      expect(tooRecent.body).toEqual({ error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 1 minute' });
      const young = await z.call('GET', `/api/v2/incremental/tickets/cursor.json?start_time=${start}`);
      expect(young.body).toMatchObject({ tickets: [], end_of_stream: true, after_cursor: expect.any(String) });
      await z.admin('POST', 'clock', { advanceMs: 61_000 });
      const page1 = await z.call('GET', `/api/v2/incremental/tickets/cursor.json?start_time=${start}&per_page=2`);
      expect(page1.body.tickets.map((t: any) => t.subject)).toEqual(['one', 'two']);
      expect(page1.body.end_of_stream).toBe(false);
      expect(page1.body.after_url).toBe(`${z.url}/api/v2/incremental/tickets/cursor.json?cursor=${page1.body.after_cursor}`);
      const page2 = await z.call('GET', `/api/v2/incremental/tickets/cursor.json?cursor=${page1.body.after_cursor}&per_page=2`);
      expect(page2.body).toMatchObject({ tickets: [expect.objectContaining({ subject: 'three' })], end_of_stream: true });
      await z.call('DELETE', `/api/v2/tickets/${one}`);
      await z.admin('POST', 'clock', { advanceMs: 61_000 });
      const page3 = await z.call('GET', `/api/v2/incremental/tickets/cursor.json?cursor=${page2.body.after_cursor}`);
      expect(page3.body.tickets).toEqual([expect.objectContaining({ id: one, status: 'deleted' })]);
      const without = await z.call('GET', `/api/v2/incremental/tickets/cursor.json?cursor=${page2.body.after_cursor}&exclude_deleted=true`);
      expect(without.body.tickets).toEqual([]);
    });

    it('names fields in RecordInvalid bodies, and frees a deleted user email for reuse', async () => {
      const bad = await z.call('POST', '/api/v2/users.json', { user: { name: '', email: 'not-an-email' } });
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({
        error: 'RecordInvalid', description: 'Record validation errors',
        details: {
          name: [{ description: 'Name: is too short (minimum one character)', error: 'TooShort' }],
          email: [{ description: 'Email: not-an-email is not properly formatted', error: 'InvalidFormat' }],
        },
      });
      const ada = (await z.call('POST', '/api/v2/users', { user: { name: 'Ada', email: 'Ada@Example.com', external_id: 'u-1' } })).body.user;
      expect(ada).toMatchObject({ email: 'ada@example.com', active: true, role: 'end-user' });
      const dup = await z.call('POST', '/api/v2/users', { user: { name: 'Other', email: 'ada@example.com' } });
      expect(dup.body.details.email[0].description).toBe('Email: ada@example.com is already being used by another user');
      expect((await z.call('GET', '/api/v2/users/show_many?external_ids=u-1')).body.users.map((u: any) => u.id)).toEqual([ada.id]);
      expect((await z.call('GET', '/api/v2/users/search.json?query=email:ada@example.com')).body.users.map((u: any) => u.id)).toEqual([ada.id]);
      expect((await z.call('DELETE', `/api/v2/users/${ada.id}.json`)).body.user).toMatchObject({ active: false, email: null });
      expect((await z.call('GET', `/api/v2/users/${ada.id}`)).body.user.active).toBe(false);
      expect((await z.call('POST', '/api/v2/users', { user: { name: 'Ada again', email: 'ada@example.com' } })).status).toBe(201);
    });

    it('answers an injected 429 in plain text with Retry-After', async () => {
      await z.admin('POST', 'faults', { faults: [{ path: '/api/v2/tickets/create_many', status: 429, retryAfter: 4, times: 1 }] });
      const res = await z.call('POST', '/api/v2/tickets/create_many', { tickets: [ticket('x')] });
      expect([res.status, res.headers.get('retry-after'), res.body]).toEqual([429, '4', 'Number of allowed API requests per minute exceeded']);
    });
  });

  it('limits incremental exports to 10 requests a minute when asked to', async () => {
    z = await startZendesk({ incrementalExportLimit: true });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 11; i++) {
      const res = await z.call('GET', '/api/v2/incremental/users/cursor.json?start_time=0');
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await z.call('GET', '/api/v2/tickets/show_many?ids=1')).status).toBe(200); // the account-wide limit is separate
  });
});
