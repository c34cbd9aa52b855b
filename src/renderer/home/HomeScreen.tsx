// Home: both chains' balances side by side, the UTXOs with their positions and the payments
// still waiting for a validated block.
import { useAccountStore } from '../state/account-store';
import { useChainStore } from '../state/chain-store';
import { useExitStore } from '../state/exit-store';
import { useNavStore } from '../state/nav-store';
import { balanceRows, utxoRows } from '../view/balances';

export function HomeScreen() {
  const { child, ethereum, pending, loading, error, refresh } = useAccountStore();
  const tokens = useChainStore((s) => s.tokens);
  const rows = balanceRows(child, ethereum, tokens);
  const utxos = utxoRows(child?.utxos ?? [], tokens);
  const go = useNavStore((s) => s.go);
  const review = useExitStore((s) => s.review);
  const exitOf = (utxoPos: string) => {
    review(utxoPos);
    go('exits');
  };
  return (
    <>
      <section className="panel" aria-labelledby="balances-title">
        <div className="panel-head">
          <h2 id="balances-title">Balances</h2>
          <button type="button" onClick={() => void refresh()} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        {error && (
          <p role="alert" className="error">
            Could not read this account: {error} Check the status bar, then press Refresh.
          </p>
        )}
        <table aria-label="Balances">
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">On the Plasma chain</th>
              <th scope="col">On Ethereum</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.token} data-testid={`balance-${row.symbol}`}>
                <th scope="row">{row.symbol}</th>
                <td>{row.childChain}</td>
                <td>{row.ethereum}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {pending.length > 0 && (
        <section className="panel" aria-labelledby="pending-title">
          <h2 id="pending-title">Waiting for a validated block</h2>
          <ul aria-label="Pending payments">
            {pending.map((p) => (
              <li key={p.txHash}>
                {p.summary} — in block {p.blknum}, not validated yet <code>{p.txHash}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel" aria-labelledby="utxos-title">
        <h2 id="utxos-title">Outputs you can spend ({utxos.length})</h2>
        {utxos.length === 0 ? (
          <p className="muted">No outputs on the Plasma chain yet: deposit to get one.</p>
        ) : (
          <table aria-label="Outputs">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Where</th>
                <th scope="col">Amount</th>
                <th scope="col">Transaction</th>
                <th scope="col">To Ethereum</th>
              </tr>
            </thead>
            <tbody>
              {utxos.map((u) => (
                <tr key={u.utxoPos}>
                  <td>
                    <code>{u.utxoPos}</code>
                  </td>
                  <td>{u.position}</td>
                  <td>{u.amount}</td>
                  <td>
                    <code className="hash">{u.txHash}</code>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Exit output ${u.utxoPos} to Ethereum`}
                      onClick={() => exitOf(u.utxoPos)}
                    >
                      Exit…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
