// The watcher's sync progress and the chain status in plain words, always at the bottom.
import { useChainStore } from '../state/chain-store';
import { statusLine } from '../view/chain-status';

export function StatusBar() {
  const snapshot = useChainStore((s) => s.snapshot);
  const error = useChainStore((s) => s.error);
  const line = statusLine(snapshot);
  return (
    <footer className={`statusbar status-${line.kind}`} role="status" aria-label="Chain status">
      <span data-testid="chain-status">{line.text}</span>
      {line.progress && line.kind !== 'valid' && (
        <progress
          aria-label="Blocks validated"
          value={line.progress.value}
          max={line.progress.max}
        />
      )}
      {error && <span className="error-text">The watcher did not answer: {error}</span>}
    </footer>
  );
}
