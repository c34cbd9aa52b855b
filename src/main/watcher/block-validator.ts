// Validation of one downloaded child block (spec/watcher.md §1.5), in the spec's order: returned hash
// and number, size, every transaction through the shared strict decoder with its signers recovered
// (prepareTransactions, fed to the worker pool in slices so decoding overlaps recovery), the Merkle
// root; then execution against the UTXO set with the shared ledger (BlockExecution), whose every
// failure is `tx_execution`. The result is a value (valid block + effects, or the first failure),
// so the block getter and the benchmark time the same code.
import type { BlockToApply, BlockWrite } from '../store';
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
import { leafHashesInto, MERKLE_HEIGHT, rootOfLevel } from '../../plasma/merkle';
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
  prepared: PreparedTx[];
}

export interface BlockExecuted {
  ok: true;
  effects: BlockEffects;
}

export interface BlockValid extends BlockExecuted {
  block: BlockToApply;
}

export interface StatelessContext {
  /** The plasma framework: the EIP-712 verifying contract. */
  verifyingContract: Address;
  recoverer: SignatureRecoverer;
  /** Transactions decoded per slice before the slice goes to the recoverer (bounds the stall). */
  sliceTxs?: number;
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
/** Transactions executed (their inputs prefetched, their effects handed on) between two yields. */
const EXECUTE_SLICE_TXS = 1_024;
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

/** Prepares one slice; a bad transaction becomes a BlockInvalid with its index in the block. */
async function prepareSlice(
  signed: readonly Uint8Array[],
  offset: number,
  ctx: StatelessContext,
): Promise<PreparedTx[] | BlockInvalid> {
  try {
    return await prepareTransactions(signed, ctx.verifyingContract, ctx.recoverer);
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

/**
 * The download-time checks of spec §1.5.1 (plus the 65,536-transaction bound), first failure wins.
 * Throws only if the recoverer itself fails (e.g. the worker pool was closed).
 */
export async function checkBlock(
  request: BlockRequest,
  response: BlockGetData,
  ctx: StatelessContext,
): Promise<StatelessValid | BlockInvalid> {
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
  const txs = response.transactions;
  if (txs.length > MAX_TRANSACTIONS_PER_BLOCK)
    return invalid(
      'transactions_exceed_block_limit',
      `Block ${request.blknum} holds ${txs.length} transactions; at most ${MAX_TRANSACTIONS_PER_BLOCK} fit in its Merkle tree.`,
    );

  // Decode a slice on this thread, hand it to the recoverer, go on with the next while it works.
  const slice = ctx.sliceTxs ?? DEFAULT_SLICE_TXS;
  const pending: Promise<PreparedTx[] | BlockInvalid>[] = [];
  for (let from = 0; from < txs.length; from += slice) {
    const p = prepareSlice(txs.slice(from, from + slice), from, ctx);
    p.catch(() => undefined); // awaited below, in order; keeps an early rejection from going unhandled
    pending.push(p);
    if (from + slice < txs.length) await nextTick();
  }
  const prepared: PreparedTx[] = [];
  const leaves = new Uint8Array(32 * txs.length);
  const pieces = new Uint8Array(32 * Math.ceil(txs.length / PIECE));
  let piecesDone = 0;
  for (const p of pending) {
    const r = await p;
    if (!Array.isArray(r)) {
      // Later slices are still recovering; let them finish (results unused) so the pool is not left busy.
      await Promise.allSettled(pending);
      return r;
    }
    leafHashesInto(
      r.map((tx) => tx.txBytes),
      leaves,
      prepared.length,
    );
    for (const tx of r) prepared.push(tx);
    // Every piece whose leaves are all in (the last one may be short).
    for (; piecesDone * PIECE < prepared.length; piecesDone++) {
      const end = Math.min((piecesDone + 1) * PIECE, txs.length);
      if (end > prepared.length) break;
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
  return { ok: true, prepared };
}

/** A statelessly valid block as the store takes it. */
export function blockToApply(request: BlockRequest, prepared: readonly PreparedTx[]): BlockToApply {
  return {
    blknum: request.blknum,
    hash: request.hash,
    ethHeight: request.ethHeight,
    timestamp: request.timestamp,
    transactions: prepared.map((p, txindex) => ({
      txindex,
      txHash: p.txHash,
      signedBytes: p.signedBytes,
      txBytes: p.txBytes,
    })),
  };
}

/**
 * Executes a statelessly valid block against the UTXO set (spec §1.5.4, fees ignored) with the shared
 * ledger; any failure is `tx_execution`, with the ledger's atom as `reason`. Pure apart from lookups,
 * and from `write`: when given, each slice's effects go to it as soon as the slice is executed, so a
 * store-writer can store them while the next slice executes (the caller commits or aborts it).
 * Works in slices of a thousand transactions (their inputs fetched in one sorted batch where the
 * store offers it) and yields to the event loop between them, so a full block never freezes the main
 * thread for its whole length; the caller must not change the UTXO set meanwhile.
 */
export async function executeBlock(
  request: BlockRequest,
  prepared: readonly PreparedTx[],
  utxos: BatchUtxoLookup,
  write?: Pick<BlockWrite, 'add'>,
): Promise<BlockExecuted | BlockInvalid> {
  const found = new Map<bigint, LedgerUtxo>();
  const execution = new BlockExecution(
    request.blknum,
    utxos.getUtxos ? { getUtxo: (pos) => found.get(pos) } : utxos,
  );
  for (let from = 0; from < prepared.length; from += EXECUTE_SLICE_TXS) {
    if (from > 0) await nextTick();
    const to = Math.min(prepared.length, from + EXECUTE_SLICE_TXS);
    // Sorted batch reads instead of a random lookup per input, where the store offers them. Inputs
    // created earlier in this block are not in the store; the ledger knows them.
    if (utxos.getUtxos) {
      const positions: bigint[] = [];
      for (let i = from; i < to; i++) {
        const exec = prepared[i]!.exec;
        if (exec.kind === 'payment') for (const input of exec.tx.inputs) positions.push(input);
      }
      found.clear();
      const got = utxos.getUtxos(positions, found);
      if (got !== found) for (const [pos, utxo] of got) found.set(pos, utxo);
    }
    for (let i = from; i < to; i++) {
      const entry = prepared[i]!.exec;
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
          txindex: i,
          message: `Block ${request.blknum}, ${e.message}`,
          ...(missingInput === undefined ? {} : { missingInput }),
        };
      }
    }
    write?.add(execution.takeEffects());
  }
  return { ok: true, effects: execution.effects() };
}

/** The whole of §1.5: stateless checks, then execution against `utxos`. */
export async function validateBlock(
  request: BlockRequest,
  response: BlockGetData,
  ctx: StatelessContext & { utxos: BatchUtxoLookup },
): Promise<BlockValid | BlockInvalid> {
  const checked = await checkBlock(request, response, ctx);
  if (!checked.ok) return checked;
  const executed = await executeBlock(request, checked.prepared, ctx.utxos);
  if (!executed.ok) return executed;
  return { ...executed, block: blockToApply(request, checked.prepared) };
}
