// Building payments from a wallet's UTXOs: coin selection for the payments plus the fee, change back to
// the sender, at most 4 inputs and 4 outputs. Selection and output order follow omg-js
// `createTransactionBody`, so the same request gives the same bytes; where omg-js misbehaves (zero
// amounts, a silently cut fifth input, case-sensitive token matching) we refuse with a clear error.

import { PlasmaError } from './errors';
import { isHex } from './hex';
import { decodeUtxoPos } from './position';
import {
  MAX_INPUTS,
  MAX_OUTPUTS,
  NULL_METADATA,
  OUTPUT_TYPE_PAYMENT,
  TX_TYPE_PAYMENT,
  type Address,
  type Hex,
  type Output,
  type PaymentTx,
  type Utxo,
} from './types';

export interface PaymentRequest {
  owner: Address;
  token: Address;
  amount: bigint;
}

export interface FeeRequest {
  token: Address;
  /** May be 0 (a fee-free transaction). */
  amount: bigint;
}

export interface CreatePaymentArgs {
  /** The sender: owner of every UTXO, receiver of the change. */
  from: Address;
  /** The sender's spendable UTXOs, in the order to consider them. */
  utxos: readonly Utxo[];
  payments: readonly PaymentRequest[];
  fee: FeeRequest;
  /** 32-byte metadata; all zeros by default. */
  metadata?: Hex;
}

/** Not enough funds: how much more of each token the payments and the fee need. */
export class InsufficientFundsError extends PlasmaError {
  constructor(readonly missing: { token: Address; amount: bigint }[]) {
    const parts = missing.map((m) => `${m.amount} more of ${m.token}`);
    super(
      'insufficient_funds',
      `Insufficient funds: needs ${parts.join(' and ')} to cover the payments and the fee.`,
    );
  }
}

/**
 * The funds exist but are spread over more UTXOs than one transaction may spend. `merge` lists groups
 * of 2–4 UTXOs of one token to merge first (each with `mergeUtxosTx`); then build the payment again.
 */
export class TooManyInputsError extends PlasmaError {
  constructor(
    readonly needed: number,
    readonly merge: Utxo[][],
  ) {
    super(
      'too_many_inputs',
      `This payment needs ${needed} inputs but a transaction may spend at most ${MAX_INPUTS}; ` +
        `merge ${merge.map((g) => `${g.length} UTXOs of ${g[0]!.token}`).join(', then ')} first.`,
    );
  }
}

// Addresses are compared as strings, so they must arrive in one spelling: lowercase (STYLE.md). A
// mixed-case token here is how omg-js came to call a funded payment "insufficient" (vectors quirk).
function lowerAddress(value: unknown, what: string): Address {
  if (!isHex(value, 20)) {
    throw new PlasmaError(
      'malformed_address',
      `The ${what} ${JSON.stringify(value)} is not an address (0x and 40 hex digits).`,
    );
  }
  if (value !== value.toLowerCase()) {
    throw new PlasmaError(
      'malformed_address',
      `The ${what} ${value} must be lowercase hex; normalize addresses before building a payment so that tokens compare equal.`,
    );
  }
  return value;
}

function isZeroAddress(a: Address): boolean {
  return /^0x0{40}$/.test(a);
}

function amountOf(value: unknown, what: string, allowZero: boolean): bigint {
  if (typeof value !== 'bigint') {
    throw new PlasmaError('invalid_amount', `The ${what} must be a bigint, got a ${typeof value}.`);
  }
  if (value < 0n || (!allowZero && value === 0n)) {
    throw new PlasmaError(
      value === 0n ? 'amount_cant_be_zero' : 'invalid_amount',
      `The ${what} must be ${allowZero ? 'zero or more' : 'greater than zero'}; got ${value}.`,
    );
  }
  if (value >= 1n << 256n) {
    throw new PlasmaError('encoded_uint_too_big', `The ${what} ${value} does not fit in 256 bits.`);
  }
  return value;
}

function metadataOf(value: Hex | undefined): Hex {
  if (value === undefined) return NULL_METADATA;
  if (!isHex(value, 32)) {
    throw new PlasmaError('malformed_metadata', 'Metadata must be 32 bytes of 0x hex.');
  }
  return value.toLowerCase() as Hex;
}

