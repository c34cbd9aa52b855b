// Reviewing and signing a child-chain transaction in the renderer. The review is computed from the
// transaction that will be signed (its inputs and outputs), not from what the user asked for, so the
// screen shows exactly what moves. Signing is EIP-712 (src/plasma eip712) with the vault's key; the
// result is the signed transaction hex main relays with chain.submit.

import { encodePayment, encodeSigned, txHash } from '../../plasma/tx';
import { bytesToHex } from '../../plasma/hex';
import type { Address, Hex, PaymentTx, Utxo } from '../../plasma/types';
import type { AccountSigner } from './vault';
import { WalletError } from './errors';

export interface TokenAmount {
  token: Address;
  amount: bigint;
}

/** What a transaction does for its sender, for the screen to show before signing. */
export interface TransactionReview {
  from: Address;
  inputs: { utxoPos: bigint; token: Address; amount: bigint }[];
  outputs: { owner: Address; token: Address; amount: bigint; toSelf: boolean }[];
  /** Paid to other addresses, per token. */
  sent: TokenAmount[];
  /** Returned to the sender (change, or the whole output of a merge), per token. */
  change: TokenAmount[];
  /** Inputs minus outputs, per token: what the operator keeps. */
  fee: TokenAmount[];
  metadata: Hex;
  /** The transaction's hash (of its unsigned bytes), as the chain will know it. */
  txHash: Hex;
}

export interface SignedTransaction {
  /** The signed transaction's bytes as 0x hex: chain.submit's `transaction`. */
  transaction: Hex;
  txHash: Hex;
  review: TransactionReview;
}

/** A transaction with the UTXOs it spends (a CoinSelection or a MergeProposal is one). */
export interface SpendingTx {
  tx: PaymentTx;
  inputs: readonly Utxo[];
}

function addTo(list: TokenAmount[], token: Address, amount: bigint): void {
  const entry = list.find((e) => e.token === token);
  if (entry) entry.amount += amount;
  else list.push({ token, amount });
}

/**
 * The review of `spending` for `from`. Refuses (`invalid_argument`) a transaction whose inputs are not
 * exactly the given UTXOs, all owned by `from`, or whose outputs exceed its inputs in some token.
 */
export function reviewTransaction(spending: SpendingTx, from: string): TransactionReview {
  const sender = from.toLowerCase() as Address;
  const { tx, inputs } = spending;
  const byPos = new Map(inputs.map((u) => [u.utxoPos, u]));
  const spent = tx.inputs.map((pos) => byPos.get(pos));
  if (spent.length !== inputs.length || spent.some((u) => u === undefined)) {
    throw new WalletError(
      'invalid_argument',
      'The transaction does not spend the UTXOs it was built from.',
    );
  }
  if (spent.some((u) => u!.owner.toLowerCase() !== sender)) {
    throw new WalletError(
      'invalid_argument',
      `The transaction spends UTXOs that do not belong to ${sender}.`,
    );
  }
  const txBytes = encodePayment(tx);
  const review: TransactionReview = {
    from: sender,
    inputs: spent.map((u) => ({ utxoPos: u!.utxoPos, token: u!.token, amount: u!.amount })),
    outputs: tx.outputs.map((o) => ({
      owner: o.outputGuard,
      token: o.token,
      amount: o.amount,
      toSelf: o.outputGuard.toLowerCase() === sender,
    })),
    sent: [],
    change: [],
    fee: [],
    metadata: tx.metadata,
    txHash: txHash(txBytes),
  };
  for (const i of review.inputs) addTo(review.fee, i.token, i.amount);
  for (const o of review.outputs) {
    addTo(o.toSelf ? review.change : review.sent, o.token, o.amount);
    addTo(review.fee, o.token, -o.amount);
  }
  if (review.fee.some((f) => f.amount < 0n)) {
    throw new WalletError('invalid_argument', 'The transaction pays out more than it spends.');
  }
  review.fee = review.fee.filter((f) => f.amount > 0n);
  return review;
}

/**
 * Signs `spending` with `signer` for the PlasmaFramework at `verifyingContract` (the network profile's
 * plasma_framework). Every input must be the signer's.
 */
export function signTransaction(
  signer: AccountSigner,
  spending: SpendingTx,
  verifyingContract: Address,
): SignedTransaction {
  const review = reviewTransaction(spending, signer.address);
  const sigs = signer.signPayment(spending.tx, verifyingContract);
  return {
    transaction: bytesToHex(encodeSigned({ tx: spending.tx, sigs })),
    txHash: review.txHash,
    review,
  };
}
