// Deposit: ETH or an ERC20 from Ethereum into the Plasma chain, with the allowance checked and
// every step's progress shown until the deposit is spendable.
import { useState } from 'react';
import { ETH_TOKEN } from '../../plasma/types';
import { useAccountStore } from '../state/account-store';
import { tokenOf, useChainStore } from '../state/chain-store';
import { useDepositStore } from '../state/deposit-store';
import { errorText } from '../state/errors';
import { useSessionStore } from '../state/session-store';
import { Busy } from '../shell/Busy';
import { showAmount } from '../view/balances';
import { fromDecimalString, parseAmount } from '../wallet/amounts';

const stepWords = { waiting: 'to do', sending: 'in progress', done: 'done', failed: 'failed' };

export function DepositScreen() {
  const owner = useSessionStore((s) => s.selected);
  const vault = useSessionStore((s) => s.vault);
  const canSign = useSessionStore((s) => s.accounts.find((a) => a.address === s.selected)?.canSign);
  const ethereum = useAccountStore((s) => s.ethereum);
  const refreshAccount = useAccountStore((s) => s.refresh);
  const { snapshot, tokens } = useChainStore();
  const { run, start, reset } = useDepositStore();
  const [token, setToken] = useState<string>(ETH_TOKEN);
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const choices = [{ token: ETH_TOKEN, amount: ethereum?.eth ?? '0' }, ...(ethereum?.tokens ?? [])];
  const running = run !== null && !run.finished && run.error === null;

  async function deposit() {
    if (!owner || !vault || !snapshot) return;
    const info = tokenOf(tokens, token);
    let value: bigint;
    try {
      value = parseAmount(amount, info.decimals);
    } catch (error) {
      return setProblem(errorText(error));
    }
    if (value === 0n) return setProblem('Enter an amount above zero.');
    const held = fromDecimalString(choices.find((c) => c.token === token)?.amount ?? '0');
    if (value > held)
      return setProblem(
        `You have ${showAmount(held, info)} on Ethereum; deposit at most that (ETH also pays the gas).`,
      );
    setProblem(null);
    await start({ vault, owner, token, amount: value, vaults: snapshot.network.contracts });
    void refreshAccount();
  }

  if (canSign === false)
    return (
      <section className="panel" aria-labelledby="deposit-title">
        <h2 id="deposit-title">Deposit</h2>
        <p role="alert" className="error">
          This account is watch-only: Vigil has no key to sign a deposit for it.
        </p>
      </section>
    );

  return (
    <>
      <section className="panel" aria-labelledby="deposit-title">
        <h2 id="deposit-title">Deposit from Ethereum</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void deposit();
          }}
        >
          <label className="field">
            Token
            <select value={token} onChange={(e) => setToken(e.target.value)} disabled={running}>
              {choices.map((c) => (
                <option key={c.token} value={c.token}>
                  {tokenOf(tokens, c.token).symbol} (
                  {showAmount(fromDecimalString(c.amount), tokenOf(tokens, c.token))} on Ethereum)
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Amount to deposit
            <input
              value={amount}
              inputMode="decimal"
              autoComplete="off"
              disabled={running}
              onChange={(e) => setAmount(e.target.value)}
            />
          </label>
          <button type="submit" disabled={running || !snapshot}>
            Sign and deposit
          </button>
        </form>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
      </section>
      {run && (
        <section className="panel" aria-labelledby="deposit-progress-title">
          <h2 id="deposit-progress-title">Deposit progress</h2>
          <ol aria-label="Deposit steps">
            {run.steps.map((s, i) => (
              <li key={i}>
                {s.description} — {stepWords[s.state]}
                {s.hash && (
                  <>
                    {' '}
                    <code className="hash">{s.hash}</code>
                  </>
                )}
              </li>
            ))}
          </ol>
          {run.progress && (
            <p>
              {run.progress.stage === 'spendable'
                ? `Spendable on the Plasma chain (deposit block ${run.progress.blknum ?? '?'}).`
                : `Deposit ${run.progress.stage}: ${run.progress.confirmations} of ${run.progress.needed} confirmations.`}{' '}
              <progress
                aria-label="Deposit confirmations"
                value={Math.min(run.progress.confirmations, run.progress.needed)}
                max={Math.max(1, run.progress.needed)}
              />
            </p>
          )}
          {run.activity && <Busy text={run.activity} />}
          {run.error && (
            <p role="alert" className="error">
              The deposit stopped: {run.error} Nothing was lost: what is done stays done; start the
              deposit again to finish it.
            </p>
          )}
          {run.finished && (
            <p role="status" className="notice">
              Deposit complete: it is spendable on the Plasma chain.
            </p>
          )}
          {!running && (
            <button type="button" className="secondary" onClick={reset}>
              Clear
            </button>
          )}
        </section>
      )}
    </>
  );
}
