// The devnet's child chain: accepts transactions that pass the shared stateless rules, the shared
// ledger and the fee table, forms blocks, and serves them. Cheats (cheats.ts) change what a block
// holds or how it is served; the operator's own ledger only ever applies honest transactions.
import {
  BLOCK_OFFSET,
  BlockExecution,
  MAX_PAYMENTS_PER_BLOCK,
  OUTPUT_TYPE_FEE_CLAIM,
  OUTPUT_TYPE_PAYMENT,
  PlasmaError,
  PrepareError,
  TX_TYPE_FEE,
  bytesToHex,
  checkPaymentFee,
  decodeRlp,
  decodeSignedTransaction,
  encodeFeeTx,
  encodeRlp,
  encodeSigned,
  signPayment,
  feeTxNonce,
  isPlasmaError,
  merkleRoot,
  prepareTransactions,
  txHash,
  type Address,
  type FeeTable,
  type Hex,
  type LedgerUtxo,
  type PreparedTx,
  type RlpItem,
  type SignatureRecoverer,
} from '../../src/plasma';
import {
  CheatError,
  craftBadTransaction,
  isBlockCheat,
  isCheat,
  paymentTx,
  type BlockCheat,
  type Cheat,
} from './cheats';
import type { OperatorState } from './state';

/** Meta keys of the operator's state that keep the cheat switches across a restart. */
const ARMED_CHEAT_KEY = 'armed_cheat';
const SPEND_EXITING_KEY = 'spend_exiting';

export interface ChildChainOptions {
  state: OperatorState;
  verifyingContract: Address;
  operatorKey: Hex;
  operatorAddress: Address;
  fees: FeeTable;
  recoverer: SignatureRecoverer;
  /** Q2 of the spec: by default fees stay implicit (burnt surplus); 'elixir' appends 3-item fee claims. */
  feeClaims?: 'none' | 'elixir';
  childBlockInterval?: bigint;
}

export interface SubmitResult {
  blknum: bigint;
  txindex: number;
  txhash: Hex;
}

export interface FormedBlock {
  blknum: bigint;
  hash: Hex;
  transactionCount: number;
}

/** A refusal with the child chain's error code (`submit:<atom>` on the wire). */
export class SubmitError extends Error {
  constructor(
    readonly atom: string,
    message: string,
  ) {
    super(message);
    this.name = 'SubmitError';
  }
}

