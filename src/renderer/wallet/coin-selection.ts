// Coin selection for one payment: which of the account's UTXOs to spend for (token, amount) plus the
// operator's fee, preferring the fewest inputs, then an exact match (no change output), then the least
// change. The transaction itself is built by src/plasma createPaymentTx from the chosen inputs, so the
// outputs here are the protocol library's, not a second implementation. When the funds are spread over
// more UTXOs than one transaction may spend (4), the answer is a merge proposal: one merge transaction
// to submit first (free: the child chain charges no fee for one owner merging one token into fewer
// outputs, watcher.md §6 transaction.merge); select again once it is in a block.

import { createPaymentTx, InsufficientFundsError, mergeUtxosTx } from '../../plasma/build';
import { MAX_INPUTS, type Address, type Hex, type PaymentTx, type Utxo } from '../../plasma/types';
import type { UtxoView } from '../../shared/wallet';
import { fromDecimalString } from './amounts';
import { WalletError } from './errors';
import { parseAddress } from './vault';

export interface PaymentIntent {
  /** The sender (owner of the UTXOs, receiver of the change). */
  from: string;
  /** The recipient. */
  to: string;
  token: string;
  amount: bigint;
  /** The operator's fee for this payment (chain.fees), in a token it accepts; may be the same token. */
  fee: { token: string; amount: bigint };
  /** 32-byte metadata (metadata.ts encodes text); zeros by default. */
  metadata?: Hex;
}

/** Inputs chosen and the transaction built from them (outputs: change first, then the payment). */
export interface CoinSelection {
  kind: 'payment';
  inputs: Utxo[];
  tx: PaymentTx;
}

/**
 * The payment needs `inputsNeeded` > 4 inputs: merge `utxos` (2 to 4 of `token`, into one output to the
 * owner, fee-free: built by src/plasma mergeUtxosTx) with `tx` first, wait until it is in a validated
 * block, then select again. `mergesLeft` is how many merges (this one included) the payment needs.
 */
export interface MergeProposal {
  kind: 'merge';
  token: Address;
  inputsNeeded: number;
  mergesLeft: number;
  utxos: Utxo[];
  /** Every input of `tx`, in its order (the same as `utxos`). */
  inputs: Utxo[];
  tx: PaymentTx;
}

/** How many candidate combinations the exact-match search may try (it stays well under a frame). */
const EXACT_SEARCH_BUDGET = 200_000;

/** The UTXOs main reported (ChildAccount.utxos) in the protocol library's form: bigint amounts, lowercase hex. */
export function utxosFromViews(views: readonly UtxoView[]): Utxo[] {
  return views.map((v) => ({
    utxoPos: fromDecimalString(v.utxoPos, 'utxo position'),
    owner: parseAddress(v.owner),
    token: parseAddress(v.token),
    amount: fromDecimalString(v.amount),
  }));
}

const byAmountDesc = (a: Utxo, b: Utxo) =>
  a.amount !== b.amount ? (a.amount > b.amount ? -1 : 1) : a.utxoPos < b.utxoPos ? -1 : 1;

const sum = (us: readonly Utxo[]) => us.reduce((s, u) => s + u.amount, 0n);

/** The fewest UTXOs (of one token, sorted largest first) whose sum reaches `need`; Infinity if none. */
function minimumCount(sorted: readonly Utxo[], need: bigint): number {
  let total = 0n;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= need) return i;
    total += sorted[i]!.amount;
  }
  return total >= need ? sorted.length : Infinity;
}

/** `size` UTXOs summing exactly to `need`, or null (bounded search: the last one by lookup). */
function exactSubset(sorted: readonly Utxo[], need: bigint, size: number): Utxo[] | null {
  const byAmount = new Map<bigint, number[]>();
  sorted.forEach((u, i) => {
    const list = byAmount.get(u.amount);
    if (list) list.push(i);
    else byAmount.set(u.amount, [i]);
  });
  let budget = EXACT_SEARCH_BUDGET;
  const chosen: number[] = [];
  const search = (start: number, left: bigint): Utxo[] | null => {
    if (chosen.length === size - 1) {
      const last = byAmount.get(left)?.find((i) => i >= start);
      return last === undefined ? null : [...chosen, last].map((i) => sorted[i]!);
    }
    for (let i = start; i < sorted.length && budget-- > 0; i++) {
      if (sorted[i]!.amount >= left) continue;
      chosen.push(i);
      const found = search(i + 1, left - sorted[i]!.amount);
      chosen.pop();
      if (found) return found;
    }
    return null;
  };
  return search(0, need);
}

