import type { temporal } from '@temporalio/proto';
import { workflowIds } from '../../src/platform/temporal';
import { captureStatusQuery } from '../../src/platform/workflow-api';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// A poll reads and commits pages one after another while the source has more (activities/capture.ts).
// A page refused after others were committed must end the poll with what it committed, not fail
// it: the workflow counts those pages, and the activity's retries are not spent on polls that
// progressed (a paced source — Slack's one read a minute — is refused on every second page).

const TICKETS = 6_500; // 7 export pages of at most 1,000
const EXPORT = '/api/v2/incremental/tickets/cursor.json';

describe('a capture poll refused after some pages', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('zendesk'); });
  afterAll(async () => { await h?.stop(); });

  it('keeps and counts the pages it committed, and reports no error while every poll progresses', async () => {
    const tickets = Array.from({ length: TICKETS }, (_, i) => ({ subject: `t${i}`, updated_at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() }));
    await h.admin('POST', 'seed', { objects: { tickets } });
    // Every second export request refused (503): each poll gets one page, then a refusal.
    const faults = [1, 3, 5, 7, 9, 11].map((after) => ({ method: 'GET', path: EXPORT, status: 503, after, times: 1 }));
    expect((await h.admin('POST', 'faults', { faults })).status).toBeLessThan(300);

    const created = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'tickets', intervalSeconds: 1 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    try {
      const deadline = Date.now() + 120_000;
      while ((await h.api('GET', `/v1/captures/${id}`)).body.eventsCaptured < TICKETS) {
        if (Date.now() > deadline) throw new Error('the capture did not take every ticket');
        await new Promise((r) => setTimeout(r, 200));
      }
      const handle = h.temporal.workflow.getHandle(workflowIds.capture(h.tenantId, id));
      const state = await handle.query(captureStatusQuery);
      expect({ eventsCaptured: state.eventsCaptured, lastError: state.lastError }).toEqual({ eventsCaptured: TICKETS, lastError: null });
      const events: temporal.api.history.v1.IHistoryEvent[] = (await handle.fetchHistory()).events ?? [];
      const scheduled = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
      expect(scheduled.filter((name) => name === 'recordCaptureError')).toEqual([]);
      expect(events.filter((e) => e.activityTaskFailedEventAttributes)).toEqual([]);
      const refused = ((await h.admin('GET', 'requests')).body.requests as Array<{ path: string; status: number }>)
        .filter((r) => r.path === EXPORT && r.status === 503);
      expect(refused).toHaveLength(6); // the faults were met, not avoided
    } finally {
      await h.api('DELETE', `/v1/captures/${id}`);
    }
  }, 180_000);
});
