// Exits: take the money back to Ethereum. Safe mode (and its acknowledgement), exit everything with
// its plan (outputs, bonds, gas), what to do by when, the account's exits with processing, and each
// own output with its exit review (bond, earliest processing time) and one-click exit.
import { useEffect, useState } from 'react';
import type {
  BundleExport,
  BundleImportReport,
  ExitData,
  ExitPlan,
  ExitView,
} from '../../shared/exits';
import { request } from '../ipc/client';
import { useAccountStore } from '../state/account-store';
import { tokenOf, useChainStore } from '../state/chain-store';
import { errorText } from '../state/errors';
import { useExitStore, type Signer } from '../state/exit-store';
import { ExitActionStatus, useSigner } from './ExitAction';
import { showAmount, utxoRows } from '../view/balances';
import { deadlines, nowSeconds, showTime } from '../view/deadlines';
import { formatEther } from 'ethers';
import { useFocusRequest } from '../alerts/NoticeToasts';

const stateWords: Record<ExitView['state'], string> = {
  started: 'in challenge period',
  exitable: 'exitable: waiting to be processed',
  processed: 'processed: paid out',
  challenged: 'challenged: removed',
};

/** A time from main in seconds (the contract's rule); one already in milliseconds is taken as is. */
const toMs = (t: number) => (t > 1e11 ? t : t * 1000);

function SafeModePanel() {
  const safeMode = useExitStore((s) => s.safeMode);
  const acknowledge = useExitStore((s) => s.acknowledgeSafeMode);
  if (!safeMode?.active) return null;
  return (
    <section className="panel banner banner-danger" aria-labelledby="safe-mode-title">
      <h2 id="safe-mode-title">Safe mode: exits only</h2>
      <p>
        The watcher found that the chain is not safe (
        {safeMode.reason ?? 'chain-invalidating event'}
        {safeMode.since ? `, ${new Date(toMs(safeMode.since)).toLocaleString()}` : ''}). Payments
        and deposits are off; exits, challenges and processing still work. Exit everything below.
      </p>
      <button type="button" className="secondary" onClick={() => void acknowledge()}>
        I understand: leave safe mode
      </button>
    </section>
  );
}

