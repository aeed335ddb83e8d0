import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { connectionLabel, listConnections, useCatalog } from '../catalog';
import { draftOf, rememberReview, reviewOf } from '../drafts';
import { allRecords, download, recordsCsv, recordsPage, startLoad } from '../load-api';
import { navigate } from '../router';
import type { Load, LoadRecord, Settings } from '../types';
import { Badge, duration, Empty, ErrorNote, Loading, show, useConfirm, useNow, useResource, when } from '../ui';

const ACTIVE = ['pending', 'running', 'cancelling', 'rolling_back'];

function processedOf(load: Load): number {
  const c = load.counts;
  if (load.dryRun) {
    const p = load.plan ?? { create: 0, update: 0, delete: 0, unchanged: 0 };
    return p.create + p.update + p.delete + p.unchanged + c.failed;
  }
  return c.created + c.updated + c.deleted + c.unchanged + c.failed + c.rolledBack + c.rollbackFailed;
}

function inWindow(load: Load, now: number): boolean {
  return !load.dryRun && load.status === 'completed' && load.rollbackUntil !== null && new Date(load.rollbackUntil).getTime() > now;
}

export function LoadPage({ id, settings }: { id: string; settings: Settings }) {
  const load = useResource(() => api<Load>('GET', `/v1/loads/${encodeURIComponent(id)}`), [id],
    (l) => (!l || ACTIVE.includes(l.status) ? 1000 : l.status === 'completed' && !l.dryRun ? 5000 : undefined));
  const connections = useResource(listConnections, []);
  const { connectors } = useCatalog();
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { confirm, dialog } = useConfirm();
  // Ticks every second; a render that fresh data caused counts from now, not from the last tick
  // (else a load that just completed would show more than its whole rollback window left).
  const now = Math.max(useNow(), Date.now());

  if (load.loading && !load.data) return <><h1>Load {id}</h1><Loading what="the load" /></>;
  if (!load.data) return <><h1>Load {id}</h1><ErrorNote error={load.error ?? new Error('No such load.')} retry={load.reload} /></>;
  const l = load.data;
  const spec = connectors?.find((c) => c.id === l.connector)?.objects.find((o) => o.name === l.object);
  const draft = l.dryRun ? draftOf(l.id) : undefined;
  const reviewedIn = reviewOf(l.id);
  const temporalUrl = settings.temporal.loadWorkflowUrl?.replace('{loadId}', encodeURIComponent(l.id)) ?? null;
  const windowOpen = inWindow(l, now);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
      await load.reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };

  const runForReal = () => act(async () => {
    if (!draft) return;
    const total = l.counts.total;
    const ok = await confirm('Run this load?', <p>{total} record{total === 1 ? '' : 's'} will be written to <strong>{connectionLabel(connections.data, l.connectionId)}</strong> ({l.operation} {l.object} by {l.naturalKey}). You can roll it back while its rollback window is open.</p>, 'Run load');
    if (!ok) return;
    const realId = await startLoad(draft, false);
    rememberReview(realId, l.id);
    navigate(`/loads/${encodeURIComponent(realId)}`);
  });
  const cancel = () => act(async () => {
    if (!(await confirm('Cancel this load?', <p>Writing stops and what it already changed is rolled back.</p>, 'Cancel load'))) return;
    await api('POST', `/v1/loads/${encodeURIComponent(l.id)}/cancel`);
  });
  const rollback = () => act(async () => {
    if (!(await confirm('Roll back this load?', <p>Every record it created is deleted and every record it changed gets its before-image back, each confirmed by a read.</p>, 'Roll back'))) return;
    await api('POST', `/v1/loads/${encodeURIComponent(l.id)}/rollback`);
  });

  return (
    <>
      <div className="title-row">
        <h1>Load <code>{l.id}</code></h1>
        <div className="badges">{l.dryRun ? <Badge value="dry run" kind="dry" /> : null}<Badge value={l.status} /></div>
      </div>
      <p className="target">
        <strong>{l.operation}</strong> {l.object} by <code>{l.naturalKey}</code> on <a href="#/connections">{connectionLabel(connections.data, l.connectionId)}</a>
        {' · '}started {when(l.startedAt ?? l.createdAt)}{l.finishedAt ? <> · finished {when(l.finishedAt)}</> : null}
        {reviewedIn ? <> · reviewed in dry run <a href={`#/loads/${encodeURIComponent(reviewedIn)}`}>{reviewedIn}</a></> : null}
      </p>
      {temporalUrl ? <p><a href={temporalUrl} target="_blank" rel="noopener noreferrer">Open this run in the Temporal Web UI</a></p> : null}
      {load.error ? <ErrorNote error={load.error} retry={load.reload} /> : null}
      {l.error ? <div className="error" role="alert">The load {l.status === 'failed' ? 'failed' : 'reported'}: {typeof l.error === 'string' ? l.error : show((l.error as { message?: string }).message ?? l.error)}</div> : null}

      <Progress load={l} batchSize={spec?.batchSize} now={now} />

      <section aria-labelledby="load-actions" className="card">
        <h2 id="load-actions">What you can do</h2>
        {actionError ? <ErrorNote error={actionError} /> : null}
        <div className="actions">
          {l.dryRun && l.status === 'completed' && draft ? <button type="button" className="primary" disabled={busy} onClick={() => void runForReal()}>Run this load</button> : null}
          {l.dryRun && l.status === 'completed' && !draft ? <p className="hint">This dry run's records are not in this tab any more: start a <a href="#/loads/new">new load</a> with the same file to run it.</p> : null}
          {['pending', 'running'].includes(l.status) ? <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>Cancel load</button> : null}
          {windowOpen ? (
            <>
              <button type="button" className="danger" disabled={busy} onClick={() => void rollback()}>Roll back</button>
              <span role="timer" aria-live="off" className="countdown">Rollback window closes in {duration((new Date(l.rollbackUntil!).getTime() - now) / 1000)}</span>
            </>
          ) : null}
          {!l.dryRun && l.status === 'completed' && !windowOpen && l.rollbackUntil ? <p className="hint">The rollback window closed at {when(l.rollbackUntil)}.</p> : null}
          {l.status === 'rolled_back' ? <p className="ok">Rolled back: every record it changed is back to its before-state.</p> : null}
          {!ACTIVE.includes(l.status) && !windowOpen && !(l.dryRun && l.status === 'completed') && l.status !== 'rolled_back' && !(l.status === 'completed' && l.rollbackUntil) ? <p className="hint">Nothing to do: the load is {l.status.replace('_', ' ')}.</p> : null}
        </div>
      </section>

      {['rolled_back', 'cancelled'].includes(l.status) && l.counts.rolledBack > 0 ? <BeforeState load={l} /> : null}
      <Records load={l} />
      {dialog}
    </>
  );
}

