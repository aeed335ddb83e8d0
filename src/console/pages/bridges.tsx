import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { connectionLabel, listConnections } from '../catalog';
import { useLifecycle } from '../lifecycle';
import type { Bridge, BridgeDirection, Connection } from '../types';
import { Badge, Empty, ErrorNote, Loading, useResource, when } from '../ui';

export function BridgesPage() {
  const bridges = useResource(() => api<{ bridges: Bridge[] }>('GET', '/v1/bridges').then((r) => r.bridges), [], 3000);
  const connections = useResource(listConnections, []);
  const { actionError, dialog, buttons } = useLifecycle('/v1/bridges', 'bridge', bridges.reload);

  return (
    <>
      <h1>Bridges</h1>
      <p>A bridge copies messages both ways between a Slack channel and a Microsoft Teams channel, never echoing a copy back.</p>
      {actionError ? <ErrorNote error={actionError} /> : null}
      {bridges.loading && !bridges.data ? <Loading what="bridges" /> : null}
      {bridges.error ? <ErrorNote error={bridges.error} retry={bridges.reload} /> : null}
      {bridges.data && bridges.data.length === 0 ? <Empty>No bridges yet: link two channels below.</Empty> : null}
      {bridges.data && bridges.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Bridge</th><th scope="col">Slack</th><th scope="col">Teams</th><th scope="col">Status</th><th scope="col">Slack → Teams</th><th scope="col">Teams → Slack</th><th scope="col">Last copy, lag</th><th scope="col">Last sync</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {bridges.data.map((b) => (
                <tr key={b.id}>
                  <th scope="row"><code>{b.id}</code></th>
                  <td>{b.slackChannel}<br /><small>{connectionLabel(connections.data, b.slackConnectionId)}</small></td>
                  <td>{b.teamsChannel}<br /><small>{connectionLabel(connections.data, b.teamsConnectionId)}</small></td>
                  <td><Badge value={b.status} />{b.lastError ? <p className="bad">{b.status === 'paused' ? 'Paused: ' : ''}{b.lastError.message}</p> : null}</td>
                  <td className="num">{b.copied?.slack ?? '—'}</td>
                  <td className="num">{b.copied?.teams ?? '—'}</td>
                  <td>
                    <DirectionStatus label="Slack → Teams" direction={b.directions?.slackToTeams} />
                    <DirectionStatus label="Teams → Slack" direction={b.directions?.teamsToSlack} />
                  </td>
                  <td>{when(b.lastSyncAt)}</td>
                  <td className="actions">
                    {buttons(b.id, b.status, <p>Nothing more is copied between {b.slackChannel} and {b.teamsChannel}; the copies made stay. A stopped bridge cannot be resumed.</p>)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <NewBridge connections={connections.data} onCreated={() => void bridges.reload()} />
      {dialog}
    </>
  );
}

/** A direction's last copy time and lag, and its last error (kept after recovery, with its time). */
function DirectionStatus({ label, direction }: { label: string; direction?: BridgeDirection }) {
  if (!direction) return null;
  return (
    <p>
      <small>{label}: {direction.lastCopyAt ? <>{when(direction.lastCopyAt)}{direction.lagSeconds !== null ? `, ${direction.lagSeconds} s after` : ''}</> : 'nothing copied yet'}</small>
      {direction.lastError ? <><br /><small className="bad">Last error {when(direction.lastError.at)}: {direction.lastError.message}</small></> : null}
    </p>
  );
}

function NewBridge({ connections, onCreated }: { connections?: Connection[]; onCreated: () => void }) {
  const slack = connections?.filter((c) => c.connector === 'slack') ?? [];
  const teams = connections?.filter((c) => c.connector === 'teams') ?? [];
  const [slackConnectionId, setSlackConnectionId] = useState('');
  const [slackChannel, setSlackChannel] = useState('');
  const [teamsConnectionId, setTeamsConnectionId] = useState('');
  const [teamId, setTeamId] = useState('');
  const [channelId, setChannelId] = useState('');
  const [interval, setIntervalSeconds] = useState('10');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/v1/bridges', { json: { slackConnectionId: slackConnectionId || slack[0]?.id, slackChannel: slackChannel.trim(), teamsConnectionId: teamsConnectionId || teams[0]?.id, teamsChannel: `${teamId.trim()}/${channelId.trim()}`, intervalSeconds: Number(interval) } });
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!connections) return <Loading what="connections" />;
  return (
    <section aria-labelledby="new-bridge">
      <h2 id="new-bridge">Link two channels</h2>
      {!slack.length || !teams.length ? <Empty>A bridge needs a Slack connection and a Teams connection: <a href="#/connections">create them</a> first.</Empty> : (
        <form className="card form" onSubmit={submit}>
          <div className="grid">
            <div className="field">
              <label htmlFor="bridge-slack">Slack connection</label>
              <select id="bridge-slack" value={slackConnectionId || slack[0].id} onChange={(e) => setSlackConnectionId(e.target.value)}>
                {slack.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="bridge-slack-channel">Slack channel id</label>
              <input id="bridge-slack-channel" value={slackChannel} onChange={(e) => setSlackChannel(e.target.value)} placeholder="C0123ABCD" required />
            </div>
            <div className="field">
              <label htmlFor="bridge-teams">Teams connection</label>
              <select id="bridge-teams" value={teamsConnectionId || teams[0].id} onChange={(e) => setTeamsConnectionId(e.target.value)}>
                {teams.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </div>
            <div className="field">
              <label htmlFor="bridge-team">Teams team id</label>
              <input id="bridge-team" value={teamId} onChange={(e) => setTeamId(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="bridge-channel">Teams channel id</label>
              <input id="bridge-channel" value={channelId} onChange={(e) => setChannelId(e.target.value)} placeholder="19:abc@thread.tacv2" required />
            </div>
            <div className="field">
              <label htmlFor="bridge-interval">Sync every (seconds)</label>
              <input id="bridge-interval" type="number" min={1} max={86400} value={interval} onChange={(e) => setIntervalSeconds(e.target.value)} required />
            </div>
          </div>
          {error ? <ErrorNote error={error} /> : null}
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Linking…' : 'Create bridge'}</button>
        </form>
      )}
    </section>
  );
}
