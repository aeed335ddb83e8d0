import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorText } from './api';

/** A value fetched from the API, with loading and error states and a reload; optionally refreshed every `everyMs`. */
export function useResource<T>(fetcher: (() => Promise<T>) | null, deps: unknown[], everyMs?: number | ((value: T | undefined) => number | undefined)) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: fetcher !== null });
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const generation = useRef(0);
  const reload = useCallback(async () => {
    const f = fetcherRef.current;
    if (!f) return;
    const mine = ++generation.current;
    try {
      const data = await f();
      if (mine === generation.current) setState({ data, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, []);
  useEffect(() => {
    setState({ loading: fetcherRef.current !== null });
    void reload();
  }, deps);
  const interval = typeof everyMs === 'function' ? everyMs(state.data) : everyMs;
  useEffect(() => {
    if (!interval) return;
    const timer = window.setInterval(() => void reload(), interval);
    return () => window.clearInterval(timer);
  }, [interval, reload]);
  return { ...state, reload };
}

export function Loading({ what }: { what: string }) {
  return <p className="loading" role="status" aria-live="polite">Loading {what}…</p>;
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      <span>{errorText(error)}</span>
      {retry && <button type="button" className="link" onClick={retry}>Retry</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Badge({ value, kind }: { value: string; kind?: string }) {
  return <span className={`badge badge-${kind ?? value.replace(/[^a-z_]/g, '')}`}>{value.replace(/_/g, ' ')}</span>;
}

/**
 * A confirmation in a native modal <dialog>: focus is trapped, Escape cancels, and focus starts on
 * the safe answer so that an Enter pressed out of habit changes nothing.
 */
export function useConfirm() {
  const [pending, setPending] = useState<{ title: string; body: ReactNode; action: string; resolve: (ok: boolean) => void } | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (pending && dialog && !dialog.open) dialog.showModal();
  }, [pending]);
  const confirm = useCallback((title: string, body: ReactNode, action: string) =>
    new Promise<boolean>((resolve) => setPending({ title, body, action, resolve })), []);
  const close = (ok: boolean) => {
    ref.current?.close();
    pending?.resolve(ok);
    setPending(null);
  };
  const dialog = pending ? (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); close(false); }}>
      <h2 id="confirm-title">{pending.title}</h2>
      <div>{pending.body}</div>
      <div className="actions">
        <button type="button" onClick={() => close(false)} autoFocus>Keep it</button>
        <button type="button" className="danger" onClick={() => close(true)}>{pending.action}</button>
      </div>
    </dialog>
  ) : null;
  return { confirm, dialog };
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}

export function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The current time, ticking every second (for countdowns). */
export function useNow(active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}
