import { useState, type FormEvent } from 'react';
import { api, ApiError, errorText } from '../api';
import { session } from '../session';
import type { Settings } from '../types';

/** Sign-in with the tenant's API key; the key is kept in this tab's sessionStorage only. */
export function SignIn({ onSignedIn, notice, error }: { onSignedIn: (s: Settings) => void; notice: string | null; error: unknown }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(error ? errorText(error) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setProblem('Enter your API key.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const settings = await api<Settings>('GET', '/v1/console/settings', { key: candidate });
      session.signIn(candidate);
      setKey('');
      onSignedIn(settings);
    } catch (err) {
      setProblem(err instanceof ApiError && err.status === 401 ? 'This API key was not accepted.' : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="center">
      <form className="card sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Forgeworks console</h1>
        <p>Sign in with your tenant's API key. It is kept for this tab only and forgotten when you close it.</p>
        {notice && <p className="notice" role="status">{notice}</p>}
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} value={key}
          onChange={(e) => setKey(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'sign-in-problem' : undefined} />
        {problem && <p id="sign-in-problem" className="error" role="alert">{problem}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
