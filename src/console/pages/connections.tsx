import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, errorText } from '../api';
import { listConnections, useCatalog } from '../catalog';
import { initialValues, SchemaFields, toPayload, type FormValues } from '../schema-form';
import type { Connector } from '../types';
import { Empty, ErrorNote, Loading, useConfirm, useResource, when } from '../ui';

type TestState = { running: true } | { ok: true } | { ok: false; message: string };

export function ConnectionsPage() {
  const connections = useResource(listConnections, []);
  const { connectors, error: catalogError } = useCatalog();
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [actionError, setActionError] = useState<unknown>(null);
  const { confirm, dialog } = useConfirm();

  const test = async (id: string) => {
    setTests((t) => ({ ...t, [id]: { running: true } }));
    try {
      const r = await api<{ ok: boolean; error?: { kind: string; message: string } }>('POST', `/v1/connections/${encodeURIComponent(id)}/test`);
      setTests((t) => ({ ...t, [id]: r.ok ? { ok: true } : { ok: false, message: `${r.error?.kind ?? 'error'}: ${r.error?.message ?? 'failed'}` } }));
    } catch (err) {
      setTests((t) => ({ ...t, [id]: { ok: false, message: errorText(err) } }));
    }
  };

  const remove = async (id: string, name: string) => {
    if (!(await confirm(`Delete the connection "${name}"?`, <p>Its stored credentials are removed; its loads and Stream events stay readable. A connection that a live capture, bridge or running load uses cannot be deleted.</p>, 'Delete connection'))) return;
    setActionError(null);
    try {
      await api('DELETE', `/v1/connections/${encodeURIComponent(id)}`);
      await connections.reload();
    } catch (err) {
      setActionError(err);
    }
  };

  const displayName = (id: string) => connectors?.find((c) => c.id === id)?.displayName ?? id;

  return (
    <>
      <h1>Connections</h1>
      <section aria-labelledby="connections-list">
        <h2 id="connections-list">Your connections</h2>
        {actionError ? <ErrorNote error={actionError} /> : null}
        {connections.loading && !connections.data ? <Loading what="connections" /> : null}
        {connections.error ? <ErrorNote error={connections.error} retry={connections.reload} /> : null}
        {connections.data && connections.data.length === 0 ? <Empty>No connections yet: create one below.</Empty> : null}
        {connections.data && connections.data.length > 0 ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Name</th><th scope="col">System</th><th scope="col">Id</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
              <tbody>
                {connections.data.map((c) => {
                  const t = tests[c.id];
                  return (
                    <tr key={c.id}>
                      <th scope="row">{c.name}</th>
                      <td>{displayName(c.connector)}</td>
                      <td><code>{c.id}</code></td>
                      <td>{when(c.createdAt)}</td>
                      <td className="actions">
                        <button type="button" onClick={() => void test(c.id)} aria-label={`Test ${c.name}`} disabled={t !== undefined && 'running' in t}>Test</button>
                        <button type="button" className="danger" onClick={() => void remove(c.id, c.name)} aria-label={`Delete ${c.name}`}>Delete</button>
                        <span role="status" aria-live="polite" className="test-result" data-connection={c.id}>
                          {t && 'running' in t ? 'Testing…' : null}
                          {t && 'ok' in t && t.ok ? <span className="ok">Credentials work</span> : null}
                          {t && 'ok' in t && !t.ok ? <span className="bad">Failed: {t.message}</span> : null}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {catalogError ? <ErrorNote error={catalogError} /> : null}
      {connectors ? <NewConnection connectors={connectors} onCreated={() => void connections.reload()} /> : <Loading what="systems" />}
      {connectors ? <SystemNotes connectors={connectors} /> : null}
      {dialog}
    </>
  );
}

function NewConnection({ connectors, onCreated }: { connectors: Connector[]; onCreated: () => void }) {
  const [connectorId, setConnectorId] = useState('');
  const connector = useMemo(() => connectors.find((c) => c.id === connectorId), [connectors, connectorId]);
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState<FormValues>({});
  const [config, setConfig] = useState<FormValues>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);

  const choose = (id: string) => {
    setConnectorId(id);
    const c = connectors.find((x) => x.id === id);
    setCredentials(c ? initialValues(c.credentials) : {});
    setConfig(c ? initialValues(c.config) : {});
    setError(null);
  };

  const fieldErrors = (prefix: string) => {
    const out: Record<string, string> = {};
    // "config.projectKeys.0" belongs to the projectKeys input.
    if (error instanceof ApiError) for (const f of error.fields) if (f.field.startsWith(`${prefix}.`)) out[f.field.slice(prefix.length + 1).split('.')[0]] ??= f.message;
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!connector) return;
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const r = await api<{ id: string }>('POST', '/v1/connections', {
        json: { connector: connector.id, name: name.trim(), credentials: toPayload(connector.credentials, credentials), config: toPayload(connector.config, config) },
      });
      // The secrets leave the page's memory with the request: the form starts over.
      setCredentials(initialValues(connector.credentials));
      setConfig(initialValues(connector.config));
      setCreated(`Connection "${name.trim()}" created (${r.id}).`);
      setName('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-connection">
      <h2 id="new-connection">New connection</h2>
      <form className="card form" onSubmit={submit} autoComplete="off">
        <div className="field">
          <label htmlFor="connection-system">System</label>
          <select id="connection-system" value={connectorId} onChange={(e) => choose(e.target.value)} required>
            <option value="">Choose a system…</option>
            {connectors.map((c) => <option key={c.id} value={c.id}>{c.displayName}</option>)}
          </select>
        </div>
        {connector ? (
          <>
            <div className="field">
              <label htmlFor="connection-name">Connection name</label>
              <input id="connection-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="off" />
            </div>
            <fieldset>
              <legend>Credentials ({connector.authScheme})</legend>
              <SchemaFields idPrefix="credentials" schema={connector.credentials} secretFields={connector.secretFields} values={credentials}
                onChange={(k, v) => setCredentials((s) => ({ ...s, [k]: v }))} errors={fieldErrors('credentials')} />
            </fieldset>
            <fieldset>
              <legend>Settings</legend>
              <SchemaFields idPrefix="config" schema={connector.config} values={config}
                onChange={(k, v) => setConfig((s) => ({ ...s, [k]: v }))} errors={fieldErrors('config')} />
            </fieldset>
            {error ? <ErrorNote error={error} /> : null}
            <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create connection'}</button>
          </>
        ) : null}
        {created ? <p className="ok" role="status">{created}</p> : null}
      </form>
    </section>
  );
}

function SystemNotes({ connectors }: { connectors: Connector[] }) {
  return (
    <section aria-labelledby="system-notes">
      <h2 id="system-notes">What each system needs you to know</h2>
      {connectors.map((c) => (
        <details key={c.id} className="card notes">
          <summary>{c.displayName}</summary>
          <p className="note">API version: {c.apiVersion}</p>
          <ul>
            {c.objects.map((o) => (
              <li key={o.name}>
                <strong>{o.name}</strong>: keys {o.naturalKeys.join(', ')}; {o.operations.join(', ')}; {o.batchSize} per batch
                {o.notes ? <p className="note">{o.notes}</p> : null}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