function Progress({ load, batchSize, now }: { load: Load; batchSize?: number; now: number }) {
  const total = load.counts.total;
  const finished = ['completed', 'failed', 'cancelled', 'rolled_back'].includes(load.status);
  const processed = finished ? Math.max(processedOf(load), load.status === 'completed' ? total : 0) : processedOf(load);
  const done = Math.min(total, processed);
  const pct = total > 0 ? Math.floor((done / total) * 100) : finished ? 100 : 0;
  const started = load.startedAt ? new Date(load.startedAt).getTime() : null;
  const end = load.finishedAt ? new Date(load.finishedAt).getTime() : now;
  const elapsed = started ? Math.max(0.001, (end - started) / 1000) : null;
  const rate = elapsed && done > 0 ? done / elapsed : null;
  const eta = rate && !finished && done < total ? (total - done) / rate : null;
  const chunks = batchSize ? { total: Math.ceil(total / batchSize), done: Math.min(Math.ceil(total / batchSize), Math.floor(done / batchSize) + (done === total && total > 0 && done % batchSize !== 0 ? 1 : 0)) } : null;
  const c = load.counts;
  return (
    <section aria-labelledby="load-progress" className="card">
      <h2 id="load-progress">{load.dryRun ? 'Dry run progress' : 'Progress'}</h2>
      <progress id="load-progress-bar" max={100} value={pct} aria-label={`${load.dryRun ? 'Dry run' : 'Load'} progress`} aria-valuetext={`${pct}%`} />
      <p className="progress-text" data-testid="progress-text">
        <strong>{pct}%</strong> · {done} of {total} records
        {chunks ? <> · chunk {chunks.done} of {chunks.total}</> : null}
        {rate ? <> · {rate >= 10 ? Math.round(rate) : rate.toFixed(1)} records/s</> : null}
        {eta !== null ? <> · about {duration(eta)} left</> : null}
        {load.phase ? <> · phase {load.phase.replace(/_/g, ' ')}</> : null}
      </p>
      {load.dryRun ? (
        <dl className="counts">
          <div><dt>Would create</dt><dd>{load.plan?.create ?? 0}</dd></div>
          <div><dt>Would update</dt><dd>{load.plan?.update ?? 0}</dd></div>
          <div><dt>Would delete</dt><dd>{load.plan?.delete ?? 0}</dd></div>
          <div><dt>Unchanged</dt><dd>{load.plan?.unchanged ?? 0}</dd></div>
          <div><dt>Would fail</dt><dd>{c.failed}</dd></div>
        </dl>
      ) : (
        <dl className="counts">
          <div><dt>Created</dt><dd>{c.created}</dd></div>
          <div><dt>Updated</dt><dd>{c.updated}</dd></div>
          <div><dt>Deleted</dt><dd>{c.deleted}</dd></div>
          <div><dt>Unchanged</dt><dd>{c.unchanged}</dd></div>
          <div><dt>Failed</dt><dd>{c.failed}</dd></div>
          <div><dt>Verified</dt><dd>{c.verified}</dd></div>
          <div><dt>Rolled back</dt><dd>{c.rolledBack}</dd></div>
          {c.rollbackFailed ? <div><dt>Rollback failed</dt><dd>{c.rollbackFailed}</dd></div> : null}
        </dl>
      )}
    </section>
  );
}

