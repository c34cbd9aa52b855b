// Validation of one downloaded child block (spec/watcher.md §1.5), in the spec's order: returned hash
// and number, size, every transaction through the shared strict decoder with its signers recovered
// (prepareTransactions, fed to the worker pool in slices so decoding overlaps recovery), the Merkle
// root; then execution against the UTXO set with the shared ledger (BlockExecution), whose every
// failure is `tx_execution`. The block getter runs both at once (startCheck + checkAndExecute: each
// slice executed as soon as its signers are in), with the same verdict as one after the other: the
// first stateless failure, else the first execution failure. Results are values (valid block +
// effects, or the first failure), so the block getter and the benchmark time the same code.
import type { BlockToApply, BlockTransaction, BlockWrite } from '../store';
import { type PlasmaErrorCode, isPlasmaError } from '../../plasma/errors';
import { bytesEqual, hexToBytes, isHex } from '../../plasma/hex';
import {
  BlockExecution,
  LedgerError,
  MAX_TRANSACTIONS_PER_BLOCK,
  type BlockEffects,
  type UtxoLookup,
  type LedgerUtxo,
} from '../../plasma/ledger';
import { MERKLE_HEIGHT, rootOfLevel } from '../../plasma/merkle';
import { PrepareError, prepareTransactions, type PreparedTx } from '../../plasma/prepare';
import type { SignatureRecoverer } from '../../plasma/recover';
import type { Address, Hex } from '../../plasma/types';
import type { BlockGetData } from './child-chain-client';

/** The `error_type` of an `invalid_block` event: a block-level atom or a per-transaction one. */
export type BlockErrorType =
  | 'bad_returned_hash'
  | 'bad_returned_number'
  | 'transactions_exceed_block_limit'
  | 'incorrect_hash'
  | 'tx_execution'
  | PlasmaErrorCode;

/** What was asked for: a BlockSubmitted record of the store. */
export interface BlockRequest {
  blknum: bigint;
  /** The root submitted to the framework. */
  hash: Hex;
  /** Ethereum height of the submission. */
  ethHeight: number;
  /** `blocks(blknum).timestamp`, seconds. */
  timestamp: number;
}

export interface BlockInvalid {
  ok: false;
  errorType: BlockErrorType;
  /** For `tx_execution`, the ledger's atom (`utxo_not_found`…); otherwise equal to errorType. */
  reason: PlasmaErrorCode | BlockErrorType;
  /** The offending transaction, where there is one. */
  txindex?: number;
  message: string;
  /** For `utxo_not_found`: the input that does not exist (a deposit may just not be known yet). */
  missingInput?: bigint;
}

export interface StatelessValid {
  ok: true;
  /**
   * The prepared transactions in block order, when the check was asked to keep them
   * (StatelessContext.keepPrepared); otherwise empty. The block getter executes and stores each
   * slice as it comes and keeps none: a full block's are ~100 MB of small objects, which the garbage
   * collector would otherwise promote and mark while the block is checked.
   */
  prepared: PreparedTx[];
}

export interface BlockExecuted {
  ok: true;
  /**
   * The block's whole effects, netted. Worked out when asked: the block getter's writer has them
   * already, delta by delta, and a full block's list is 160,000-odd outputs each way.
   */
  effects(): BlockEffects;
}

export interface BlockValid {
  ok: true;
  effects: BlockEffects;
  block: BlockToApply;
}

export interface StatelessContext {
  /** The plasma framework: the EIP-712 verifying contract. */
  verifyingContract: Address;
  recoverer: SignatureRecoverer;
  /** Transactions decoded per slice before the slice goes to the recoverer (bounds the stall). */
  sliceTxs?: number;
  /** Keep every prepared transaction for the verdict (StatelessValid.prepared); false by default. */
  keepPrepared?: boolean;
}

/**
 * A UTXO lookup that can also prefetch many positions at once (the store does), into the Map given
 * or a new one.
 */
export type BatchUtxoLookup = UtxoLookup & {
  getUtxos?(positions: Iterable<bigint>, into?: Map<bigint, LedgerUtxo>): Map<bigint, LedgerUtxo>;
};

