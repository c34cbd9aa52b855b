// The ledger rules of the child chain (spec/watcher.md §1.5.4): executing a block's transactions
// against the UTXO set. One implementation serves the devnet operator (forming blocks) and the
// watcher (validating them): never a second copy. Pure: the caller supplies the UTXO lookup and
// persists the changes a block produces.
import { PlasmaError, type PlasmaErrorCode } from './errors';
import { BLOCK_OFFSET, TX_OFFSET, decodeUtxoPos, isValidUtxoPos } from './position';
import {
  OUTPUT_TYPE_FEE_CLAIM,
  type Address,
  type FeeTx,
  type Hex,
  type Output,
  type PaymentTx,
} from './types';

/** Transactions a block may hold: 65,536 leaves, of which the last 5 are kept for fee claims. */
export const MAX_TRANSACTIONS_PER_BLOCK = 65_536;
export const MAX_PAYMENTS_PER_BLOCK = MAX_TRANSACTIONS_PER_BLOCK - 5;

/** An unspent output as the ledger sees it. */
export interface LedgerUtxo {
  outputType: bigint;
  owner: Address;
  token: Address;
  amount: bigint;
}

/** Where the ledger reads outputs that exist before the block (the store, or a Map in tests). */
export interface UtxoLookup {
  getUtxo(utxoPos: bigint): LedgerUtxo | undefined;
}

/** A transaction ready to execute: decoded, hashed and with its signers recovered. */
export type ExecutableTx =
  | { kind: 'payment'; tx: PaymentTx; txHash: Hex; signers: readonly (Address | null)[] }
  | { kind: 'fee'; tx: FeeTx; txHash: Hex };

export interface CreatedOutput extends LedgerUtxo {
  utxoPos: bigint;
  txHash: Hex;
}

export interface SpentInput {
  utxoPos: bigint;
  /** The txindex, inside this block, of the transaction that spent it. */
  txindex: number;
}

/** Everything a block changes, for the caller to persist in one transaction. */
export interface BlockEffects {
  blknum: bigint;
  spent: SpentInput[];
  created: CreatedOutput[];
  /** Fees collected but not (yet) claimed, per token. */
  unclaimedFees: Map<Address, bigint>;
}

/**
 * What a block changed since the previous `BlockExecution.takeEffects` (or its start), for a caller
 * that stores a block while it is being executed.
 */
export interface EffectsDelta {
  created: CreatedOutput[];
  /** Inputs spent that existed before this block. */
  spent: SpentInput[];
  /**
   * Outputs of this block that an earlier delta reported created and that have been spent since:
   * they leave the UTXO set with no spend record, as `effects()` leaves them out on both sides.
   */
  uncreated: bigint[];
}

/** A ledger rule broken by the transaction at `txindex`; `code` is the watcher's atom. */
export class LedgerError extends PlasmaError {
  constructor(
    code: PlasmaErrorCode,
    message: string,
    readonly txindex: number,
  ) {
    super(code, `Transaction ${txindex}: ${message}`);
    this.name = 'LedgerError';
  }
}

const MAX_SAFE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);
const TX_OFFSET_NUMBER = Number(TX_OFFSET);

export function outputPosition(blknum: bigint, txindex: number, oindex: number): bigint {
  return blknum * BLOCK_OFFSET + BigInt(txindex) * TX_OFFSET + BigInt(oindex);
}

/**
 * Executes one block, transaction by transaction. `apply` throws a LedgerError at the first broken
 * rule and leaves the execution unchanged, so the operator can reject one transaction and go on,
 * while the watcher turns the error into `invalid_block`.
 *
 * A full block is 65,536 transactions and ~160,000 inputs and outputs, so the hot path is kept to
 * about three map operations per input and none per output: outputs created here are found by
 * txindex and oindex (a position at or above `blockBase` is in this block), and the effects are only
 * filtered when a transaction actually spent an output of this block.
 */
