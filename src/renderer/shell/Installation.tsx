// The installation's facts (version, runtime, platform, data directory), read once through IPC.
import { useEffect } from 'react';
import { AboutPanel } from '../home/AboutPanel';
import { useAppStore } from '../state/app-store';

/** The installation's facts under the first screens (version, platform, data directory). */
export function Installation() {
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