// 1,024 transactions are ~50 ms of decoding on this thread; smaller slices cost the worker pool more
// in per-batch overhead than they save in stall (bench/watcher-block.ts: 128 was ~25% slower).
const DEFAULT_SLICE_TXS = 1_024;
/**
 * Transactions whose effects go to the store writer together. The writer stores a delta with a few
 * statements over a temporary table whatever its size, so small deltas cost it more per row: on the
 * devnet's full block, deltas of 1,024 transactions took 5.23–5.42 s for the whole block, 2,048 took
 * 5.11 s, 4,096 5.03 s, 8,192 5.05 s (its last delta then lengthens the writer's tail). The block's
 * last 4,096 transactions go over slice by slice instead, to shorten that tail: the commit after the
 * last slice took 0.24 s, then 0.19–0.20 s.
 */
const EFFECTS_DELTA_TXS = 4_096;
/**
 * The Merkle root is built in aligned pieces of 2^10 leaves as slices come back from the recoverer
 * (hashed on this thread while the workers go on with later slices), then from the pieces' roots: no
 * single 65,536-leaf tree build at the end.
 */
const PIECE_HEIGHT = 10;
const PIECE = 2 ** PIECE_HEIGHT;

const invalid = (
  errorType: BlockErrorType,
  message: string,
  extra: Partial<BlockInvalid> = {},
): BlockInvalid => ({ ok: false, errorType, reason: errorType, message, ...extra });

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A promise resolved from outside; its rejection is handled wherever it is awaited (or nowhere). */
interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T | Promise<T>) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T | Promise<T>) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  promise.catch(() => undefined);
  return { promise, resolve };
}

/**
 * Prepares one slice; a bad transaction becomes a BlockInvalid with its index in the block. The
 * slice's Merkle leaves go to `leaves` (32 bytes per transaction) when given.
 */
async function prepareSlice(
  signed: readonly Uint8Array[],
  offset: number,
  ctx: StatelessContext,
  leaves?: Uint8Array,
): Promise<PreparedTx[] | BlockInvalid> {
  try {
    return await prepareTransactions(
      signed,
      ctx.verifyingContract,
      ctx.recoverer,
      leaves ? { leavesInto: leaves } : {},
    );
  } catch (e) {
    if (!(e instanceof PrepareError)) throw e; // the recoverer failed: nothing is known about the block
    // prepareTransactions decodes a whole slice before it recovers: a bad signature before the
    // first undecodable transaction comes first in block order.
    if (e.code !== 'signature_corrupt' && e.index > 0) {
      const before = await prepareSlice(signed.slice(0, e.index), offset, ctx);
      if (!Array.isArray(before)) return before;
    }
    const txindex = offset + e.index;
    return invalid(e.code, `Transaction ${txindex}: ${e.reason.message}`, { txindex });
  }
}

/** The checks of §1.5.1 that need no decoding (hash, number, size): the first failure, if any. */
function headerFailure(request: BlockRequest, response: BlockGetData): BlockInvalid | undefined {
  if (response.hash !== request.hash.toLowerCase())
    return invalid(
      'bad_returned_hash',
      `Asked for block ${request.hash}, the operator returned ${response.hash.slice(0, 80)}.`,
    );
  if (response.blknum !== request.blknum)
    return invalid(
      'bad_returned_number',
      `Block ${request.hash} was submitted as number ${request.blknum}; the operator says ${response.blknum}.`,
    );
  const count = response.transactions.length;
  if (count > MAX_TRANSACTIONS_PER_BLOCK)
    return invalid(
      'transactions_exceed_block_limit',
      `Block ${request.blknum} holds ${count} transactions; at most ${MAX_TRANSACTIONS_PER_BLOCK} fit in its Merkle tree.`,
    );
  return undefined;
}