export class BlockExecution {
  private readonly spentHere = new Map<bigint, number>();
  /** The outputs each transaction of this block created, by txindex. */
  private readonly createdByTx: CreatedOutput[][] = [];
  private readonly fees = new Map<Address, bigint>();
  private readonly spent: SpentInput[] = [];
  private readonly created: CreatedOutput[] = [];
  /** The first position of this block, and of the next (inputs there are ahead of the state). */
  private readonly blockBase: bigint;
  private readonly nextBlockBase: bigint;
  /**
   * blockBase as a number when every position of the block is below 2^53 (block numbers up to
   * ~9,007,199): a created output's position is then one BigInt of a sum instead of five bigint
   * operations, for each of a full block's ~160,000 outputs.
   */
  private readonly blockBaseNumber: number | undefined;
  /** Outputs created in this block and spent in it too: the effects leave them out on both sides. */
  private readonly nettedOut = new Set<bigint>();
  private feeClaiming = false;
  private count = 0;
  /** How much of `created`, `spent` and the transactions earlier `takeEffects` calls covered. */
  private takenCreated = 0;
  private takenSpent = 0;
  private takenTxs = 0;

  constructor(
    readonly blknum: bigint,
    private readonly lookup: UtxoLookup,
  ) {
    this.blockBase = blknum * BLOCK_OFFSET;
    this.nextBlockBase = this.blockBase + BLOCK_OFFSET;
    this.blockBaseNumber =
      this.nextBlockBase <= MAX_SAFE_POSITION ? Number(this.blockBase) : undefined;
  }

  get transactionCount(): number {
    return this.count;
  }

  /** The output at `utxoPos` as this block sees it: created here, or existing and not spent here. */
  utxo(utxoPos: bigint): LedgerUtxo | undefined {
    if (this.spentHere.has(utxoPos)) return undefined;
    return this.createdHere(utxoPos) ?? this.lookup.getUtxo(utxoPos);
  }

  private createdHere(utxoPos: bigint): CreatedOutput | undefined {
    if (utxoPos < this.blockBase || utxoPos >= this.nextBlockBase) return undefined;
    const offset = utxoPos - this.blockBase;
    return this.createdByTx[Number(offset / TX_OFFSET)]?.[Number(offset % TX_OFFSET)];
  }

  /**
   * Checks a payment against the rules without applying it; returns the outputs it spends and its
   * per-token surplus (the fee it leaves).
   */
  checkPayment(
    tx: PaymentTx,
    signers: readonly (Address | null)[],
    txindex = this.count,
  ): { inputs: LedgerUtxo[]; surplus: Map<Address, bigint> } {
    if (this.feeClaiming)
      throw new LedgerError(
        'payments_rejected_during_fee_claiming',
        'a payment may not follow a fee claim in the same block.',
        txindex,
      );
    if (txindex >= MAX_PAYMENTS_PER_BLOCK)
      throw new LedgerError(
        'too_many_transactions_in_block',
        `a block holds at most ${MAX_PAYMENTS_PER_BLOCK} payments.`,
        txindex,
      );
    const inputs: LedgerUtxo[] = [];
    // Per-token Σinputs − Σoutputs; negative where the payment creates value.
    const balance = new Map<Address, bigint>();
    for (let i = 0; i < tx.inputs.length; i++) {
      const utxoPos = tx.inputs[i]!;
      // Below the next block and a valid position (the common case) needs no decoding.
      if (!(utxoPos < this.nextBlockBase && isValidUtxoPos(utxoPos))) {
        const { blknum } = decodeUtxoPos(utxoPos);
        if (blknum > this.blknum)
          throw new LedgerError(
            'input_utxo_ahead_of_state',
            `input ${i} (${utxoPos}) is in block ${blknum}, after block ${this.blknum}.`,
            txindex,
          );
      }
      const utxo = this.utxo(utxoPos);
      if (!utxo)
        throw new LedgerError(
          'utxo_not_found',
          `input ${i} (${utxoPos}) does not exist or is already spent.`,
          txindex,
        );
      const signer = signers[i];
      if (!signer || signer !== utxo.owner)
        throw new LedgerError(
          'unauthorized_spend',
          `input ${i} belongs to ${utxo.owner} but was signed by ${signer ?? 'nobody'}.`,
          txindex,
        );
      inputs.push(utxo);
      balance.set(utxo.token, (balance.get(utxo.token) ?? 0n) + utxo.amount);
    }
    for (const o of tx.outputs) balance.set(o.token, (balance.get(o.token) ?? 0n) - o.amount);
    for (const [token, surplus] of balance) {
      if (surplus < 0n)
        throw new LedgerError(
          'amounts_do_not_add_up',
          `the outputs pay ${-surplus} more of token ${token} than the inputs hold.`,
          txindex,
        );
      if (surplus === 0n) balance.delete(token);
    }
    return { inputs, surplus: balance };
  }

