// Merge: pick 2–4 outputs of one token and turn them into one (free), so later payments need
// fewer inputs.
import { useState } from 'react';
import { useAccountStore } from '../state/account-store';
import { useChainStore } from '../state/chain-store';
import { errorText } from '../state/errors';
import { useSessionStore } from '../state/session-store';
import { Busy } from '../shell/Busy';
import { utxoRows } from '../view/balances';
import { sendRefusal } from '../view/chain-status';
import { planMerge, type MergePlan } from '../view/merge';
import { reviewLines } from '../view/send';
import { ReviewList } from '../send/ReviewList';
import { signAndSubmit } from '../send/submit';

export function MergeScreen() {
  const from = useSessionStore((s) => s.selected);
  const { child, pending } = useAccountStore();
  const { snapshot, tokens } = useChainStore();
  const [chosen, setChosen] = useState<string[]>([]);
  const [plan, setPlan] = useState<MergePlan | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refusal = sendRefusal(snapshot);
  const spent = new Set(pending.flatMap((p) => p.spends));
  const utxos = (child?.utxos ?? []).filter((u) => !spent.has(u.utxoPos));
  const rows = utxoRows(utxos, tokens);

  function toggle(pos: string) {
    setPlan(null);
    setDone(null);
    setChosen(chosen.includes(pos) ? chosen.filter((p) => p !== pos) : [...chosen, pos]);
  }

  async function merge(current: MergePlan) {
    setBusy('Signing and sending the merge…');
    try {
      const result = await signAndSubmit(
        from!,
        current.spending,
        `Merged ${current.spending.inputs.length} outputs`,
      );
      setDone(`Merge accepted in block ${result.blknum}; it is pending until validated.`);
      setPlan(null);
      setChosen([]);
    } catch (error) {
      setProblem(`Not merged: ${errorText(error)}`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {refusal && (
        <p role="alert" className="error">
          {refusal}
        </p>
      )}
      <section className="panel" aria-labelledby="merge-title">
        <h2 id="merge-title">Merge outputs</h2>
        <p className="muted">
          A payment may spend at most 4 outputs. Merge 2 to 4 outputs of one token into one; merges
          pay no fee.
        </p>
        <table aria-label="Outputs to merge">
          <thead>
            <tr>
              <th scope="col">Merge</th>
              <th scope="col">Amount</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.utxoPos}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Merge ${u.amount} at ${u.position}`}
                    checked={chosen.includes(u.utxoPos)}
                    onChange={() => toggle(u.utxoPos)}
                  />
                </td>
                <td>{u.amount}</td>
                <td>{u.position}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button
          type="button"
          disabled={chosen.length < 2 || busy !== null}
          onClick={() => {
            try {
              setPlan(planMerge(from!, utxos, chosen));
              setProblem(null);
            } catch (error) {
              setProblem(errorText(error));
            }
          }}
        >
          Review merge
        </button>
      </section>
      {plan && (
        <section className="panel" aria-labelledby="merge-review-title">
          <h2 id="merge-review-title">Review the merge</h2>
          <ReviewList lines={reviewLines(plan.review, tokens)} />
          {busy && <Busy text={busy} />}
          <button
            type="button"
            disabled={busy !== null || refusal !== null}
            onClick={() => void merge(plan)}
          >
            Sign and merge
          </button>
        </section>
      )}
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
    </>
  );
}
