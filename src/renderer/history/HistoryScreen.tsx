// The account's history (sent, received, deposits) with search by hash, address or metadata text.
import { useAccountStore } from '../state/account-store';
import { tokenOf, useChainStore } from '../state/chain-store';
import { showAmount } from '../view/balances';

const kindWords = { sent: 'Sent', received: 'Received', self: 'To yourself', deposit: 'Deposit' };

export function HistoryScreen() {
  const { history, search, setSearch, error } = useAccountStore();
  const tokens = useChainStore((s) => s.tokens);
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <label className="field">
        Search
        <input
          type="search"
          value={search}
          placeholder="transaction hash, address or note"
          maxLength={200}
          onChange={(e) => void setSearch(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="error">
          The history could not be read: {error} Check the status bar, then search again.
        </p>
      )}
      {history.length === 0 ? (
        <p className="muted">{search ? 'Nothing matches that search.' : 'No transactions yet.'}</p>
      ) : (
        <table aria-label="Transactions">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Amount</th>
              <th scope="col">With</th>
              <th scope="col">Block</th>
              <th scope="col">Note</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {history.map((item) => (
              <tr key={`${item.txHash}-${item.kind}`}>
                <td>{kindWords[item.kind]}</td>
                <td>
                  {item.amounts.map((a) => (
                    <div key={a.token}>
                      {a.amount.startsWith('-')
                        ? `-${showAmount(a.amount.slice(1), tokenOf(tokens, a.token))}`
                        : showAmount(a.amount, tokenOf(tokens, a.token))}
                    </div>
                  ))}
                </td>
                <td>
                  {item.counterparties.map((c) => (
                    <code key={c} className="hash">
                      {c}
                    </code>
                  ))}
                </td>
                <td>
                  {item.blknum} · {item.txindex}
                </td>
                <td>{item.metadataText ?? ''}</td>
                <td>
                  <code className="hash">{item.txHash}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