/** A block being checked (startCheck): its prepared transactions as they come, then the verdict. */
export interface BlockCheck {
  /** Transactions served. */
  txCount: number;
  /**
   * The verdict already, when the block fails before any transaction is decoded (returned hash or
   * number, too many transactions): there is nothing to execute or store.
   */
  early?: BlockInvalid;
  /**
   * The prepared transactions in block order, slice by slice, each as soon as its signers are
   * recovered (read once). Ends early where the check fails (the verdict says why), and throws if
   * the recoverer fails.
   */
  slices: AsyncIterable<readonly PreparedTx[]>;
  /**
   * The verdict of spec §1.5.1 (plus the 65,536-transaction bound), first failure wins; rejects only
   * if the recoverer itself fails (e.g. the worker pool was closed).
   */
  result: Promise<StatelessValid | BlockInvalid>;
}

/**
 * Starts the download-time checks of a block: each slice is decoded on this thread and handed to the
 * recoverer, the next decoded while it works; the Merkle root is built from the slices as they come
 * back. The prepared slices can be executed as they come (checkAndExecute) while later ones are still
 * being recovered.
 */
export function startCheck(
  request: BlockRequest,
  response: BlockGetData,
  ctx: StatelessContext,
): BlockCheck {
  const txs = response.transactions;
  const early = headerFailure(request, response);
  if (early) {
    return {
      txCount: txs.length,
      early,
      slices: (async function* () {})(),
      result: Promise.resolve(early),
    };
  }
  const size = ctx.sliceTxs ?? DEFAULT_SLICE_TXS;
  const count = Math.ceil(txs.length / size);
  // Each slice is prepared once. `slices` hands its transactions to the executor and lets go of them
  // as it reads them; the verdict only needs each slice's size or its failure (the slice itself with
  // keepPrepared). So nothing here holds a whole block's prepared transactions.
  const prepared: (Deferred<PreparedTx[] | BlockInvalid> | undefined)[] = Array.from(
    { length: count },
    () => deferred<PreparedTx[] | BlockInvalid>(),
  );
  const outcomes = prepared.map((slice) => {
    const outcome = slice!.promise.then((r) =>
      !Array.isArray(r) || ctx.keepPrepared ? r : r.length,
    );
    outcome.catch(() => undefined); // read by the verdict, which may stop early
    return outcome;
  });
  /** Set once a slice has failed: no later slice is started. */
  let failed = false;
  /** The outcomes of the slices started so far. */
  const started: Promise<unknown>[] = [];
  /** Each transaction's leaf hash, written by its slice's preparation. */
  const leaves = new Uint8Array(32 * txs.length);
  void (async () => {
    for (let k = 0; k < count && !failed; k++) {
      if (k > 0) await nextTick();
      if (failed) return;
      const from = k * size;
      const to = Math.min(from + size, txs.length);
      prepared[k]!.resolve(
        prepareSlice(txs.slice(from, to), from, ctx, leaves.subarray(32 * from, 32 * to)),
      );
      started.push(outcomes[k]!);
    }
  })();

  const verdict = async (): Promise<StatelessValid | BlockInvalid> => {
    const kept: PreparedTx[] = [];
    /** Transactions whose slices are in (their leaves written). */
    let done = 0;
    const pieces = new Uint8Array(32 * Math.ceil(txs.length / PIECE));
    let piecesDone = 0;
    for (let k = 0; k < count; k++) {
      let r: PreparedTx[] | number | BlockInvalid;
      try {
        r = await outcomes[k]!;
      } catch (e) {
        failed = true;
        throw e;
      }
      if (typeof r === 'number') done += r;
      else if (Array.isArray(r)) {
        for (const tx of r) kept.push(tx);
        done += r.length;
      } else {
        // No more slices are started; those under way finish (results unused) so the pool is not left busy.
        failed = true;
        await Promise.allSettled(started);
        return r;
      }
      // Every piece whose leaves are all in (the last one may be short).
      for (; piecesDone * PIECE < done; piecesDone++) {
        const end = Math.min((piecesDone + 1) * PIECE, txs.length);
        if (end > done) break;
        const start = piecesDone * PIECE;
        pieces.set(
          rootOfLevel(leaves.subarray(32 * start, 32 * end), end - start, 0, PIECE_HEIGHT),
          32 * piecesDone,
        );
      }
    }
    const root = rootOfLevel(pieces, piecesDone, PIECE_HEIGHT, MERKLE_HEIGHT);
    if (!isHex(request.hash, 32) || !bytesEqual(root, hexToBytes(request.hash)))
      return invalid(
        'incorrect_hash',
        `The transactions served for block ${request.blknum} do not hash to its submitted root ${request.hash}.`,
      );
    return { ok: true, prepared: kept };
  };
  const result = verdict();
  result.catch(() => undefined); // a caller that stopped reading early must not leave it unhandled

  return {
    txCount: txs.length,
    slices: (async function* () {
      for (let k = 0; k < count; k++) {
        const r = await prepared[k]!.promise;
        prepared[k] = undefined; // read once: from here the executor holds it, as long as it needs it
        if (!Array.isArray(r)) return;
        yield r;
      }
    })(),
    result,
  };
}

