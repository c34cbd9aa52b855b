// The app's top level: the wallet's phase decides the screen (first run, locked, unlocked).
import { useEffect } from 'react';
import { OnboardingScreen } from './onboarding/OnboardingScreen';
import { WalletShell } from './shell/WalletShell';
import { Installation } from './shell/Installation';
import { useNoticeStore } from './state/notice-store';
import { useSessionStore } from './state/session-store';
import { UnlockScreen } from './unlock/UnlockScreen';

export function App() {
  const phase = useSessionStore((s) => s.phase);
  const sessionError = useSessionStore((s) => s.error);
  const loadSession = useSessionStore((s) => s.load);
  useEffect(() => {
    void loadSession();
  }, [loadSession]);
  // Notices arrive while locked too: they wait, with the action a notification click asked for.
  useEffect(() => useNoticeStore.getState().follow(), []);

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
        <Installation />
      </main>
    </div>
  );
}