function checkUtxos(from: Address, utxos: readonly Utxo[]): Utxo[] {
  const seen = new Set<bigint>();
  return utxos.map((u, i) => {
    decodeUtxoPos(u.utxoPos);
    if (seen.has(u.utxoPos)) {
      throw new PlasmaError(
        'duplicate_inputs',
        `UTXO ${u.utxoPos} is listed twice; each output can be spent once.`,
      );
    }
    seen.add(u.utxoPos);
    const owner = lowerAddress(u.owner, `owner of UTXO ${i}`);
    if (owner !== from) {
      throw new PlasmaError(
        'unauthorized_spend',
        `UTXO ${u.utxoPos} belongs to ${owner}, not to the sender ${from}; only the sender's UTXOs can be spent.`,
      );
    }
    return {
      utxoPos: u.utxoPos,
      owner,
      token: lowerAddress(u.token, `token of UTXO ${i}`),
      amount: amountOf(u.amount, `amount of UTXO ${u.utxoPos}`, false),
    };
  });
}

/** Sum per token in first-seen order. */
function totals(items: readonly { token: Address; amount: bigint }[]): Map<Address, bigint> {
  const m = new Map<Address, bigint>();
  for (const it of items) m.set(it.token, (m.get(it.token) ?? 0n) + it.amount);
  return m;
}

/** omg-js order: walk the UTXOs as given, take one while its token still needs more. */
function selectInOrder(utxos: readonly Utxo[], needed: Map<Address, bigint>): Utxo[] {
  const left = new Map(needed);
  return utxos.filter((u) => {
    const n = left.get(u.token);
    if (n === undefined || n <= 0n) return false;
    left.set(u.token, n - u.amount);
    return true;
  });
}

/** Per token, the fewest UTXOs that cover the need: largest first. */
function selectLargestFirst(
  utxos: readonly Utxo[],
  needed: Map<Address, bigint>,
): Map<Address, Utxo[]> {
  const out = new Map<Address, Utxo[]>();
  for (const [token, need] of needed) {
    const picked: Utxo[] = [];
    let sum = 0n;
    const sorted = utxos
      .filter((u) => u.token === token)
      .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1));
    for (const u of sorted) {
      if (sum >= need) break;
      picked.push(u);
      sum += u.amount;
    }
    out.set(token, picked);
  }
  return out;
}

/**
 * Builds the payment: inputs chosen from `utxos` (in their order, as omg-js does), then one change
 * output per token back to `from` (tokens in payment order, the fee's token last), then the payments in
 * the order given. Throws `insufficient_funds`, `too_many_inputs` (with a merge suggestion) or
 * `too_many_outputs`; never drops or truncates anything.
 */
