// What every exit action shares: the signer for the account in use, and the progress of the action
// running now (activity, sent hashes, the error or the result), shown where it was started.
import { Busy } from '../shell/Busy';
import { useChainStore } from '../state/chain-store';
import { useExitStore, type Signer } from '../state/exit-store';
import { useSessionStore } from '../state/session-store';

/** The signer for the selected account, or null when it cannot sign (watch-only, no snapshot). */
export function useSigner(): Signer | null {
  const owner = useSessionStore((s) => s.selected);
  const vault = useSessionStore((s) => s.vault);
  const canSign = useSessionStore((s) => s.accounts.find((a) => a.address === s.selected)?.canSign);
  const framework = useChainStore((s) => s.snapshot?.network.contracts.plasmaFramework);
  if (!owner || !vault || !canSign || !framework) return null;
  return { vault, owner, framework };
}

export function ExitActionStatus({ prefix }: { prefix: string }) {
  const action = useExitStore((s) => s.action);
  if (!action || !action.key.startsWith(prefix)) return null;
  return (
    <div aria-live="polite">
      {action.activity && <Busy text={action.activity} />}
      {action.hashes.map((h) => (
        <p key={h} className="muted">
          Sent <code className="hash">{h}</code>
        </p>
      ))}
      {action.error && (
        <p role="alert" className="error">
          {action.error} Nothing is lost: what was sent stays sent; try again to finish.
        </p>
      )}
      {action.done && (
        <p role="status" className="notice">
          {action.done}
        </p>
      )}
    </div>
  );
}
