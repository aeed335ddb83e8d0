import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { listConnections, useCatalog } from '../catalog';
import { rememberDraft, type Draft, type LoadInput } from '../drafts';
import { startLoad } from '../load-api';
import { navigate } from '../router';
import { Empty, ErrorNote, Loading, useResource } from '../ui';

function formatOf(file: File): 'csv' | 'ndjson' | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  return null;
}

/** Pasted JSON: an array of records, { records: [...] }, or one record per line. */
function parsePasted(text: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (!trimmed) throw new Error('Paste at least one record.');
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    try {
      value = trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    } catch {
      throw new Error('This is not JSON: paste an array of records, { "records": [...] }, or one JSON record per line.');
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { records?: unknown }).records)) value = (value as { records: unknown[] }).records;
  if (!Array.isArray(value)) value = [value];
  const records = value as unknown[];
  const bad = records.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) throw new Error(`Record ${bad + 1} is not a JSON object.`);
  return records as Record<string, unknown>[];
}

export function NewLoadPage() {
  const connections = useResource(listConnections, []);
  const { connectors, error: catalogError } = useCatalog();
  const [connectionId, setConnectionId] = useState('');
  const [objectName, setObjectName] = useState('');
  const [operation, setOperation] = useState('');
  const [naturalKey, setNaturalKey] = useState('');
  const [source, setSource] = useState<'file' | 'json'>('file');
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [onError, setOnError] = useState<'rollback' | 'continue'>('rollback');
  const [verify, setVerify] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const connection = connections.data?.find((c) => c.id === connectionId);
  const connector = connectors?.find((c) => c.id === connection?.connector);
  const spec = connector?.objects.find((o) => o.name === objectName);
  const writable = useMemo(() => spec?.fields.filter((f) => !f.readOnly).map((f) => f.name) ?? [], [spec]);

  useEffect(() => {
    setObjectName(connector?.objects[0]?.name ?? '');
  }, [connector]);
  useEffect(() => {
    setOperation(spec?.operations.includes('upsert') ? 'upsert' : spec?.operations[0] ?? '');
    // The first natural key is the system's own id: a load usually matches by the next one (email, external id).
    setNaturalKey(spec?.naturalKeys[1] ?? spec?.naturalKeys[0] ?? '');
  }, [spec]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let input: LoadInput;
    try {
      if (source === 'file') {
        if (!file) throw new Error('Choose a CSV or NDJSON file.');
        const format = formatOf(file);
        if (!format) throw new Error('The file must be .csv, .ndjson or .jsonl.');
        input = { kind: 'file', file, format };
      } else {
        input = { kind: 'json', records: parsePasted(pasted) };
      }
    } catch (err) {
      setError(err);
      return;
    }
    const draft: Draft = { target: { connectionId, object: objectName, operation, naturalKey, verify, onError }, input };
    setBusy(true);
    try {
      const id = await startLoad(draft, true);
      rememberDraft(id, draft);
      navigate(`/loads/${encodeURIComponent(id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (connections.loading || (!connectors && !catalogError)) return <><h1>New load</h1><Loading what="connections" /></>;
  if (connections.error || catalogError) return <><h1>New load</h1><ErrorNote error={connections.error ?? catalogError} retry={connections.reload} /></>;
  if (!connections.data?.length) return <><h1>New load</h1><Empty>There is no connection to load into yet: <a href="#/connections">create one</a> first.</Empty></>;

  return (
    <>
      <h1>New load</h1>
      <p>A load starts with a <strong>dry run</strong>: it reads the system and shows, record by record and field by field, what would change. Nothing is written until you run it from the review.</p>
      <form className="card form" onSubmit={submit}>
        <div className="grid">
          <div className="field">
            <label htmlFor="load-connection">Connection</label>
            <select id="load-connection" value={connectionId} onChange={(e) => setConnectionId(e.target.value)} required>
              <option value="">Choose a connection…</option>
              {connections.data.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.connector})</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="load-object">Object</label>
            <select id="load-object" value={objectName} onChange={(e) => setObjectName(e.target.value)} required disabled={!connector}>
              {connector?.objects.map((o) => <option key={o.name} value={o.name}>{o.name}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="load-operation">Operation</label>
            <select id="load-operation" value={operation} onChange={(e) => setOperation(e.target.value)} required disabled={!spec}>
              {spec?.operations.map((op) => <option key={op} value={op}>{op}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="load-key">Natural key</label>
            <select id="load-key" value={naturalKey} onChange={(e) => setNaturalKey(e.target.value)} required disabled={!spec}>
              {spec?.naturalKeys.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </div>
        </div>
        {spec ? (
          <p className="hint">Fields of {spec.name}: {writable.join(', ') || 'described by the system at run time'}.{spec.notes ? ` ${spec.notes}` : ''}</p>
        ) : null}
        <fieldset>
          <legend>Records</legend>
          <div className="radios" role="radiogroup" aria-label="Where the records come from">
            <label><input type="radio" name="source" checked={source === 'file'} onChange={() => setSource('file')} /> Upload a CSV or NDJSON file</label>
            <label><input type="radio" name="source" checked={source === 'json'} onChange={() => setSource('json')} /> Paste JSON</label>
          </div>
          {source === 'file' ? (
            <div className="field">
              <label htmlFor="load-file">Records file (.csv with a header row, or .ndjson)</label>
              <input id="load-file" type="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor="load-json">Records (JSON)</label>
              <textarea id="load-json" rows={8} spellCheck={false} value={pasted} onChange={(e) => setPasted(e.target.value)}
                placeholder={`[{ "${naturalKey || 'email'}": "ada@example.com" }]`} />
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>Options</legend>
          <div className="grid">
            <div className="field">
              <label htmlFor="load-on-error">When a record fails</label>
              <select id="load-on-error" value={onError} onChange={(e) => setOnError(e.target.value as 'rollback' | 'continue')}>
                <option value="rollback">roll back the whole load</option>
                <option value="continue">keep the others (failed records are listed)</option>
              </select>
            </div>
            <div className="field check">
              <input id="load-verify" type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} />
              <label htmlFor="load-verify">Verify each write by reading it back</label>
            </div>
          </div>
        </fieldset>
        {error ? <ErrorNote error={error instanceof ApiError || error instanceof Error ? error : new Error(String(error))} /> : null}
        <button type="submit" className="primary" disabled={busy || !spec}>{busy ? 'Starting the dry run…' : 'Dry run'}</button>
      </form>
    </>
  );
}
