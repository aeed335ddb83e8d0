import { useState, type ReactNode } from 'react';
import { api } from './api';
import { useConfirm } from './ui';

type Status = 'running' | 'paused' | 'stopped';
type Action = 'pause' | 'resume' | 'stop';

/**
 * Pause, resume and stop for the console's long-running workflows (captures and bridges, which the
 * REST API controls alike): stop asks first, since a stopped one cannot be resumed; the list is
 * reloaded after each.
 */
export function useLifecycle(collection: '/v1/captures' | '/v1/bridges', noun: string, reload: () => Promise<void>) {
  const [actionError, setActionError] = useState<unknown>(null);
  const { confirm, dialog } = useConfirm();

  const act = async (id: string, what: Action, stopWarning: ReactNode) => {
    setActionError(null);
    try {
      if (what === 'stop') {
        if (!(await confirm(`Stop this ${noun}?`, stopWarning, `Stop ${noun}`))) return;
        await api('DELETE', `${collection}/${encodeURIComponent(id)}`);
      } else {
        await api('POST', `${collection}/${encodeURIComponent(id)}/${what}`);
      }
      await reload();
    } catch (err) {
      setActionError(err);
    }
  };

  /**
   * The buttons its status allows, each named for the one it acts on ("Pause capture cp_…"). A
   * plain function, not a component: the buttons keep their focus across the list's refreshes.
   */
  const buttons = (id: string, status: Status, stopWarning: ReactNode) => (
    <>
      {status === 'running' ? <button type="button" onClick={() => void act(id, 'pause', stopWarning)} aria-label={`Pause ${noun} ${id}`}>Pause</button> : null}
      {status === 'paused' ? <button type="button" onClick={() => void act(id, 'resume', stopWarning)} aria-label={`Resume ${noun} ${id}`}>Resume</button> : null}
      {status !== 'stopped' ? <button type="button" className="danger" onClick={() => void act(id, 'stop', stopWarning)} aria-label={`Stop ${noun} ${id}`}>Stop</button> : null}
    </>
  );

  return { actionError, dialog, buttons };
}
