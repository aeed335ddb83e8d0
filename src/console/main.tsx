import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, onUnauthorized } from './api';
import { forgetCatalog } from './catalog';
import { BridgesPage } from './pages/bridges';
import { CapturesPage } from './pages/captures';
import { ConnectionsPage } from './pages/connections';
import { LoadPage } from './pages/load';
import { LoadsPage } from './pages/loads';
import { NewLoadPage } from './pages/new-load';
import { SignIn } from './pages/sign-in';
import { StreamPage } from './pages/stream';
import { navigate, useRoute } from './router';
import { session } from './session';
import type { Settings } from './types';
import { ErrorNote, Loading } from './ui';
import './styles.css';

const SECTIONS = [
  ['connections', 'Connections'],
  ['loads', 'Loads'],
  ['captures', 'Captures'],
  ['stream', 'Stream'],
  ['bridges', 'Bridges'],
] as const;

function App() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [checking, setChecking] = useState(() => session.key() !== null);
  const [startupError, setStartupError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const route = useRoute();

  const signOut = useCallback((message: string | null) => {
    session.signOut();
    forgetCatalog();
    setSettings(null);
    setNotice(message);
  }, []);

  useEffect(() => {
    onUnauthorized(() => signOut('The gateway no longer accepts this API key: sign in again.'));
    if (!session.key()) return;
    api<Settings>('GET', '/v1/console/settings')
      .then(setSettings, (err) => setStartupError(err))
      .finally(() => setChecking(false));
  }, [signOut]);

  if (checking) return <main className="center"><Loading what="your session" /></main>;
  if (!settings) {
    return (
      <SignIn
        notice={notice}
        error={startupError}
        onSignedIn={(s) => { setSettings(s); setNotice(null); setStartupError(null); if (!window.location.hash) navigate('/connections'); }}
      />
    );
  }

  const [section = 'connections', id] = route;
  let page;
  if (section === 'connections') page = <ConnectionsPage />;
  else if (section === 'loads' && id === 'new') page = <NewLoadPage />;
  else if (section === 'loads' && id) page = <LoadPage id={id} settings={settings} />;
  else if (section === 'loads') page = <LoadsPage />;
  else if (section === 'captures') page = <CapturesPage />;
  else if (section === 'stream') page = <StreamPage />;
  else if (section === 'bridges') page = <BridgesPage />;
  else page = <ErrorNote error={new Error(`There is no page "${section}".`)} />;

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header className="top">
        <span className="brand">Forgeworks</span>
        <nav aria-label="Sections">
          {SECTIONS.map(([path, label]) => (
            <a key={path} href={`#/${path}`} aria-current={section === path ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <span className="tenant" title="Tenant">{settings.tenantId}</span>
        <button type="button" onClick={() => signOut('Signed out.')}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>{page}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
