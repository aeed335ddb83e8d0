import { api } from '../api';
import { connectionLabel, listConnections } from '../catalog';
import type { LoadListItem } from '../types';
import { Badge, Empty, ErrorNote, Loading, useResource, when } from '../ui';

const ACTIVE = ['pending', 'running', 'cancelling', 'rolling_back'];

export function LoadsPage() {
  const loads = useResource(() => api<{ loads: LoadListItem[] }>('GET', '/v1/loads?limit=100').then((r) => r.loads), [],
    (data) => (data?.some((l) => ACTIVE.includes(l.status)) ? 2000 : 10_000));
  const connections = useResource(listConnections, []);
  return (
    <>
      <div className="title-row">
        <h1>Loads</h1>
        <a className="button primary" href="#/loads/new">New load</a>
      </div>
      {loads.loading && !loads.data ? <Loading what="loads" /> : null}
      {loads.error ? <ErrorNote error={loads.error} retry={loads.reload} /> : null}
      {loads.data && loads.data.length === 0 ? <Empty>No loads yet. Start one with <a href="#/loads/new">New load</a>: a dry run shows what would change first.</Empty> : null}
      {loads.data && loads.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Load</th><th scope="col">Connection</th><th scope="col">Object</th><th scope="col">Operation</th><th scope="col">Records</th><th scope="col">Status</th><th scope="col">Started</th></tr></thead>
            <tbody>
              {loads.data.map((l) => (
                <tr key={l.id}>
                  <th scope="row"><a href={`#/loads/${encodeURIComponent(l.id)}`}>{l.id}</a>{l.dryRun ? <> <Badge value="dry run" kind="dry" /></> : null}</th>
                  <td>{connectionLabel(connections.data, l.connectionId)}</td>
                  <td>{l.object}</td>
                  <td>{l.operation}</td>
                  <td className="num">{l.recordCount}</td>
                  <td><Badge value={l.status} /></td>
                  <td>{when(l.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
