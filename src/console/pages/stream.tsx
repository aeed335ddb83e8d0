import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { listConnections, useCatalog } from '../catalog';
import type { StreamEvent } from '../types';
import { Badge, Empty, ErrorNote, Loading, useResource, when } from '../ui';

const PAGE = 50;

interface Page { events: StreamEvent[]; next?: number }

/** The Stream: one connection's change events in offset order, filterable, paged, or followed as they arrive. */
export function StreamPage() {
  const connections = useResource(listConnections, []);
  const { connectors } = useCatalog();
  const [connectionId, setConnectionId] = useState('');
  const [object, setObject] = useState('');
  const [op, setOp] = useState('');
  const [recordId, setRecordId] = useState('');
  const [follow, setFollow] = useState(false);
  const [afters, setAfters] = useState<number[]>([0]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>(null);
  const followed = useRef<StreamEvent[]>([]);

  useEffect(() => {
    if (!connectionId && connections.data?.length) setConnectionId(connections.data[0].id);
  }, [connections.data, connectionId]);

  /** A page of events after `after`; the gateway filters by connection, object, change and record id. */
  const fetchPage = (after: number, limit = PAGE) => {
    const q = new URLSearchParams({ connectionId, after: String(after), limit: String(limit) });
    if (object) q.set('object', object);
    if (op) q.set('op', op);
    if (recordId.trim()) q.set('recordIdContains', recordId.trim());
    return api<Page>('GET', `/v1/stream?${q}`);
  };

  // Paged browsing.
  useEffect(() => {
    if (!connectionId || follow) return;
    let live = true;
    setPage(null);
    const timer = window.setTimeout(() => {
      fetchPage(afters[afters.length - 1]).then((p) => { if (live) { setPage(p); setError(null); } }, (err) => live && setError(err));
    }, recordId ? 250 : 0);
    return () => { live = false; window.clearTimeout(timer); };
  }, [connectionId, object, op, recordId, afters, follow]);

  // Following: read to the end, then poll for what arrives after the last offset.
  useEffect(() => {
    if (!connectionId || !follow) return;
    let live = true;
    let after = 0;
    followed.current = [];
    setPage({ events: [] });
    const tick = async () => {
      try {
        for (;;) {
          const p = await fetchPage(after, 1000);
          if (!live) return;
          if (p.events.length) {
            after = p.events[p.events.length - 1].offset;
            followed.current = [...followed.current, ...p.events].slice(-500);
            setPage({ events: followed.current });
          }
          if (!p.next) break;
        }
        setError(null);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void tick();
    const timer = window.setInterval(() => void tick(), 2000);
    return () => { live = false; window.clearInterval(timer); };
  }, [connectionId, object, op, recordId, follow]);

  const connection = connections.data?.find((c) => c.id === connectionId);
  const objects = connectors?.find((c) => c.id === connection?.connector)?.objects ?? [];
  const shown = page?.events ?? [];
  const ordered = follow ? [...shown].reverse() : shown;

  if (connections.loading) return <><h1>Stream</h1><Loading what="connections" /></>;
  if (connections.error) return <><h1>Stream</h1><ErrorNote error={connections.error} retry={connections.reload} /></>;
  if (!connections.data?.length) return <><h1>Stream</h1><Empty>No connections yet: <a href="#/connections">create one</a> and start a <a href="#/captures">capture</a>.</Empty></>;

  return (
    <>
      <h1>Stream</h1>
      <form className="card filters" onSubmit={(e) => e.preventDefault()} aria-label="Stream filters">
        <div className="field">
          <label htmlFor="stream-connection">Connection</label>
          <select id="stream-connection" value={connectionId} onChange={(e) => { setConnectionId(e.target.value); setObject(''); setAfters([0]); }}>
            {connections.data.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.connector})</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="stream-object">Object</label>
          <select id="stream-object" value={object} onChange={(e) => { setObject(e.target.value); setAfters([0]); }}>
            <option value="">all objects</option>
            {objects.map((o) => <option key={o.name} value={o.name}>{o.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="stream-op">Change</label>
          <select id="stream-op" value={op} onChange={(e) => { setOp(e.target.value); setAfters([0]); }}>
            <option value="">upserts and deletes</option>
            <option value="upsert">upserts</option>
            <option value="delete">deletes</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="stream-record">Record id contains</label>
          <input id="stream-record" value={recordId} onChange={(e) => { setRecordId(e.target.value); setAfters([0]); }} autoComplete="off" />
        </div>
        <div className="field check">
          <input id="stream-follow" type="checkbox" checked={follow} onChange={(e) => { setFollow(e.target.checked); setAfters([0]); }} />
          <label htmlFor="stream-follow">Follow (newest first, live)</label>
        </div>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {!page && !error ? <Loading what="events" /> : null}
      {page && ordered.length === 0 ? <Empty>{follow ? 'No events yet: waiting for new ones…' : 'No events match.'} Events arrive from <a href="#/captures">captures</a>.</Empty> : null}
      {ordered.length > 0 ? (
        <div className="table-wrap">
          <table className="stream" aria-live={follow ? 'polite' : undefined}>
            <thead><tr><th scope="col">Offset</th><th scope="col">When</th><th scope="col">Object</th><th scope="col">Change</th><th scope="col">Record</th><th scope="col">Data</th></tr></thead>
            <tbody>
              {ordered.map((e) => (
                <tr key={e.offset} data-offset={e.offset}>
                  <td className="num">{e.offset}</td>
                  <td>{when(e.occurredAt)}</td>
                  <td>{e.object}</td>
                  <td><Badge value={e.op} /></td>
                  <th scope="row"><code>{e.recordId}</code></th>
                  <td>
                    <details>
                      <summary>data</summary>
                      <pre>{JSON.stringify(e.data, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {!follow && page ? (
        <div className="pager">
          <button type="button" disabled={afters.length <= 1} onClick={() => setAfters((a) => a.slice(0, -1))}>Previous page</button>
          <button type="button" disabled={page.next === undefined} onClick={() => setAfters((a) => [...a, page.next!])}>Next page</button>
        </div>
      ) : null}
    </>
  );
}
