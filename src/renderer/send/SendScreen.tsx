// Send: recipient, token, amount and fee token; coin selection (at most 4 inputs, a merge first
// when more are needed); a review of exactly what moves; signing here; submission through main,
// refused with the banner's reason while the chain is not valid and synced.
import { useState } from 'react';
import { useAccountStore } from '../state/account-store';
import { tokenOf, useChainStore } from '../state/chain-store';
import { useSessionStore } from '../state/session-store';
import { errorText } from '../state/errors';
import { Busy } from '../shell/Busy';
import { sendRefusal } from '../view/chain-status';
import { planSend, reviewLines, SendFormError, type SendForm, type SendPlan } from '../view/send';
import { showAmount } from '../view/balances';
import { fromDecimalString } from '../wallet/amounts';
import { ReviewList } from './ReviewList';
import { signAndSubmit } from './submit';
import type { SubmitResult } from '../../shared/wallet';

const emptyForm: SendForm = { to: '', token: '', amount: '', feeToken: '', note: '' };

export function SendScreen() {
  const from = useSessionStore((s) => s.selected);
  const canSign = useSessionStore((s) => s.accounts.find((a) => a.address === s.selected)?.canSign);
  const { child, pending } = useAccountStore();
  const { snapshot, fees, tokens, feesError } = useChainStore();
  const [form, setForm] = useState<SendForm>(emptyForm);
  const [problem, setProblem] = useState<{ field: keyof SendForm | null; text: string } | null>(
    null,
  );
  const [plan, setPlan] = useState<SendPlan | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<{ result: SubmitResult; merge: boolean } | null>(null);
  const refusal = sendRefusal(snapshot);
  const held = child?.balances ?? [];
  const token = form.token || held[0]?.token || '';
  const feeToken = form.feeToken || fees[0]?.token || '';

  if (!from) return null;
  if (canSign === false)
    return (
      <section className="panel" aria-labelledby="send-title">
        <h2 id="send-title">Send</h2>
        <p role="alert" className="error">
          This account is watch-only: Vigil has no key to sign for it. Choose another account.
        </p>
      </section>
    );

  function review() {
    setDone(null);
    try {
      const planned = planSend(
        { ...form, token, feeToken },
        {
          from: from!,
          utxos: child?.utxos ?? [],
          fees,
          tokens,
          exclude: pending.flatMap((p) => p.spends),
        },
      );
      setProblem(null);
      setPlan(planned);
    } catch (error) {
      setPlan(null);
      setProblem(
        error instanceof SendFormError
          ? { field: error.field, text: error.message }
          : { field: null, text: errorText(error) },
      );
    }
  }

  async function submit(current: SendPlan) {
    setBusy('Signing and sending to the operator…');
    const info = tokenOf(tokens, token);
    const summary =
      current.kind === 'merge'
        ? `Merged ${current.spending.inputs.length} outputs`
        : `Sent ${form.amount} ${info.symbol} to ${form.to.trim()}`;
    try {
      const result = await signAndSubmit(from!, current.spending, summary);
      setDone({ result, merge: current.kind === 'merge' });
      setPlan(null);
      if (current.kind === 'payment') setForm({ ...emptyForm, token, feeToken });
    } catch (error) {
      setProblem({ field: null, text: `Not sent: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  }

  const fieldError = (field: keyof SendForm) =>
    problem?.field === field ? (
      <span role="alert" className="error-text" id={`send-${field}-error`}>
        {problem.text}
      </span>
    ) : null;

  return (
    <>
      {refusal && (
        <p role="alert" className="error" data-testid="send-refused">
          {refusal}
        </p>
      )}
      <section className="panel" aria-labelledby="send-title">
        <h2 id="send-title">Send on the Plasma chain</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            review();
          }}
        >
          <label className="field">
            Recipient address
            <input
              value={form.to}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={problem?.field === 'to'}
              onChange={(e) => setForm({ ...form, to: e.target.value })}
            />
            {fieldError('to')}
          </label>
          <div className="row">
            <label className="field">
              Token
              <select value={token} onChange={(e) => setForm({ ...form, token: e.target.value })}>
                {held.map((b) => (
                  <option key={b.token} value={b.token}>
                    {tokenOf(tokens, b.token).symbol} (
                    {showAmount(fromDecimalString(b.amount), tokenOf(tokens, b.token))} available)
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Amount
              <input
                value={form.amount}
                inputMode="decimal"
                autoComplete="off"
                aria-invalid={problem?.field === 'amount'}
                onChange={(e) => setForm({ ...form, amount: e.target.value })}
              />
            </label>
            <label className="field">
              Fee
              <select
                value={feeToken}
                onChange={(e) => setForm({ ...form, feeToken: e.target.value })}
              >
                {fees.map((f) => (
                  <option key={f.token} value={f.token}>
                    {showAmount(fromDecimalString(f.amount), tokenOf(tokens, f.token))}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {fieldError('amount')}
          {fieldError('feeToken')}
          {feesError && (
            <p role="alert" className="error">
              The operator’s fee table could not be read: {feesError} Try again in a moment.
            </p>
          )}
          <label className="field">
            Note (optional, public, up to 32 bytes)
            <input value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
            {fieldError('note')}
          </label>
          {held.length === 0 && (
            <p className="muted">Nothing to send yet: deposit on the Deposit screen first.</p>
          )}
          {problem?.field === null && (
            <p role="alert" className="error">
              {problem.text}
            </p>
          )}
          <button type="submit" disabled={held.length === 0 || busy !== null}>
            Review
          </button>
        </form>
      </section>
      {plan && (
        <section className="panel" aria-labelledby="review-title">
          <h2 id="review-title">
            {plan.kind === 'merge' ? 'Merge your outputs first' : 'Review the payment'}
          </h2>
          {plan.kind === 'merge' && (
            <p>
              This payment needs {plan.proposal.inputsNeeded} inputs but one transaction may spend
              at most 4. Merge these outputs first
              {plan.proposal.mergesLeft > 1 ? ` (about ${plan.proposal.mergesLeft} merges)` : ''};
              once the merge is in a validated block, review the payment again.
            </p>
          )}
          <ReviewList lines={reviewLines(plan.review, tokens)} />
          {busy && <Busy text={busy} />}
          <div className="row">
            <button
              type="button"
              disabled={busy !== null || refusal !== null}
              onClick={() => void submit(plan)}
            >
              {plan.kind === 'merge' ? 'Sign and merge' : 'Sign and send'}
            </button>
            <button type="button" className="secondary" onClick={() => setPlan(null)}>
              Change
            </button>
          </div>
        </section>
      )}
      {done && (
        <p role="status" className="notice">
          {done.merge ? 'Merge' : 'Payment'} accepted by the operator in block {done.result.blknum}.
          It shows as pending on Home until Vigil has validated that block.{' '}
          <code>{done.result.txHash}</code>
        </p>
      )}
    </>
  );
}