/**
 * The inputs for `need` of one token: the fewest (k), an exact match among sets of k if there is one,
 * else the k - 1 largest and the smallest that completes them. Every input chosen is necessary (any
 * k - 1 of them fall short), so createPaymentTx spends them all.
 */
function pick(sorted: readonly Utxo[], need: bigint): Utxo[] {
  if (need === 0n) return [];
  const k = minimumCount(sorted, need);
  const exact = exactSubset(sorted, need, k);
  if (exact) return exact;
  const largest = sorted.slice(0, k - 1);
  const rest = need - sum(largest);
  const last = sorted
    .slice(k - 1)
    .filter((u) => u.amount >= rest)
    .at(-1)!;
  return [...largest, last];
}

function lower(address: string, what: string): Address {
  try {
    return parseAddress(address);
  } catch (cause) {
    throw new WalletError('invalid_address', `The ${what} is not a valid address.`, { cause });
  }
}

function positiveAmount(amount: bigint, what: string, allowZero = false): bigint {
  if (typeof amount !== 'bigint' || amount < 0n || (!allowZero && amount === 0n)) {
    throw new WalletError(
      'invalid_amount',
      `The ${what} must be ${allowZero ? 'zero or more' : 'more than zero'}.`,
    );
  }
  return amount;
}

/**
 * Chooses the inputs for `intent` from `utxos` (the account's; others' and `exclude`d positions —
 * inputs of payments still pending — are ignored). Returns the payment, or a merge proposal when it
 * needs more than 4 inputs. Throws src/plasma InsufficientFundsError (`insufficient_funds`, with
 * `missing` per token) when the funds do not cover it.
 */
export function selectCoins(
  utxos: readonly Utxo[],
  intent: PaymentIntent,
  exclude: readonly bigint[] = [],
): CoinSelection | MergeProposal {
  const from = lower(intent.from, 'sender');
  const to = lower(intent.to, 'recipient');
  const token = lower(intent.token, 'token');
  const fee = {
    token: lower(intent.fee.token, 'fee token'),
    amount: positiveAmount(intent.fee.amount, 'fee', true),
  };
  const amount = positiveAmount(intent.amount, 'amount');
  const skip = new Set(exclude);
  // Zero-amount outputs cannot exist on chain; one reported anyway is skipped rather than spent.
  const mine = utxos.filter(
    (u) => u.owner.toLowerCase() === from && u.amount > 0n && !skip.has(u.utxoPos),
  );
  const sorted = (t: Address) => mine.filter((u) => u.token.toLowerCase() === t).sort(byAmountDesc);

  const needs = new Map<Address, bigint>([[token, amount]]);
  if (fee.amount > 0n) needs.set(fee.token, (needs.get(fee.token) ?? 0n) + fee.amount);
  const missing = [...needs]
    .map(([t, need]) => ({ token: t, amount: need - sum(sorted(t)) }))
    .filter((m) => m.amount > 0n);
  if (missing.length > 0) throw new InsufficientFundsError(missing);

  const counts = new Map([...needs].map(([t, need]) => [t, minimumCount(sorted(t), need)]));
  const inputsNeeded = [...counts.values()].reduce((a, b) => a + b, 0);
  if (inputsNeeded <= MAX_INPUTS) {
    const inputs = [...needs].flatMap(([t, need]) => pick(sorted(t), need));
    const tx = createPaymentTx({
      from,
      utxos: inputs,
      payments: [{ owner: to, token, amount }],
      fee,
      ...(intent.metadata === undefined ? {} : { metadata: intent.metadata }),
    });
    return { kind: 'payment', inputs, tx };
  }
  return proposeMerge(counts, inputsNeeded, sorted);
}

function proposeMerge(
  counts: Map<Address, number>,
  inputsNeeded: number,
  sorted: (t: Address) => Utxo[],
): MergeProposal {
  // Merge the largest outputs of the token that needs the most inputs: merging k of them saves k - 1
  // inputs. (With at most two tokens and more than 4 inputs needed, that token has at least 3.)
  const [token] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const candidates = sorted(token);
  const reduction = inputsNeeded - MAX_INPUTS;
  const utxos = candidates.slice(0, Math.min(MAX_INPUTS, reduction + 1, candidates.length));
  return {
    kind: 'merge',
    token,
    inputsNeeded,
    mergesLeft: Math.ceil(reduction / (MAX_INPUTS - 1)),
    utxos,
    inputs: utxos,
    tx: mergeUtxosTx(utxos),
  };
}
