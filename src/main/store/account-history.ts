// The store's queries for one account's history (the wallet's chain.history): the child-chain
// transactions that created or spent an output of the account, the outputs each transaction spent,
// and the account's deposits. Read-only SQL over `outputs` (every output, spent or not) and `spends`
// (schema 5), through the owner indexes. The wallet turns the rows into history items (src/main/wallet).
import type { Address } from '../../plasma/types';
import { addressBytes, joinPosition, toHex, userAddress, wholeNumber } from './codec';
import { translateSqliteError } from './errors';
import type { StoredDeposit, StoredTransaction, WatcherStore } from './store';

/** An output a transaction spent, as the spend index kept it. */
export interface SpentInput {
  utxoPos: bigint;
  owner: Address;
  token: Address;
  amount: bigint;
}

type Row = unknown[];

function guarded<T>(store: WatcherStore, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw translateSqliteError(e, store.path);
  }
}

/**
 * The applied transactions that created an output owned by `address` or spent one of its outputs,
 * newest first, at most `limit`. Deposits are not transactions of a block: see accountDeposits.
 */
export function accountTransactions(
  store: WatcherStore,
  address: Address,
  limit: number,
): StoredTransaction[] {
  const owner = addressBytes(userAddress(address));
  const max = wholeNumber(limit, 'history limit');
  return guarded(store, () =>
    (
      store.db
        .prepare(
          `WITH mine (blknum, txindex) AS (
             SELECT blknum, txindex FROM outputs WHERE owner = :owner
             UNION SELECT s.spending_blknum, s.spending_txindex
               FROM outputs o JOIN spends s
                 ON s.blknum = o.blknum AND s.txindex = o.txindex AND s.oindex = o.oindex
               WHERE o.owner = :owner AND s.spent_by = 'tx'
           )
           SELECT t.blknum, t.txindex, t.txhash, t.signed_bytes, t.tx_bytes
             FROM mine m JOIN transactions t ON t.blknum = m.blknum AND t.txindex = m.txindex
             ORDER BY t.blknum DESC, t.txindex DESC LIMIT :max`,
        )
        .raw()
        .all({ owner, max }) as Row[]
    ).map((r) => ({
      blknum: BigInt(r[0] as number),
      txindex: r[1] as number,
      txHash: toHex(r[2] as Buffer),
      signedBytes: r[3] as Buffer,
      txBytes: r[4] as Buffer,
    })),
  );
}

/** The outputs the transaction at (blknum, txindex) spent, in position order. */
export function inputsSpentBy(store: WatcherStore, blknum: bigint, txindex: number): SpentInput[] {
  return guarded(store, () =>
    (
      store.db
        .prepare(
          `SELECT blknum, txindex, oindex, owner, token, amount FROM spent_outputs
             WHERE spent_by = 'tx' AND spending_blknum = ? AND spending_txindex = ?
             ORDER BY blknum, txindex, oindex`,
        )
        .raw()
        .all(Number(blknum), txindex) as Row[]
    ).map((r) => ({
      utxoPos: joinPosition(r[0] as number, r[1] as number, r[2] as number),
      owner: toHex(r[3] as Buffer),
      token: toHex(r[4] as Buffer),
      amount: BigInt(r[5] as string),
    })),
  );
}

/** The deposits made to `address`, newest first, at most `limit`. */
export function accountDeposits(
  store: WatcherStore,
  address: Address,
  limit: number,
): StoredDeposit[] {
  const owner = addressBytes(userAddress(address));
  const max = wholeNumber(limit, 'history limit');
  const blknums = guarded(
    store,
    () =>
      store.db
        .prepare('SELECT blknum FROM deposits WHERE owner = ? ORDER BY blknum DESC LIMIT ?')
        .pluck()
        .all(owner, max) as number[],
  );
  return blknums.flatMap((b) => {
    const d = store.getDeposit(BigInt(b));
    return d ? [d] : [];
  });
}
