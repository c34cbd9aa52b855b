// The app's top level: the wallet's phase decides the screen (first run, locked, unlocked).
import { useEffect } from 'react';
import { AboutPanel } from './home/AboutPanel';
import { OnboardingScreen } from './onboarding/OnboardingScreen';
import { WalletShell } from './shell/WalletShell';
import { useAppStore } from './state/app-store';
import { useSessionStore } from './state/session-store';
import { UnlockScreen } from './unlock/UnlockScreen';

export function App() {
  const phase = useSessionStore((s) => s.phase);
  const sessionError = useSessionStore((s) => s.error);
  const loadSession = useSessionStore((s) => s.load);
  useEffect(() => {
    void loadSession();
  }, [loadSession]);

  if (phase === 'unlocked')
    return (
      <div className="app">
        <WalletShell />
      </div>
    );
  return (
    <div className="app">
      <header className="topbar">
        <h1>Vigil</h1>
        <span className="tagline">Plasma wallet and personal watcher</span>
      </header>
      <main className="content">
        {phase === 'loading' && (
          <p role="status" className="muted">
            Starting…
          </p>
        )}
        {phase === 'failed' && (
          <div role="alert" className="error">
            <p>Vigil could not open your wallet file: {sessionError}</p>
            <button type="button" onClick={() => void loadSession()}>
              Try again
            </button>
          </div>
        )}
        {phase === 'new' && <OnboardingScreen />}
        {phase === 'locked' && <UnlockScreen />}
        {phase !== 'loading' && <Installation />}
      </main>
    </div>
  );
}

/** The installation's facts under the first screens (version, platform, data directory). */
function Installation() {
  const state = useAppStore((s) => s.state);
  const load = useAppStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  if (state.status === 'ready') return <AboutPanel info={state.info} />;
  if (state.status === 'failed')
    return (
      <div role="alert" className="error">
        <p>Vigil could not read its own settings: {state.message}</p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  return null;
}