export function createPaymentTx(args: CreatePaymentArgs): PaymentTx {
  const from = lowerAddress(args.from, 'sender');
  if (isZeroAddress(from)) {
    throw new PlasmaError('output_guard_cant_be_zero', 'The sender cannot be the zero address.');
  }
  const utxos = checkUtxos(from, args.utxos);
  if (args.payments.length === 0) {
    throw new PlasmaError('empty_outputs', 'Add at least one payment.');
  }
  const payments = args.payments.map((p, i) => {
    const owner = lowerAddress(p.owner, `recipient of payment ${i}`);
    if (isZeroAddress(owner)) {
      throw new PlasmaError(
        'output_guard_cant_be_zero',
        `Payment ${i} goes to the zero address, which can never spend it.`,
      );
    }
    return {
      owner,
      token: lowerAddress(p.token, `token of payment ${i}`),
      amount: amountOf(p.amount, `amount of payment ${i}`, false),
    };
  });
  const fee = {
    token: lowerAddress(args.fee.token, 'fee token'),
    amount: amountOf(args.fee.amount, 'fee amount', true),
  };
  const metadata = metadataOf(args.metadata);

  const needed = totals([...payments, fee]);
  const available = totals(utxos);
  const missing = [...needed]
    .map(([token, need]) => ({ token, amount: need - (available.get(token) ?? 0n) }))
    .filter((m) => m.amount > 0n);
  if (missing.length > 0) throw new InsufficientFundsError(missing);

  let inputs = selectInOrder(utxos, needed);
  if (inputs.length > MAX_INPUTS) {
    const best = selectLargestFirst(utxos, needed);
    const count = [...best.values()].reduce((n, us) => n + us.length, 0);
    if (count > MAX_INPUTS) {
      const merge = mergeSuggestion(best);
      if (merge.length === 0) {
        throw new PlasmaError(
          'too_many_inputs',
          `This payment spends ${best.size} different tokens, which needs more than ${MAX_INPUTS} inputs; split it into several payments.`,
        );
      }
      throw new TooManyInputsError(count, merge);
    }
    // Keep the caller's order among the UTXOs we now use.
    const chosen = new Set([...best.values()].flat().map((u) => u.utxoPos));
    inputs = utxos.filter((u) => chosen.has(u.utxoPos));
  }

  const supplied = totals(inputs);
  const change: Output[] = [];
  for (const [token, need] of needed) {
    const c = (supplied.get(token) ?? 0n) - need;
    if (c > 0n)
      change.push({ outputType: OUTPUT_TYPE_PAYMENT, outputGuard: from, token, amount: c });
  }
  const outputs: Output[] = [
    ...change,
    ...payments.map((p) => ({
      outputType: OUTPUT_TYPE_PAYMENT,
      outputGuard: p.owner,
      token: p.token,
      amount: p.amount,
    })),
  ];
  if (outputs.length > MAX_OUTPUTS) {
    throw new PlasmaError(
      'too_many_outputs',
      `This payment needs ${outputs.length} outputs (${payments.length} payments and ${change.length} change); ` +
        `a transaction may have at most ${MAX_OUTPUTS}. Split it into several payments.`,
    );
  }
  return {
    txType: TX_TYPE_PAYMENT,
    inputs: inputs.map((u) => u.utxoPos),
    outputs,
    txData: 0n,
    metadata,
  };
}

/** Groups of 2–4 UTXOs to merge so that the payment then fits in 4 inputs (largest UTXOs first). */
function mergeSuggestion(best: Map<Address, Utxo[]>): Utxo[][] {
  const groups: Utxo[][] = [];
  let count = [...best.values()].reduce((n, us) => n + us.length, 0);
  const lists = [...best.values()].map((us) => us.slice()).sort((a, b) => b.length - a.length);
  for (const rest of lists) {
    while (count > MAX_INPUTS && rest.length >= 2) {
      // Merging k UTXOs into one saves k - 1 inputs.
      const group = rest.splice(0, Math.min(MAX_INPUTS, rest.length, count - MAX_INPUTS + 1));
      groups.push(group);
      count -= group.length - 1;
    }
  }
  return groups;
}

/**
 * The transaction merging 2–4 UTXOs of one owner and one token into a single output to that owner
 * (what a wallet does before a payment that would need too many inputs).
 */
export function mergeUtxosTx(utxos: readonly Utxo[], metadata?: Hex): PaymentTx {
  if (utxos.length < 2) {
    throw new PlasmaError('invalid_argument', 'Must merge at least 2 UTXOs; pick two or more.');
  }
  if (utxos.length > MAX_INPUTS) {
    throw new PlasmaError(
      'too_many_inputs',
      `Cannot merge ${utxos.length} UTXOs in one transaction; merge at most ${MAX_INPUTS} at a time.`,
    );
  }
  const owner = lowerAddress(utxos[0]!.owner, 'owner');
  const checked = checkUtxos(owner, utxos);
  const token = checked[0]!.token;
  if (checked.some((u) => u.token !== token)) {
    throw new PlasmaError(
      'invalid_argument',
      'All UTXOs to merge must hold the same token; merge each token separately.',
    );
  }
  const amount = checked.reduce((s, u) => s + u.amount, 0n);
  if (amount >= 1n << 256n) {
    throw new PlasmaError('encoded_uint_too_big', 'The merged amount does not fit in 256 bits.');
  }
  return {
    txType: TX_TYPE_PAYMENT,
    inputs: checked.map((u) => u.utxoPos),
    outputs: [{ outputType: OUTPUT_TYPE_PAYMENT, outputGuard: owner, token, amount }],
    txData: 0n,
    metadata: metadataOf(metadata),
  };
}
