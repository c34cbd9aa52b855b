// The banner for a chain that is not safe or an event that needs the user: what happened and the
// one action that protects them, in the watcher's words.
import { useChainStore } from '../state/chain-store';
import { banner } from '../view/chain-status';
import { ChallengeAction } from './ChallengeAction';

export function ChainBanner() {
  const snapshot = useChainStore((s) => s.snapshot);
  const shown = banner(snapshot);
  if (!shown) return null;
  // Every invalid exit gets its own challenge button, whichever event the banner leads with.
  const challengeable = (snapshot?.events ?? []).filter(
    (e) => e.kind === 'invalid_exit' || e.kind === 'unchallenged_exit',
  );
  return (
    <section role="alert" aria-label={shown.title} className={`banner banner-${shown.severity}`}>
      <strong>{shown.title}</strong>
      <p data-testid="banner-message">{shown.message}</p>
      {shown.event && (
        <p className="muted">
          Event: {shown.event.kind}, first seen {new Date(shown.event.firstSeenAt).toLocaleString()}
        </p>
      )}
      {challengeable.map((e) =>
        e.details.utxo_pos === null || e.details.utxo_pos === undefined ? null : (
          <ChallengeAction key={e.id} utxoPos={String(e.details.utxo_pos)} />
        ),
      )}
    </section>
  );
}