/** Serialises async work: submissions and block formation never interleave. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class ChildChain {
  private readonly utxos = new Map<bigint, LedgerUtxo>();
  /** Outputs spent in formed blocks, for the double-spend cheat. */
  private readonly spent = new Map<bigint, LedgerUtxo>();
  private readonly exiting = new Set<bigint>();
  private readonly lock = new Mutex();
  private readonly interval: bigint;
  private current!: BlockExecution;
  private pending: PreparedTx[] = [];
  private armed: BlockCheat | null = null;
  private spendExiting = false;

  constructor(private readonly options: ChildChainOptions) {
    this.interval = options.childBlockInterval ?? 1000n;
  }

  /** Rebuilds the UTXO set from stored deposits and blocks, then re-admits pending transactions. */
  async init(): Promise<void> {
    const { state } = this.options;
    for (const d of state.deposits())
      this.utxos.set(d.blknum * BLOCK_OFFSET, {
        outputType: OUTPUT_TYPE_PAYMENT,
        owner: d.owner,
        token: d.token,
        amount: d.amount,
      });
    for (const p of state.exiting()) this.exiting.add(p);
    // An armed cheat survives a restart: it is kept in the meta table until a block uses it.
    const armed = state.getMeta(ARMED_CHEAT_KEY);
    if (armed && isCheat(armed) && isBlockCheat(armed)) this.armed = armed;
    this.spendExiting = state.getMeta(SPEND_EXITING_KEY) === '1';
    for (const block of state.blocks())
      this.replay(block.blknum, block.transactions, block.applied);
    this.current = new BlockExecution(this.nextBlknum(), this.view());
    const pending = state.pending();
    if (pending.length > 0) {
      const prepared = await prepareTransactions(
        pending,
        this.options.verifyingContract,
        this.options.recoverer,
        { allowFeeClaims: false },
      );
      for (const p of prepared) {
        this.current.apply(p.exec);
        this.pending.push(p);
      }
    }
  }

  /** Replays a stored block: its transactions were validated when it was formed, so the signers are the owners. */
  private replay(
    blknum: bigint,
    transactions: readonly Uint8Array[],
    applied: readonly boolean[],
  ): void {
    const exec = new BlockExecution(blknum, this.view());
    transactions.forEach((signed, i) => {
      if (!applied[i]) return;
      const decoded = decodeSignedTransaction(signed);
      const hash = txHash(decoded.txBytes);
      if (decoded.kind === 'fee') {
        exec.apply({ kind: 'fee', tx: decoded.tx, txHash: hash });
      } else {
        const signers = decoded.tx.inputs.map((p) => exec.utxo(p)?.owner ?? null);
        exec.apply({ kind: 'payment', tx: decoded.tx, txHash: hash, signers });
      }
    });
    this.commit(exec);
  }

  private view() {
    return {
      getUtxo: (utxoPos: bigint): LedgerUtxo | undefined =>
        !this.spendExiting && this.exiting.has(utxoPos) ? undefined : this.utxos.get(utxoPos),
    };
  }

  private commit(exec: BlockExecution): void {
    const effects = exec.effects();
    for (const s of effects.spent) {
      const utxo = this.utxos.get(s.utxoPos);
      if (utxo) this.spent.set(s.utxoPos, utxo);
      this.utxos.delete(s.utxoPos);
    }
    for (const c of effects.created)
      this.utxos.set(c.utxoPos, {
        outputType: c.outputType,
        owner: c.owner,
        token: c.token,
        amount: c.amount,
      });
  }

  nextBlknum(): bigint {
    return this.options.state.lastBlknum() + this.interval;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Accepts one signed transaction into the block being formed, or refuses it with an atom. */
  submit(signed: Uint8Array): Promise<SubmitResult> {
    return this.lock.run(async () => {
      const [prepared] = await this.prepare([signed]);
      return this.admit(prepared!);
    });
  }

  /** Accepts several transactions; each gets its own result or error, in order. */
  submitBatch(list: readonly Uint8Array[]): Promise<(SubmitResult | SubmitError)[]> {
    return this.lock.run(async () => {
      const results: (SubmitResult | SubmitError)[] = [];
      // Recover all signatures in one batch where the batch is well-formed; fall back per tx otherwise.
      let prepared: (PreparedTx | SubmitError)[];
      try {
        prepared = await this.prepare(list);
      } catch {
        prepared = [];
        for (const one of list)
          prepared.push(
            await this.prepare([one]).then(
              (p) => p[0]!,
              (e: unknown) => toSubmitError(e),
            ),
          );
      }
      // One SQLite transaction for the whole batch: a full block is 65,531 pending rows, and one
      // fsync each would take minutes.
      this.options.state.db.transaction(() => {
        for (const p of prepared) {
          if (p instanceof SubmitError) results.push(p);
          else
            try {
              results.push(this.admit(p));
            } catch (e) {
              results.push(toSubmitError(e));
            }
        }
      })();
      return results;
    });
  }

  private async prepare(list: readonly Uint8Array[]): Promise<PreparedTx[]> {
    try {
      return await prepareTransactions(
        list,
        this.options.verifyingContract,
        this.options.recoverer,
        { allowFeeClaims: false },
      );
    } catch (e) {
      throw toSubmitError(e);
    }
  }

  private admit(prepared: PreparedTx): SubmitResult {
    if (prepared.exec.kind !== 'payment')
      throw new SubmitError('transaction_not_supported', 'Fee claims cannot be submitted.');
    if (this.current.transactionCount >= MAX_PAYMENTS_PER_BLOCK)
      throw new SubmitError(
        'too_many_transactions_in_block',
        'The block is full; try again shortly.',
      );
    try {
      const { inputs, surplus } = this.current.checkPayment(
        prepared.exec.tx,
        prepared.exec.signers,
      );
      checkPaymentFee(prepared.exec.tx, inputs, surplus, this.options.fees);
    } catch (e) {
      throw toSubmitError(e);
    }
    const txindex = this.current.transactionCount;
    this.current.apply(prepared.exec);
    this.pending.push(prepared);
    this.options.state.addPending(prepared.signedBytes);
    return { blknum: this.current.blknum, txindex, txhash: prepared.txHash };
  }

  /** The operator pays itself: spends one of its outputs to itself, leaving `fee` (the invalid-exit cheat). */
  submitOwn(utxoPos: bigint, utxo: LedgerUtxo, fee: bigint): Promise<SubmitResult> {
    const tx = paymentTx(
      [utxoPos],
      [[this.options.operatorAddress, utxo.token, utxo.amount - fee]],
    );
    return this.submit(
      encodeSigned({
        tx,
        sigs: signPayment(tx, [this.options.operatorKey], this.options.verifyingContract),
      }),
    );
  }

  /** True when the block being formed is full and must be formed now. */
  get isFull(): boolean {
    return this.current.transactionCount >= MAX_PAYMENTS_PER_BLOCK;
  }

  /** Arms a block cheat for the next formed block (the ledger cheat switches a mode). */
  arm(cheat: Cheat): void {
    if (cheat === 'spend_exiting') {
      this.options.state.setMeta(SPEND_EXITING_KEY, '1');
      this.spendExiting = true;
      return;
    }
    if (!isBlockCheat(cheat)) throw new Error(`${cheat} is not a block cheat`);
    // Refuse now, with the reason, a cheat the operator could not carry out at the next block.
    craftBadTransaction(cheat, this.cheatContext(this.current.blknum));
    if (cheat === 'root_mismatch' && this.pending.length === 0) this.mismatchedContents([]);
    this.options.state.setMeta(ARMED_CHEAT_KEY, cheat);
    this.armed = cheat;
  }

  /** True once spend_exiting is switched on (it stays on, across restarts too). */
  get spendsExiting(): boolean {
    return this.spendExiting;
  }

  get armedCheat(): BlockCheat | null {
    return this.armed;
  }

  /**
   * Forms the next block from the pending transactions (plus any armed cheat) and stores it. Returns
   * null when there is nothing to put in a block.
   */
  formBlock(): Promise<FormedBlock | null> {
    return this.lock.run(() => {
      let cheat = this.armed;
      if (this.pending.length === 0 && !cheat) return null;
      const blknum = this.current.blknum;
      const signed = this.pending.map((p) => p.signedBytes);
      const unsigned = this.pending.map((p) => p.txBytes);
      const applied = signed.map(() => true);

      if (this.options.feeClaims === 'elixir') {
        for (const [token, amount] of this.current.unclaimedFees()) {
          const feeTx = {
            txType: TX_TYPE_FEE,
            output: {
              outputType: OUTPUT_TYPE_FEE_CLAIM,
              outputGuard: this.options.operatorAddress,
              token,
              amount,
            },
            nonce: feeTxNonce(blknum, token),
            metadata: `0x${'00'.repeat(32)}` as Hex,
          };
          const txBytes = encodeFeeTx(feeTx, 'elixir');
          const items = decodeRlp(txBytes) as RlpItem[];
          this.current.apply({ kind: 'fee', tx: feeTx, txHash: txHash(txBytes) });
          signed.push(encodeRlp([[], ...items]));
          unsigned.push(txBytes);
          applied.push(true);
        }
      }

      let served: Uint8Array[] | null = null;
      if (cheat) {
        try {
          const bad = craftBadTransaction(cheat, this.cheatContext(blknum));
          if (bad) {
            signed.push(bad);
            unsigned.push(unsignedOf(bad));
            applied.push(false);
          }
          if (cheat === 'root_mismatch') served = this.mismatchedContents(signed);
        } catch (e) {
          // The cheat became impossible since it was armed: drop it rather than stall the chain.
          if (!(e instanceof CheatError)) throw e;
          this.options.state.setMeta(ARMED_CHEAT_KEY, '');
          this.armed = cheat = null;
          if (this.pending.length === 0) return null;
        }
      }

      const hash = bytesToHex(merkleRoot(unsigned));
      const { state } = this.options;
      state.db.transaction(() => {
        state.saveBlock({
          blknum,
          hash,
          transactions: signed,
          applied,
          withheld: cheat === 'withhold_block',
          served,
        });
        // The cheat is used up with the block that carries it, atomically.
        if (cheat) state.setMeta(ARMED_CHEAT_KEY, '');
      })();
      this.commit(this.current);
      this.pending = [];
      this.armed = null;
      this.current = new BlockExecution(blknum + this.interval, this.view());
      return { blknum, hash, transactionCount: signed.length };
    });
  }

  /**
   * Contents for the root_mismatch cheat: every transaction still decodes and recovers, only the
   * Merkle root differs (the last one dropped, or the only one served twice; an empty block is
   * served with a transaction of an earlier block).
   */
  private mismatchedContents(signed: Uint8Array[]): Uint8Array[] {
    if (signed.length > 1) return signed.slice(0, -1);
    if (signed.length === 1) return [signed[0]!, signed[0]!];
    const earlier = this.options.state.anyAppliedTransaction();
    if (!earlier) throw new CheatError('No transaction exists yet; make one payment first.');
    return [earlier];
  }

  private cheatContext(blknum: bigint) {
    const own = [...this.utxos.entries()].find(
      ([p, u]) =>
        u.owner === this.options.operatorAddress &&
        u.outputType === OUTPUT_TYPE_PAYMENT &&
        this.current.utxo(p),
    );
    // Prefer an output the operator itself spent: its re-spend is then correctly signed, so the
    // double spend is the only fault in it.
    const spentOutputs = [...this.spent.entries()];
    const spent =
      spentOutputs.find(([, u]) => u.owner === this.options.operatorAddress) ?? spentOutputs[0];
    return {
      blknum,
      verifyingContract: this.options.verifyingContract,
      operatorKey: this.options.operatorKey,
      operatorAddress: this.options.operatorAddress,
      ...(own ? { operatorUtxo: { utxoPos: own[0], utxo: own[1] } } : {}),
      ...(spent ? { spentOutput: { utxoPos: spent[0], utxo: spent[1] } } : {}),
    };
  }

  /** A deposit recognised on Ethereum becomes spendable. Returns false if it was already known. */
  addDeposit(deposit: {
    blknum: bigint;
    owner: Address;
    token: Address;
    amount: bigint;
    ethHeight: number;
  }): boolean {
    if (!this.options.state.addDeposit(deposit)) return false;
    this.utxos.set(deposit.blknum * BLOCK_OFFSET, {
      outputType: OUTPUT_TYPE_PAYMENT,
      owner: deposit.owner,
      token: deposit.token,
      amount: deposit.amount,
    });
    return true;
  }

  /** A standard exit started: the output may no longer be spent (unless the spend_exiting cheat is on). */
  markExiting(utxoPos: bigint): void {
    this.options.state.addExiting(utxoPos);
    this.exiting.add(utxoPos);
  }

  utxo(utxoPos: bigint): LedgerUtxo | undefined {
    return this.utxos.get(utxoPos);
  }

  /** Unspent outputs of an owner (for the devnet CLI and the cheats). */
  utxosOf(owner: Address): { utxoPos: bigint; utxo: LedgerUtxo }[] {
    return [...this.utxos.entries()]
      .filter(([, u]) => u.owner === owner)
      .map(([utxoPos, utxo]) => ({ utxoPos, utxo }));
  }

  /** block.get: the contents as served (withheld blocks are not found). */
  blockByHash(hash: string): { blknum: bigint; hash: Hex; transactions: Hex[] } | null {
    const block = this.options.state.blockByHash(hash);
    if (!block || block.withheld) return null;
    const txs = block.servedTransactions ?? block.transactions;
    return { blknum: block.blknum, hash: block.hash, transactions: txs.map((t) => bytesToHex(t)) };
  }
}

/**
 * The Merkle leaf of a served transaction: its unsigned bytes (the list without its signatures), or
 * the bytes themselves if they are not a list.
 */
export function unsignedOf(signed: Uint8Array): Uint8Array {
  try {
    const items = decodeRlp(signed);
    if (Array.isArray(items) && items.length > 1) return encodeRlp(items.slice(1));
  } catch {
    // Not RLP at all: the leaf is the raw bytes, which is what a watcher would hash too.
  }
  return signed;
}

function toSubmitError(e: unknown): SubmitError {
  if (e instanceof SubmitError) return e;
  const inner = e instanceof PrepareError ? e.reason : e;
  if (isPlasmaError(inner)) return new SubmitError(inner.code, inner.message);
  if (e instanceof PlasmaError) return new SubmitError(e.code, e.message);
  throw e;
}