/**
 * The download-time checks of spec §1.5.1 (plus the 65,536-transaction bound), first failure wins.
 * Throws only if the recoverer itself fails (e.g. the worker pool was closed).
 */
export async function checkBlock(
  request: BlockRequest,
  response: BlockGetData,
  ctx: StatelessContext,
): Promise<StatelessValid | BlockInvalid> {
  const check = startCheck(request, response, ctx);
  // Read (and so let go of) each slice as it comes, as an executor would.
  for await (const slice of check.slices) void slice;
  return check.result;
}

/** A statelessly valid block as the store takes it. */
function blockToApply(request: BlockRequest, prepared: readonly PreparedTx[]): BlockToApply {
  return { ...blockHeader(request, prepared.length), transactions: rowsOf(prepared, 0) };
}

/** A block as the store takes it before its transactions are known (they follow in parts). */
export function blockHeader(request: BlockRequest, txCount: number): BlockToApply {
  return {
    blknum: request.blknum,
    hash: request.hash,
    ethHeight: request.ethHeight,
    timestamp: request.timestamp,
    transactions: [],
    txCount,
  };
}

const rowsOf = (prepared: readonly PreparedTx[], first: number): BlockTransaction[] =>
  prepared.map((p, i) => ({
    txindex: first + i,
    txHash: p.txHash,
    signedBytes: p.signedBytes,
    txBytes: p.txBytes,
  }));

/**
 * Executes a block's transactions slice after slice with the shared ledger (spec §1.5.4, fees
 * ignored); any failure is `tx_execution`, with the ledger's atom as `reason`. Each slice's inputs are
 * fetched in one sorted batch where the store offers it, and the effects go to `write` (when given)
 * every EFFECTS_DELTA_TXS transactions (each slice's near the end of the block), so that a
 * store-writer stores them while later slices are checked and executed; `handOn` gives it the rest
 * at the end.
 */
class SliceExecutor {
  private readonly found = new Map<bigint, LedgerUtxo>();
  private readonly execution: BlockExecution;
  private executed = 0;
  /** Transactions whose effects the writer has. */
  private handedOn = 0;

  constructor(
    private readonly request: BlockRequest,
    private readonly utxos: BatchUtxoLookup,
    private readonly write?: Pick<BlockWrite, 'add'>,
    /** The block's transactions, so the last ones go over slice by slice (see run). */
    private readonly txCount = Number.MAX_SAFE_INTEGER,
  ) {
    this.execution = new BlockExecution(
      request.blknum,
      utxos.getUtxos ? { getUtxo: (pos) => this.found.get(pos) } : utxos,
    );
  }

