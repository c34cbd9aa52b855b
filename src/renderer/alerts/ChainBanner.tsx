// The banner for a chain that is not safe or an event that needs the user: what happened and the
// one action that protects them, in the watcher's words.
import { useChainStore } from '../state/chain-store';
import { banner } from '../view/chain-status';
import { ChallengeAction } from './ChallengeAction';

export function ChainBanner() {
  const snapshot = useChainStore((s) => s.snapshot);
  const shown = banner(snapshot);
  if (!shown) return null;
  // Every invalid exit gets one challenge button (invalid_exit and, past the SLA margin,
  // unchallenged_exit name the same exit), whichever event the banner leads with.
  const challengeable = [
    ...new Set(
      (snapshot?.events ?? [])
        .filter((e) => e.kind === 'invalid_exit' || e.kind === 'unchallenged_exit')
        .map((e) => e.details.utxo_pos)
        .filter((p) => typeof p === 'string' || typeof p === 'number')
        .map(String),
    ),
  ];
  return (
    <section role="alert" aria-label={shown.title} className={`banner banner-${shown.severity}`}>
      <strong>{shown.title}</strong>
      <p data-testid="banner-message">{shown.message}</p>
      {shown.event && (
        <p className="muted">
          Event: {shown.event.kind}, first seen {new Date(shown.event.firstSeenAt).toLocaleString()}
        </p>
      )}
      {challengeable.map((utxoPos) => (
        <ChallengeAction key={utxoPos} utxoPos={utxoPos} />
      ))}
    </section>
  );
}