function ExitEverythingPanel({ signer }: { signer: Signer | null }) {
  const tokens = useChainStore((s) => s.tokens);
  const { exitEverything, resumeOutbox, outbox, action } = useExitStore();
  const [plan, setPlan] = useState<ExitPlan | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = action?.activity != null;
  const [planButton, setPlanButton] = useState<HTMLButtonElement | null>(null);
  // A notice that the chain is not safe opens here.
  useFocusRequest('exit-everything', planButton, true);
  const failed = outbox.filter((o) => o.state === 'failed').length;
  const pending = outbox.filter((o) => o.state === 'pending').length;

  async function loadPlan() {
    if (!signer) return;
    try {
      setProblem(null);
      setPlan(await request('exit.plan', { address: signer.owner }));
    } catch (error) {
      setProblem(errorText(error));
    }
  }

  return (
    <section className="panel" aria-labelledby="everything-title">
      <h2 id="everything-title">Exit everything</h2>
      <p className="muted">
        Starts a standard exit of every output you own, through an outbox that survives a restart
        and never sends the same exit twice.
      </p>
      <div className="row">
        <button
          ref={setPlanButton}
          type="button"
          onClick={() => void loadPlan()}
          disabled={!signer || busy}
        >
          Plan exit everything
        </button>
        {(pending > 0 || failed > 0) && signer && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void resumeOutbox(signer, true)}
          >
            Resume the exits ({pending} waiting, {failed} failed)
          </button>
        )}
      </div>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {plan && (
        <>
          <table aria-label="Exit plan">
            <thead>
              <tr>
                <th scope="col">Output</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {plan.items.map((i) => (
                <tr key={i.utxoPos}>
                  <td>
                    <code>{i.utxoPos}</code>
                  </td>
                  <td>{showAmount(i.amount, tokenOf(tokens, i.token))}</td>
                  <td>{i.alreadyExiting ? 'already exiting' : 'to exit'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="plan-summary">
            {plan.items.filter((i) => !i.alreadyExiting).length} exits to start · bonds{' '}
            {formatEther(plan.totalBond)} ETH · estimated gas {plan.estimatedGas}
            {plan.missingQueues.length > 0 &&
              ` · ${plan.missingQueues.length} exit queue(s) to open first`}
          </p>
          <button
            type="button"
            disabled={!signer || busy || plan.items.length === 0}
            onClick={() => signer && void exitEverything(signer).then(() => setPlan(null))}
          >
            Sign and start all exits
          </button>
        </>
      )}
      <ExitActionStatus prefix="everything" />
    </section>
  );
}

function DeadlinesPanel() {
  const events = useChainStore((s) => s.snapshot?.events ?? []);
  const { exits, safeMode } = useExitStore();
  const now = nowSeconds();
  const list = deadlines({ events, exits, safeMode, now });
  return (
    <section className="panel" aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">What to do by when</h2>
      {list.length === 0 ? (
        <p className="muted">Nothing to do: no exit or challenge is waiting for you.</p>
      ) : (
        <ol aria-label="Deadlines">
          {list.map((d, i) => (
            <li key={i} data-urgency={d.urgency}>
              <strong>{d.by === null ? 'Now' : showTime(d.by, now)}</strong>: {d.action}.{' '}
              <span className="muted">{d.why}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ExitsTable({ signer }: { signer: Signer | null }) {
  const tokens = useChainStore((s) => s.tokens);
  const { exits, process, action, refresh } = useExitStore();
  const busy = action?.activity != null;
  const now = nowSeconds();
  const sorted = [...exits].sort((a, b) => a.exitableAt - b.exitableAt);
  return (
    <section className="panel" aria-labelledby="exits-title">
      <div className="panel-head">
        <h2 id="exits-title">Your exits ({exits.length})</h2>
        <button type="button" className="secondary" onClick={() => void refresh()}>
          Refresh exits
        </button>
      </div>
      {sorted.length === 0 ? (
        <p className="muted">No exits yet.</p>
      ) : (
        <table aria-label="Exits">
          <thead>
            <tr>
              <th scope="col">Output</th>
              <th scope="col">Amount</th>
              <th scope="col">State</th>
              <th scope="col">Exitable at</th>
              <th scope="col">Queue</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((e) => {
              const open = e.state === 'started' || e.state === 'exitable';
              const count = (e.exitsBefore ?? 0) + 1;
              return (
                <tr key={e.exitId} data-testid={`exit-${e.utxoPos}`}>
                  <td>
                    <code>{e.utxoPos}</code>
                  </td>
                  <td>{showAmount(e.amount, tokenOf(tokens, e.token))}</td>
                  <td>
                    {stateWords[e.state]}
                    {e.invalid ? ' (invalid)' : ''}
                  </td>
                  <td>{showTime(e.exitableAt, now)}</td>
                  <td>
                    {e.exitsBefore === null
                      ? '—'
                      : e.exitsBefore === 0
                        ? 'next'
                        : `${e.exitsBefore} before it`}
                  </td>
                  <td>
                    {open && (
                      <button
                        type="button"
                        disabled={!signer || busy || e.state !== 'exitable'}
                        aria-label={`Process exits of output ${e.utxoPos}`}
                        onClick={() => signer && void process(signer, e.token, count)}
                      >
                        Process {count} exit{count === 1 ? '' : 's'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ExitActionStatus prefix="process:" />
    </section>
  );
}

function OutputsTable({ signer }: { signer: Signer | null }) {
  const child = useAccountStore((s) => s.child);
  const tokens = useChainStore((s) => s.tokens);
  const { exits, exitOutput, action, outbox } = useExitStore();
  const [review, setReview] = useState<ExitData | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = action?.activity != null;
  const exiting = new Set([...exits.map((e) => e.utxoPos), ...outbox.map((o) => o.utxoPos)]);
  const rows = utxoRows(child?.utxos ?? [], tokens).filter((u) => !exiting.has(u.utxoPos));

  async function open(utxoPos: string) {
    try {
      setProblem(null);
      setReview(await request('exit.data', { utxoPos }));
    } catch (error) {
      setReview(null);
      setProblem(errorText(error));
    }
  }
  // An exit asked for from Home's outputs list opens its review at once.
  const reviewing = useExitStore((s) => s.reviewing);
  useEffect(() => {
    if (reviewing === null) return;
    useExitStore.getState().review(null);
    request('exit.data', { utxoPos: reviewing }).then(setReview, (error: unknown) =>
      setProblem(errorText(error)),
    );
  }, [reviewing]);

  return (
    <section className="panel" aria-labelledby="exit-outputs-title">
      <h2 id="exit-outputs-title">Exit one output</h2>
      {rows.length === 0 ? (
        <p className="muted">No outputs left to exit.</p>
      ) : (
        <ul aria-label="Outputs to exit" className="plain">
          {rows.map((u) => (
            <li key={u.utxoPos}>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                aria-label={`Review the exit of output ${u.utxoPos}`}
                onClick={() => void open(u.utxoPos)}
              >
                Exit…
              </button>{' '}
              {u.amount} — {u.position}
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {review && (
        <div role="region" aria-label="Exit review">
          <dl>
            <dt>Output</dt>
            <dd>
              <code>{review.utxoPos}</code>:{' '}
              {showAmount(review.amount, tokenOf(tokens, review.token))}
            </dd>
            <dt>Bond (returned when the exit is processed)</dt>
            <dd data-testid="exit-bond">{formatEther(review.bond)} ETH</dd>
            <dt>Earliest processing</dt>
            <dd>{showTime(review.earliestProcessingAt, nowSeconds())}</dd>
            <dt>Exit queue</dt>
            <dd>
              {review.queueExists
                ? review.exitsBefore === 0
                  ? 'first: no exit of this token would be processed before it'
                  : `${review.exitsBefore} exit${review.exitsBefore === 1 ? '' : 's'} of this token (everybody’s) would be processed before it`
                : 'missing: Vigil opens it first (one more transaction)'}
            </dd>
          </dl>
          <button
            type="button"
            disabled={!signer || busy}
            onClick={() =>
              signer && void exitOutput(signer, review.utxoPos).then(() => setReview(null))
            }
          >
            Sign and start the exit
          </button>
        </div>
      )}
      <ExitActionStatus prefix="exit:" />
    </section>
  );
}

/** The offline proof bundle: export it while the chain is fine, import it when the operator is gone. */
function BundlePanel({ address }: { address: string | null }) {
  const [exported, setExported] = useState<BundleExport | null>(null);
  const [text, setText] = useState('');
  const [report, setReport] = useState<BundleImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = useExitStore((s) => s.refresh);
  const review = useExitStore((s) => s.review);

  async function run<T>(job: () => Promise<T>, done: (value: T) => void) {
    try {
      setProblem(null);
      done(await job());
    } catch (error) {
      setProblem(errorText(error));
    }
  }

  return (
    <section className="panel" aria-labelledby="bundle-title">
      <h2 id="bundle-title">Exit proofs for when the operator is gone</h2>
      <p className="muted">
        The bundle holds what an exit of each of your outputs needs, checked against the roots on
        Ethereum. Keep a copy somewhere safe: with it, any install of Vigil can exit your outputs
        without the operator or a watcher.
      </p>
      <button
        type="button"
        className="secondary"
        disabled={!address}
        onClick={() =>
          address && void run(() => request('exit.bundle.export', { address }), setExported)
        }
      >
        Export exit proofs
      </button>
      {exported && (
        <label className="field">
          Exit proof bundle ({exported.entries} output{exported.entries === 1 ? '' : 's'}): copy it
          and keep it safe
          <textarea readOnly rows={4} value={exported.json} />
        </label>
      )}
      <label className="field">
        Paste an exit proof bundle to import
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={text.trim() === ''}
        onClick={() =>
          void run(
            () => request('exit.bundle.import', { json: text }),
            (r) => {
              setReport(r);
              void refresh();
            },
          )
        }
      >
        Check and import
      </button>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {report && (
        <div role="status" aria-label="Import report">
          <p>
            {report.accepted.length} output{report.accepted.length === 1 ? '' : 's'} accepted: their
            proofs match the roots on Ethereum.
          </p>
          {report.accepted.length > 0 && (
            <ul aria-label="Imported outputs" className="plain">
              {report.accepted.map((utxoPos) => (
                <li key={utxoPos}>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Review the exit of imported output ${utxoPos}`}
                    onClick={() => review(utxoPos)}
                  >
                    Exit…
                  </button>{' '}
                  <code>{utxoPos}</code>
                </li>
              ))}
            </ul>
          )}
          {report.rejected.length > 0 && (
            <ul aria-label="Refused entries">
              {report.rejected.map((r) => (
                <li key={r.entry}>
                  <code>{r.entry}</code>: {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export function ExitsScreen() {
  const refresh = useExitStore((s) => s.refresh);
  const error = useExitStore((s) => s.error);
  const signer = useSigner();
  // The shell follows exits and safe mode; opening the screen reads them afresh.
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <>
      <SafeModePanel />
      {!signer && (
        <p role="alert" className="error">
          This account cannot sign (watch-only or the chain is not known yet): exits are shown but
          cannot be started from here.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          Could not read the exits: {error}
        </p>
      )}
      <DeadlinesPanel />
      <ExitEverythingPanel signer={signer} />
      <ExitsTable signer={signer} />
      <OutputsTable signer={signer} />
      <BundlePanel address={signer?.owner ?? null} />
    </>
  );
}
