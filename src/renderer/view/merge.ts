// Merging UTXOs: 2–4 outputs of one token into one, free of fees (the operator refuses a merge that
// leaves a fee: spec ledger rule), built by the protocol library and reviewed before signing.
import { mergeUtxosTx } from '../../plasma/build';
import type { Utxo } from '../../plasma/types';
import type { UtxoView } from '../../shared/wallet';
import { utxosFromViews } from '../wallet/coin-selection';
import { reviewTransaction, type SpendingTx, type TransactionReview } from '../wallet/signing';

export interface MergePlan {
  spending: SpendingTx;
  review: TransactionReview;
}

/** The free merge of `utxos` for `from`. */
export function mergeOf(from: string, utxos: readonly Utxo[]): MergePlan {
  const spending = { tx: mergeUtxosTx(utxos), inputs: utxos };
  return { spending, review: reviewTransaction(spending, from) };
}

/** The merge of the chosen positions; throws a plain-words error for a choice that cannot merge. */
export function planMerge(
  from: string,
  views: readonly UtxoView[],
  chosen: readonly string[],
): MergePlan {
  const picked = new Set(chosen);
  return mergeOf(from, utxosFromViews(views.filter((v) => picked.has(v.utxoPos))));
}
