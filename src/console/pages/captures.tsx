import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { connectionLabel, listConnections, useCatalog } from '../catalog';
import { useLifecycle } from '../lifecycle';
import type { Capture } from '../types';
import { Badge, duration, Empty, ErrorNote, Loading, useResource, when } from '../ui';

export function CapturesPage() {
  const captures = useResource(() => api<{ captures: Capture[] }>('GET', '/v1/captures').then((r) => r.captures), [], 3000);
  const connections = useResource(listConnections, []);
  const { actionError, dialog, buttons } = useLifecycle('/v1/captures', 'capture', captures.reload);

  return (
    <>
      <h1>Captures</h1>
      <p>A capture polls a system for changes to one object and appends them to the <a href="#/stream">Stream</a>.</p>
      {actionError ? <ErrorNote error={actionError} /> : null}
      {captures.loading && !captures.data ? <Loading what="captures" /> : null}
      {captures.error ? <ErrorNote error={captures.error} retry={captures.reload} /> : null}
      {captures.data && captures.data.length === 0 ? <Empty>No captures yet: start one below.</Empty> : null}
      {captures.data && captures.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Capture</th><th scope="col">Connection</th><th scope="col">Object</th><th scope="col">Status</th><th scope="col">Lag</th><th scope="col">Cursor at</th><th scope="col">Last poll</th><th scope="col">Events</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {captures.data.map((c) => (
                <tr key={c.id}>
                  <th scope="row"><code>{c.id}</code></th>
                  <td>{connectionLabel(connections.data, c.connectionId)}</td>
                  <td>{c.object}</td>
                  <td><Badge value={c.status} />{c.lastError ? <p className="bad">{c.lastError.message}</p> : null}</td>
                  <td>{c.lagSeconds !== undefined ? duration(c.lagSeconds) : '—'}</td>
                  <td className="cursor-at">{when(c.lastChangeAt)}</td>
                  <td>{when(c.lastPollAt)}</td>
                  <td className="num">{c.eventsCaptured}</td>
                  <td className="actions">
                    {buttons(c.id, c.status, <p>Nothing more of {c.object} is captured; the events already in the Stream stay. A stopped capture cannot be resumed.</p>)}
                    <a href={`#/stream`}>Stream</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <NewCapture onCreated={() => void captures.reload()} connections={connections.data} />
      {dialog}
    </>
  );
}

function NewCapture({ onCreated, connections }: { onCreated: () => void; connections?: Array<{ id: string; name: string; connector: string }> }) {
  const { connectors } = useCatalog();
  const [connectionId, setConnectionId] = useState('');
  const [object, setObject] = useState('');
  const [interval, setIntervalSeconds] = useState('60');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const connection = connections?.find((c) => c.id === connectionId);
  const objects = connectors?.find((c) => c.id === connection?.connector)?.objects ?? [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/v1/captures', { json: { connectionId, object: object || objects[0]?.name, intervalSeconds: Number(interval) } });
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-capture">
      <h2 id="new-capture">Start a capture</h2>
      {!connections?.length ? <Empty>Create a <a href="#/connections">connection</a> first.</Empty> : (
        <form className="card form" onSubmit={submit}>
          <div className="grid">
            <div className="field">
              <label htmlFor="capture-connection">Connection</label>
              <select id="capture-connection" value={connectionId} onChange={(e) => { setConnectionId(e.target.value); setObject(''); }} required>
                <option value="">Choose a connection…</option>
                {connections.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.connector})</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="capture-object">Object</label>
              <select id="capture-object" value={object || objects[0]?.name || ''} onChange={(e) => setObject(e.target.value)} required disabled={!objects.length}>
                {objects.map((o) => <option key={o.name} value={o.name}>{o.name}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="capture-interval">Poll every (seconds)</label>
              <input id="capture-interval" type="number" min={1} max={86400} value={interval} onChange={(e) => setIntervalSeconds(e.target.value)} required />
            </div>
          </div>
          {error ? <ErrorNote error={error} /> : null}
          <button type="submit" className="primary" disabled={busy || !connectionId}>{busy ? 'Starting…' : 'Start capture'}</button>
        </form>
      )}
    </section>
  );
}