  /** Executes the block's next transactions; returns the first failure, if any. */
  run(slice: readonly PreparedTx[]): BlockInvalid | undefined {
    const { execution, found, utxos } = this;
    // Sorted batch reads instead of a random lookup per input, where the store offers them. Inputs
    // created earlier in this block are not in the store; the ledger knows them.
    if (utxos.getUtxos) {
      const positions: bigint[] = [];
      for (const { exec } of slice)
        if (exec.kind === 'payment') for (const input of exec.tx.inputs) positions.push(input);
      found.clear();
      const got = utxos.getUtxos(positions, found);
      if (got !== found) for (const [pos, utxo] of got) found.set(pos, utxo);
    }
    for (let i = 0; i < slice.length; i++) {
      const entry = slice[i]!.exec;
      try {
        execution.apply(entry);
      } catch (e) {
        if (!(e instanceof LedgerError) && !isPlasmaError(e)) throw e;
        const missingInput =
          e.code === 'utxo_not_found' && entry.kind === 'payment'
            ? entry.tx.inputs.find((p) => execution.utxo(p) === undefined)
            : undefined;
        return {
          ok: false,
          errorType: 'tx_execution',
          reason: e.code,
          txindex: this.executed + i,
          message: `Block ${this.request.blknum}, ${e.message}`,
          ...(missingInput === undefined ? {} : { missingInput }),
        };
      }
    }
    this.executed += slice.length;
    // Near the end of the block every slice's effects go over at once: what the writer still has to
    // store after the last slice is the block's tail, with nothing else left to overlap it.
    if (
      this.executed - this.handedOn >= EFFECTS_DELTA_TXS ||
      this.txCount - this.executed < EFFECTS_DELTA_TXS
    )
      this.handOn();
    return undefined;
  }

  /** Gives the writer the effects of the transactions executed since the last time (at the end too). */
  handOn(): void {
    if (!this.write || this.handedOn === this.executed) return;
    this.handedOn = this.executed;
    this.write.add(this.execution.takeEffects());
  }

  effects(): BlockEffects {
    return this.execution.effects();
  }
}

/** The recoverer failed while a block was checked: nothing is known about the block. */
export class BlockCheckError extends Error {
  constructor(blknum: bigint, cause: unknown) {
    super(
      `Validating block ${blknum} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'BlockCheckError';
  }
}

/**
 * The whole of §1.5 for the block next in line, checking and executing at once: each slice is
 * executed as soon as the recoverer has given its signers, while later slices are still being
 * recovered, and (with `write`) its transactions and effects go to the store-writer right away. The
 * verdict is validateBlock's: a failure of the stateless checks anywhere in the block comes before a
 * failure of execution. Yields to the event loop between slices, so a full block never freezes the
 * main thread for its whole length. Throws BlockCheckError if the recoverer fails; errors of the UTXO
 * lookup are thrown as they are. The caller commits or aborts `write`, and must not change the UTXO
 * set meanwhile.
 */
export async function checkAndExecute(
  request: BlockRequest,
  check: BlockCheck,
  utxos: BatchUtxoLookup,
  write?: Pick<BlockWrite, 'add' | 'transactions'>,
): Promise<BlockExecuted | BlockInvalid> {
  const executor = new SliceExecutor(request, utxos, write, check.txCount);
  let failed: BlockInvalid | undefined;
  let given = 0;
  const slices = check.slices[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<readonly PreparedTx[]>;
      try {
        next = await slices.next();
      } catch {
        break; // the recoverer failed: the verdict rejects with it
      }
      if (next.done) break;
      write?.transactions(rowsOf(next.value, given));
      given += next.value.length;
      failed = executor.run(next.value);
      if (failed) break;
      await nextTick(); // slices already recovered would otherwise run back to back without a yield
    }
  } finally {
    await slices.return?.();
    // Also when execution threw: the check's slices still under way finish, so the pool is not left busy.
    await check.result.catch(() => undefined);
  }
  let verdict: StatelessValid | BlockInvalid;
  try {
    verdict = await check.result;
  } catch (e) {
    throw new BlockCheckError(request.blknum, e);
  }
  if (!verdict.ok) return verdict;
  if (failed) return failed;
  executor.handOn();
  return { ok: true, effects: () => executor.effects() };
}

/** The whole of §1.5: stateless checks and execution against `utxos`, as the block getter runs them. */
export async function validateBlock(
  request: BlockRequest,
  response: BlockGetData,
  ctx: StatelessContext & { utxos: BatchUtxoLookup },
): Promise<BlockValid | BlockInvalid> {
  const check = startCheck(request, response, { ...ctx, keepPrepared: true });
  const executed = await checkAndExecute(request, check, ctx.utxos);
  if (!executed.ok) return executed;
  const verdict = await check.result;
  if (!verdict.ok) return verdict; // cannot happen: checkAndExecute returned it first
  return { ok: true, effects: executed.effects(), block: blockToApply(request, verdict.prepared) };
}
