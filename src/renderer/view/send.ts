// The Send screen's logic: the form checked field by field (recipient checksum, amount against the
// token's decimals, a fee the operator accepts), coin selection by the wallet core, and the review
// as lines a person reads before signing. Pure: unit-tested without a DOM.
import { InsufficientFundsError } from '../../plasma/build';
import { encodeMetadata } from '../../plasma/metadata';
import type { FeeOption, TokenInfo, UtxoView } from '../../shared/wallet';
import { parseAmount } from '../wallet/amounts';
import {
  selectCoins,
  utxosFromViews,
  type CoinSelection,
  type MergeProposal,
} from '../wallet/coin-selection';
import { reviewTransaction, type SpendingTx, type TransactionReview } from '../wallet/signing';
import { parseAddress } from '../wallet/vault';
import { tokenOf } from '../state/chain-store';
import { errorText } from '../state/errors';
import { showAmount } from './balances';
import { mergeOf } from './merge';

export interface SendForm {
  to: string;
  token: string;
  amount: string;
  feeToken: string;
  note: string;
}

export interface SendContext {
  from: string;
  utxos: readonly UtxoView[];
  fees: readonly FeeOption[];
  tokens: Record<string, TokenInfo>;
  /** UTXOs already spent by pending payments. */
  exclude: readonly string[];
}

export type SendPlan =
  | { kind: 'payment'; spending: CoinSelection; review: TransactionReview }
  | { kind: 'merge'; proposal: MergeProposal; spending: SpendingTx; review: TransactionReview };

/** A field-level refusal: which field and what to do. */
export class SendFormError extends Error {
  constructor(
    readonly field: keyof SendForm | null,
    message: string,
  ) {
    super(message);
    this.name = 'SendFormError';
  }
}

function attempt<T>(field: keyof SendForm, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new SendFormError(field, errorText(error));
  }
}

/** Checks the form and selects the coins: a payment to review, or a merge to do first. */
export function planSend(form: SendForm, ctx: SendContext): SendPlan {
  const to = attempt('to', () => parseAddress(form.to));
  const token = tokenOf(ctx.tokens, form.token);
  const amount = attempt('amount', () => parseAmount(form.amount, token.decimals));
  if (amount === 0n) throw new SendFormError('amount', 'Enter an amount above zero.');
  const fee = ctx.fees.find((f) => f.token === form.feeToken);
  if (!fee)
    throw new SendFormError(
      'feeToken',
      'Choose a fee token from the operator’s list (the list is empty while the operator is unreachable).',
    );
  const metadata = form.note.trim()
    ? attempt('note', () => encodeMetadata(form.note.trim()))
    : undefined;
  let spending: CoinSelection | MergeProposal;
  try {
    spending = selectCoins(
      utxosFromViews(ctx.utxos),
      {
        from: ctx.from,
        to,
        token: token.address,
        amount,
        fee: { token: fee.token, amount: BigInt(fee.amount) },
        ...(metadata ? { metadata } : {}),
      },
      ctx.exclude.map((p) => BigInt(p)),
    );
  } catch (error) {
    throw new SendFormError('amount', shortfallText(error, ctx.tokens));
  }
  if (spending.kind === 'payment')
    return { kind: 'payment', spending, review: reviewTransaction(spending, ctx.from) };
  // Merges are free on the chain (a merge leaving a fee is refused): merge the proposed outputs of
  // the token without the proposal's fee.
  const merge = mergeOf(ctx.from, spending.utxos);
  return { kind: 'merge', proposal: spending, spending: merge.spending, review: merge.review };
}

/** "Not enough funds: 0.5 ETH more is needed…" from the protocol library's shortfall. */
export function shortfallText(error: unknown, tokens: Record<string, TokenInfo>): string {
  if (error instanceof InsufficientFundsError) {
    const parts = error.missing.map((m) => showAmount(m.amount, tokenOf(tokens, m.token)));
    return `Not enough funds on the Plasma chain: ${parts.join(' and ')} more is needed to cover the amount and the fee. Send less or deposit more.`;
  }
  return errorText(error);
}

export interface ReviewLines {
  inputs: string[];
  outputs: string[];
  sent: string[];
  change: string[];
  fee: string[];
}

/** Exactly what moves, as text: every input and output, what goes out, what comes back, the fee. */
export function reviewLines(
  review: TransactionReview,
  tokens: Record<string, TokenInfo>,
): ReviewLines {
  const amount = (token: string, value: bigint) => showAmount(value, tokenOf(tokens, token));
  return {
    inputs: review.inputs.map((i) => `${amount(i.token, i.amount)} from output ${i.utxoPos}`),
    outputs: review.outputs.map(
      (o) => `${amount(o.token, o.amount)} to ${o.owner}${o.toSelf ? ' (you)' : ''}`,
    ),
    sent: review.sent.map((s) => amount(s.token, s.amount)),
    change: review.change.map((c) => amount(c.token, c.amount)),
    fee: review.fee.map((f) => amount(f.token, f.amount)),
  };
}
