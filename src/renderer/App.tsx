import { useEffect } from 'react';
import { AboutPanel } from './home/AboutPanel';
import { useAppStore } from './state/app-store';

export function App() {
  const state = useAppStore((s) => s.state);
  const load = useAppStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="app">
      <header className="topbar">
        <h1>Vigil</h1>
        <span className="tagline">Plasma wallet and personal watcher</span>
      </header>
      <main className="content">
        {state.status === 'loading' && (
          <p role="status" className="muted">
            Starting…
          </p>
        )}
        {state.status === 'failed' && (
          <div role="alert" className="error">
            <p>Vigil could not read its own settings: {state.message}</p>
            <button type="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        )}
        {state.status === 'ready' && <AboutPanel info={state.info} />}
      </main>
    </div>
  );
}