  /** Applies the next transaction of the block (its txindex is the number applied so far). */
  apply(entry: ExecutableTx): void {
    const txindex = this.count;
    if (entry.kind === 'payment') {
      const { surplus } = this.checkPayment(entry.tx, entry.signers, txindex);
      for (const utxoPos of entry.tx.inputs) this.spend(utxoPos, txindex);
      const outputs = entry.tx.outputs;
      const created: CreatedOutput[] = new Array(outputs.length);
      for (let oindex = 0; oindex < outputs.length; oindex++)
        created[oindex] = this.create(txindex, oindex, outputs[oindex]!, entry.txHash);
      this.createdByTx[txindex] = created;
      for (const [token, amount] of surplus)
        this.fees.set(token, (this.fees.get(token) ?? 0n) + amount);
    } else {
      this.checkFeeClaim(entry.tx, txindex);
      this.fees.delete(entry.tx.output.token);
      this.feeClaiming = true;
      this.createdByTx[txindex] = [this.create(txindex, 0, entry.tx.output, entry.txHash)];
    }
    this.count++;
  }

  private checkFeeClaim(tx: FeeTx, txindex: number): void {
    if (txindex >= MAX_TRANSACTIONS_PER_BLOCK) {
      throw new LedgerError(
        'too_many_transactions_in_block',
        `a block holds at most ${MAX_TRANSACTIONS_PER_BLOCK} transactions.`,
        txindex,
      );
    }
    const { token, amount, outputType } = tx.output;
    if (outputType !== OUTPUT_TYPE_FEE_CLAIM) {
      throw new LedgerError(
        'tx_cannot_create_output_type',
        `a fee claim must create an output of type ${OUTPUT_TYPE_FEE_CLAIM}.`,
        txindex,
      );
    }
    const collected = this.fees.get(token);
    if (collected === undefined) {
      throw new LedgerError(
        'surplus_in_token_not_collected',
        `no fee in token ${token} was collected in this block.`,
        txindex,
      );
    }
    if (collected !== amount) {
      throw new LedgerError(
        'claimed_and_collected_amounts_mismatch',
        `claims ${amount} of token ${token} but ${collected} was collected.`,
        txindex,
      );
    }
  }

  private spend(utxoPos: bigint, txindex: number): void {
    this.spentHere.set(utxoPos, txindex);
    this.spent.push({ utxoPos, txindex });
    if (this.createdHere(utxoPos)) this.nettedOut.add(utxoPos);
  }

  private create(txindex: number, oindex: number, o: Output, txHash: Hex): CreatedOutput {
    const base = this.blockBaseNumber;
    const out: CreatedOutput = {
      utxoPos:
        base === undefined
          ? outputPosition(this.blknum, txindex, oindex)
          : BigInt(base + txindex * TX_OFFSET_NUMBER + oindex),
      outputType: o.outputType,
      owner: o.outputGuard,
      token: o.token,
      amount: o.amount,
      txHash,
    };
    this.created.push(out);
    return out;
  }

  /** Fees collected so far and not yet claimed, per token. */
  unclaimedFees(): Map<Address, bigint> {
    return new Map(this.fees);
  }