const OUTCOMES = [
  ['', 'All'], ['created', 'Created'], ['updated', 'Updated'], ['deleted', 'Deleted'], ['unchanged', 'Unchanged'],
  ['failed', 'Failed'], ['rolled_back', 'Rolled back'], ['rollback_failed', 'Rollback failed'],
] as const;

function Records({ load }: { load: Load }) {
  const [status, setStatus] = useState('');
  const [records, setRecords] = useState<LoadRecord[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const version = `${load.status}:${processedOf(load)}:${load.counts.rolledBack}`;
  const lastVersion = useRef('');

  useEffect(() => {
    let live = true;
    const refresh = lastVersion.current !== version;
    lastVersion.current = version;
    if (!refresh && records) return;
    recordsPage(load.id, { status: status || undefined, limit: 50 }).then(
      (page) => { if (live) { setRecords(page.records); setNext(page.next); setError(null); } },
      (err) => live && setError(err));
    return () => { live = false; };
  }, [load.id, status, version]);

  const more = async () => {
    try {
      const page = await recordsPage(load.id, { status: status || undefined, after: next, limit: 50 });
      setRecords((r) => [...(r ?? []), ...page.records]);
      setNext(page.next);
    } catch (err) {
      setError(err);
    }
  };
  const exportCsv = async () => {
    setExporting(true);
    try {
      download(`${load.id}${status ? `-${status}` : ''}.csv`, recordsCsv(await allRecords(load.id, status || undefined)));
    } catch (err) {
      setError(err);
    } finally {
      setExporting(false);
    }
  };

  const tabs = load.dryRun ? OUTCOMES.slice(0, 1) : OUTCOMES;
  return (
    <section aria-labelledby="load-records">
      <div className="title-row">
        <h2 id="load-records">{load.dryRun ? 'What would change, record by record' : 'Records by outcome'}</h2>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>{exporting ? 'Exporting…' : 'Export CSV'}</button>
      </div>
      <div className="tabs" role="tablist" aria-label="Filter records by outcome">
        {tabs.map(([value, label]) => (
          <button key={value} type="button" role="tab" aria-selected={status === value} onClick={() => { setRecords(null); setStatus(value); }}>{label}</button>
        ))}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {!records && !error ? <Loading what="records" /> : null}
      {records && records.length === 0 ? <Empty>No records {status ? `with the outcome "${status.replace('_', ' ')}"` : 'yet'}.</Empty> : null}
      {records && records.length > 0 ? (
        <div className="table-wrap">
          <table className="records">
            <thead><tr><th scope="col">#</th><th scope="col">Key</th><th scope="col">{load.dryRun ? 'Would' : 'Outcome'}</th><th scope="col">Details</th></tr></thead>
            <tbody>
              {records.map((r) => <RecordRow key={r.index} record={r} dryRun={load.dryRun} />)}
            </tbody>
          </table>
        </div>
      ) : null}
      {next ? <button type="button" onClick={() => void more()}>Show more records</button> : null}
    </section>
  );
}

function RecordRow({ record: r, dryRun }: { record: LoadRecord; dryRun: boolean }) {
  const outcome = dryRun && r.plan ? r.plan.action : r.status;
  const diff = r.plan?.diff ? Object.entries(r.plan.diff) : [];
  return (
    <tr data-record-key={r.key}>
      <td className="num">{r.index + 1}</td>
      <th scope="row"><code>{r.key}</code>{r.id ? <small className="sys-id"> id {r.id}</small> : null}</th>
      <td><Badge value={outcome} /></td>
      <td>
        {r.errors?.length ? (
          <ul className="field-errors">
            {r.errors.map((e, i) => <li key={i}><code className="field-name">{e.field}</code>: {e.message}</li>)}
          </ul>
        ) : null}
        {r.plan?.reason ? <p className="reason">{r.plan.reason}</p> : null}
        {diff.length > 0 ? (
          <table className="diff" aria-label={`Changes to ${r.key}`}>
            <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
            <tbody>
              {diff.map(([field, change]) => (
                <tr key={field}><th scope="row"><code>{field}</code></th><td className="before">{show(change.from)}</td><td className="after">{show(change.to)}</td></tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {r.rollbackNote ? <p className="hint">{r.rollbackNote}</p> : null}
      </td>
    </tr>
  );
}

/**
 * After a rollback (asked for, or after a cancel): what the records are back to, from the snapshots
 * the load took before writing each one.
 */
function BeforeState({ load }: { load: Load }) {
  const restored = useResource(() => allRecords(load.id, 'rolled_back'), [load.id, load.counts.rolledBack]);
  return (
    <section aria-labelledby="before-state" className="card">
      <h2 id="before-state">Before-state restored</h2>
      {restored.loading ? <Loading what="the before-state" /> : null}
      {restored.error ? <ErrorNote error={restored.error} /> : null}
      {restored.data ? (() => {
        const created = restored.data.filter((r) => r.before && !r.before.existed).length;
        const changed = restored.data.filter((r) => r.before?.existed);
        return (
          <>
            <p>{created} record{created === 1 ? '' : 's'} it created {created === 1 ? 'was' : 'were'} deleted again; {changed.length} record{changed.length === 1 ? ' it changed has' : 's it changed have'} {changed.length === 1 ? 'its' : 'their'} values from before the load:</p>
            {changed.length > 0 ? (
              <div className="table-wrap">
                <table className="before-state">
                  <thead><tr><th scope="col">Key</th><th scope="col">Field</th><th scope="col">Back to</th><th scope="col">The load had written</th></tr></thead>
                  <tbody>
                    {changed.flatMap((r) => (load.operation === 'delete'
                      ? [<tr key={r.key}><th scope="row"><code>{r.key}</code></th><td colSpan={3}>had been deleted: restored</td></tr>]
                      : Object.entries(r.before?.changed ?? {}).map(([field, change]) => (
                        <tr key={`${r.key}:${field}`}><th scope="row"><code>{r.key}</code></th><td><code>{field}</code></td><td className="before">{show(change.from)}</td><td className="after">{show(change.to)}</td></tr>
                      ))))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        );
      })() : null}
    </section>
  );
}
