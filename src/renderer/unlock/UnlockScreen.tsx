// The locked wallet: the password opens the vault; a wrong one says so and changes nothing.
import { useState } from 'react';
import { useSessionStore } from '../state/session-store';
import { Busy } from '../shell/Busy';

export function UnlockScreen() {
  const { unlock, busy, error } = useSessionStore();
  const [password, setPassword] = useState('');
  return (
    <section className="panel" aria-labelledby="unlock-title">
      <h2 id="unlock-title">Unlock your wallet</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void unlock(password).then((ok) => ok && setPassword(''));
        }}
      >
        <label className="field">
          Password
          <input
            type="password"
            value={password}
            autoComplete="current-password"
            autoFocus
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {busy && <Busy text={busy} />}
        <button type="submit" disabled={busy !== null || password === ''}>
          Unlock
        </button>
      </form>
    </section>
  );
}