  effects(): BlockEffects {
    // Outputs created and spent inside the same block never reach the UTXO set.
    const netted = this.nettedOut;
    const created =
      netted.size > 0 ? this.created.filter((c) => !netted.has(c.utxoPos)) : [...this.created];
    const spent =
      netted.size > 0 ? this.spent.filter((s) => !netted.has(s.utxoPos)) : [...this.spent];
    return { blknum: this.blknum, spent, created, unclaimedFees: this.unclaimedFees() };
  }

  /**
   * The effects of the transactions applied since the last call (the first call: since the start).
   * Applied in order, the deltas change the UTXO set exactly as `effects()` would, wherever the calls
   * fall: an output created and spent between two calls is in neither list, and one that an earlier
   * delta reported created and that was spent since is `uncreated`.
   */
  takeEffects(): EffectsDelta {
    const netted = this.nettedOut;
    const spent: SpentInput[] = [];
    const uncreated: bigint[] = [];
    for (let i = this.takenSpent; i < this.spent.length; i++) {
      const s = this.spent[i]!;
      if (!netted.has(s.utxoPos)) spent.push(s);
      // Spent from this block: reported created already if its transaction came before the last call.
      else if (Number((s.utxoPos - this.blockBase) / TX_OFFSET) < this.takenTxs)
        uncreated.push(s.utxoPos);
    }
    // Not spent yet (a later delta may uncreate it) or created and spent since the last call.
    const created = this.created.slice(this.takenCreated);
    const delta: EffectsDelta = {
      created: netted.size > 0 ? created.filter((c) => !netted.has(c.utxoPos)) : created,
      spent,
      uncreated,
    };
    this.takenCreated = this.created.length;
    this.takenSpent = this.spent.length;
    this.takenTxs = this.count;
    return delta;
  }
}

/** The operator's fee table: the fee per token for a payment (tx type 1). */
export type FeeTable = ReadonlyMap<Address, bigint>;

/**
 * The child chain's fee rule for one payment (elixir-omg's `fees_not_covered`, `overpaying_fees`,
 * `multiple_potential_currency_fees`): the surplus must be exactly the fee, in one token of the fee
 * table. A merge (one owner, one token, fewer outputs than inputs) is free. Watchers do not check fees.
 */
export function checkPaymentFee(
  tx: PaymentTx,
  inputs: readonly LedgerUtxo[],
  surplus: ReadonlyMap<Address, bigint>,
  fees: FeeTable,
): void {
  const fail = (code: PlasmaErrorCode, message: string): never => {
    throw new PlasmaError(code, message);
  };
  if (isMerge(tx, inputs)) {
    if (surplus.size > 0)
      fail(
        'overpaying_fees',
        'A merge transaction is free; its outputs must add up to its inputs.',
      );
    return;
  }
  const tokens = [...surplus.keys()];
  if (tokens.length > 1)
    fail(
      'multiple_potential_currency_fees',
      `The transaction leaves a surplus in ${tokens.length} tokens; pay the fee in one.`,
    );
  const [token] = tokens;
  if (token === undefined) {
    return fail(
      'fees_not_covered',
      'The transaction pays no fee; leave the fee (see fees.all) unspent in one token.',
    );
  }
  const fee = fees.get(token);
  const paid = surplus.get(token) ?? 0n;
  if (fee === undefined)
    fail(
      'fees_not_covered',
      `Fees cannot be paid in token ${token}; see fees.all for the accepted tokens.`,
    );
  else if (paid < fee)
    fail(
      'fees_not_covered',
      `The fee in token ${token} is ${fee}, but the transaction leaves only ${paid}.`,
    );
  else if (paid > fee)
    fail(
      'overpaying_fees',
      `The fee in token ${token} is ${fee}, but the transaction leaves ${paid}.`,
    );
}

function isMerge(tx: PaymentTx, inputs: readonly LedgerUtxo[]): boolean {
  if (inputs.length < 2 || tx.outputs.length >= inputs.length) return false;
  const first = inputs[0]!;
  return (
    inputs.every((i) => i.owner === first.owner && i.token === first.token) &&
    tx.outputs.every((o) => o.outputGuard === first.owner && o.token === first.token)
  );
}
