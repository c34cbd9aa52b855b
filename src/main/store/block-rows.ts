// One applied block as the rows it adds, packed into a few flat arrays, and the one routine that writes
// them. A block is packed in parts: its transactions (known before it is executed), then its effects
// in one or more deltas (BlockExecution.takeEffects), so that a writer can store a block while it is
// being executed. Packing checks everything the schema would otherwise refuse with a vaguer message
// and runs on the caller's thread; writing is pure SQLite work in ONE immediate transaction together
// with the synced heights, and can run on this thread (WatcherStore.applyBlock) or on the
// store-writer worker (block-writer.ts), which is why the writer is plain JavaScript source, like the
// recovery worker's: an eval'd worker needs no file of its own at run time under tsx, vitest or the
// built app.
import type { BlockEffects, EffectsDelta, SpentInput } from '../../plasma/ledger';
import type { Hex } from '../../plasma/types';
import {
  amountText,
  blknumValue,
  hashBytes,
  positionInto,
  wholeNumber,
  writeHexBytes,
} from './codec';
import type { Db } from './database';
import { StoreError, translateSqliteError } from './errors';

export interface BlockTransaction {
  txindex: number;
  txHash: Hex;
  /** The signed transaction as the operator served it. */
  signedBytes: Uint8Array;
  /** The unsigned transaction (what is hashed and put in the Merkle tree). */
  txBytes: Uint8Array;
}

export interface BlockToApply {
  blknum: bigint;
  /** The Merkle root, as submitted to the framework. */
  hash: Hex;
  /** The Ethereum height of the BlockSubmitted log. */
  ethHeight: number;
  /** The `blocks(blknum).timestamp` of the framework, in seconds. */
  timestamp: number;
  /** The block's transactions, or the first of them when the rest follow (BlockWrite.transactions). */
  transactions: readonly BlockTransaction[];
  /** How many transactions the block holds, when they are given in parts; `transactions.length` by default. */
  txCount?: number;
}

/**
 * Rows of consecutive transactions of a block: every array owns its ArrayBuffer (see `transferList`),
 * so they move to the writer worker without a copy and without cloning 65,536 objects.
 */
export interface PackedTransactionRows {
  /** The txindex of the first row. */
  first: number;
  /** 32 bytes per transaction. */
  txHashes: Uint8Array;
  /** The signed and the unsigned bytes of all transactions back to back, and where each one ends. */
  signed: Uint8Array;
  signedEnds: Uint32Array;
  unsigned: Uint8Array;
  unsignedEnds: Uint32Array;
}

/** A block's own row and the rows of its first transactions (all of them, unless more parts follow). */
export interface PackedTransactions extends PackedTransactionRows {
  blknum: number;
  hash: Uint8Array;
  ethHeight: number;
  timestamp: number;
  /** Transactions in the whole block. */
  txCount: number;
}

/** The rows of a block's effects, or of one delta of them (transferable like PackedTransactions). */
export interface PackedEffects {
  /** Per created output: blknum, txindex, oindex, outputType. */
  createdNumbers: Float64Array;
  /** Per created output: owner and token, 20 bytes each. */
  createdAddresses: Uint8Array;
  /** Per created output: its amount in decimal, all joined with ','. */
  createdAmounts: string;
  /** Per created output: its creating transaction's hash, 32 bytes. */
  createdHashes: Uint8Array;
  /** Per spent input, in position order: blknum, txindex, oindex, spending txindex. */
  spends: Float64Array;
  /** Per output of this block created by an earlier delta and spent since: blknum, txindex, oindex. */
  uncreated: Float64Array;
}

/** What the caller keeps of a packed delta to explain a failure of the writer (not sent to the worker). */
export interface EffectsContext {
  /** The spent inputs in the order of `spends`. */
  spent: readonly SpentInput[];
  /** The positions in the order of `uncreated`. */
  uncreated: readonly bigint[];
}

/** What follows a block's own row, in order: more of its transactions, or a delta of its effects. */
export type PackedPart = PackedTransactionRows | PackedEffects;

/** Synced heights as [name, height] pairs, checked. */
export function checkHeights(heights: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(heights).map(([name, h]) => {
    if (name === '') throw new StoreError('invalid_argument', 'A synced height needs a name.');
    return [name, wholeNumber(h, `synced height of ${name}`)];
  });
}

function missing(blknum: number, input: { utxoPos: bigint; txindex: number }): StoreError {
  return new StoreError(
    'utxo_missing',
    `Block ${blknum} spends ${input.utxoPos} (in transaction ${input.txindex}), which is not ` +
      `in the stored UTXO set: the executor and the store disagree. Nothing was written.`,
  );
}

/** Concatenates byte arrays into one fresh (transferable) array, with where each one ends. */
function concat(parts: readonly Uint8Array[]): { bytes: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(parts.length);
  let length = 0;
  parts.forEach((p, i) => (ends[i] = length += p.length));
  const bytes = new Uint8Array(length);
  parts.forEach((p, i) => bytes.set(p, ends[i]! - p.length));
  return { bytes, ends };
}

/**
 * Checks transactions `first`, `first + 1`… of block `blknum` (which holds `txCount`) and packs their
 * rows. Throws StoreError `invalid_block`.
 */
export function packTransactionRows(
  blknum: bigint,
  txCount: number,
  txs: readonly BlockTransaction[],
  first: number,
): PackedTransactionRows {
  if (first + txs.length > txCount) {
    throw new StoreError(
      'invalid_block',
      `Block ${blknum} holds ${txCount} transactions; transactions ${first} to ${first + txs.length - 1} do not fit in it.`,
    );
  }
  const txHashes = new Uint8Array(32 * txs.length);
  const txHashesOut = Buffer.from(txHashes.buffer);
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!;
    if (tx.txindex !== first + i) {
      throw new StoreError(
        'invalid_block',
        `Transaction ${first + i} of block ${blknum} says it is at index ${tx.txindex}; a block's ` +
          `transactions fill indexes 0, 1, 2… in order.`,
      );
    }
    writeHexBytes(txHashesOut, 32 * i, tx.txHash, 32, 'hash');
  }
  const signed = concat(txs.map((tx) => tx.signedBytes));
  const unsigned = concat(txs.map((tx) => tx.txBytes));
  return {
    first,
    txHashes,
    signed: signed.bytes,
    signedEnds: signed.ends,
    unsigned: unsigned.bytes,
    unsignedEnds: unsigned.ends,
  };
}

/**
 * Checks a block's own fields and its (first) transactions and packs their rows. Throws StoreError
 * `invalid_block`.
 */
export function packTransactions(block: BlockToApply): PackedTransactions {
  const blknum = blknumValue(block.blknum);
  const txCount = block.txCount ?? block.transactions.length;
  if (!Number.isSafeInteger(txCount) || txCount < 0 || txCount > 65_536) {
    throw new StoreError(
      'invalid_block',
      `Block ${block.blknum} has ${txCount} transactions; at most 65536 fit.`,
    );
  }
  return {
    ...packTransactionRows(block.blknum, txCount, block.transactions, 0),
    blknum,
    hash: new Uint8Array(hashBytes(block.hash, 'block hash')),
    ethHeight: wholeNumber(block.ethHeight, 'eth height'),
    timestamp: wholeNumber(block.timestamp, 'block timestamp'),
    txCount,
  };
}

/**
 * Writes `utxoPos` as blknum, txindex, oindex to out[at…at+2]; throws unless it is an output of
 * block `blknum`.
 */
function positionIn(
  blknum: number,
  utxoPos: bigint,
  what: string,
  out: Float64Array,
  at: number,
): void {
  if (!positionInto(utxoPos, out, at) || out[at] !== blknum) {
    throw new StoreError(
      'invalid_block',
      `Block ${blknum} cannot ${what} output ${utxoPos}: it is not a position in this block.`,
    );
  }
}

/**
 * Checks the effects (or a delta of them) of block `blknum` and packs their rows. Throws StoreError
 * `invalid_argument`, `invalid_block` or `utxo_missing` (an input spent twice).
 */
export function packEffects(
  blknum: number,
  effects: Pick<EffectsDelta, 'created' | 'spent'> & Partial<Pick<EffectsDelta, 'uncreated'>>,
): { packed: PackedEffects; context: EffectsContext } {
  const created = effects.created;
  const createdNumbers = new Float64Array(4 * created.length);
  const createdAddresses = new Uint8Array(40 * created.length);
  const createdHashes = new Uint8Array(32 * created.length);
  const addressesOut = Buffer.from(createdAddresses.buffer);
  const hashesOut = Buffer.from(createdHashes.buffer);
  const amounts: string[] = new Array(created.length);
  let lastHash = '';
  for (let i = 0; i < created.length; i++) {
    const o = created[i]!;
    positionIn(blknum, o.utxoPos, 'create', createdNumbers, 4 * i);
    const outputType = Number(o.outputType);
    if (!Number.isSafeInteger(outputType) || outputType <= 0)
      throw new StoreError(
        'invalid_argument',
        `Output ${o.utxoPos} has type ${String(o.outputType)}; output types are positive integers.`,
      );
    createdNumbers[4 * i + 3] = outputType;
    writeHexBytes(addressesOut, 40 * i, o.owner, 20, 'output owner');
    writeHexBytes(addressesOut, 40 * i + 20, o.token, 20, 'output token');
    amounts[i] = amountText(o.amount);
    // Consecutive outputs share their transaction.
    if (i > 0 && o.txHash === lastHash) hashesOut.copyWithin(32 * i, 32 * (i - 1), 32 * i);
    else writeHexBytes(hashesOut, 32 * i, (lastHash = o.txHash), 32, 'creating transaction hash');
  }

  // In position order, so that consecutive B-tree operations hit neighbouring pages. A position
  // spent twice, or outside the v1 bounds, is `utxo_missing` (it cannot be in the set twice).
  const spent = [...effects.spent].sort((x, y) =>
    x.utxoPos < y.utxoPos ? -1 : x.utxoPos > y.utxoPos ? 1 : 0,
  );
  const spends = new Float64Array(4 * spent.length);
  for (let i = 0; i < spent.length; i++) {
    const input = spent[i]!;
    if (
      !positionInto(input.utxoPos, spends, 4 * i) ||
      (i > 0 && spent[i - 1]!.utxoPos === input.utxoPos)
    )
      throw missing(blknum, input);
    spends[4 * i + 3] = input.txindex;
  }

  const uncreatedIn = effects.uncreated ?? [];
  const uncreated = new Float64Array(3 * uncreatedIn.length);
  uncreatedIn.forEach((utxoPos, i) => positionIn(blknum, utxoPos, 'uncreate', uncreated, 3 * i));

  return {
    packed: {
      createdNumbers,
      createdAddresses,
      createdAmounts: amounts.join(','),
      createdHashes,
      spends,
      uncreated,
    },
    context: { spent, uncreated: uncreatedIn },
  };
}

/** Refuses (StoreError `invalid_block`) the effects of another block than `block`. */
export function checkEffectsBelong(block: BlockToApply, effects: BlockEffects): void {
  if (effects.blknum !== block.blknum) {
    throw new StoreError(
      'invalid_block',
      `The effects given are those of block ${effects.blknum}, not of block ${block.blknum}.`,
    );
  }
}

/** Refuses (StoreError `invalid_block`) to store a block with some of its transactions missing. */
export function checkAllTransactions(blknum: number, txCount: number, given: number): void {
  if (given !== txCount)
    throw new StoreError(
      'invalid_block',
      `Block ${blknum} holds ${txCount} transactions; ${given} were given. Nothing was written.`,
    );
}

/** A whole block and its effects, checked and packed (the effects as one part). */
export function packBlock(
  block: BlockToApply,
  effects: BlockEffects,
): { transactions: PackedTransactions; effects: PackedEffects; context: EffectsContext } {
  checkEffectsBelong(block, effects);
  const transactions = packTransactions(block);
  checkAllTransactions(transactions.blknum, transactions.txCount, block.transactions.length);
  const { packed, context } = packEffects(transactions.blknum, effects);
  return { transactions, effects: packed, context };
}

/** The buffers to transfer (not copy) with packed rows. */
export function transferList(p: PackedTransactions | PackedPart): ArrayBuffer[] {
  const arrays =
    'txHashes' in p
      ? [
          ...('hash' in p ? [p.hash] : []),
          p.txHashes,
          p.signed,
          p.signedEnds,
          p.unsigned,
          p.unsignedEnds,
        ]
      : [p.createdNumbers, p.createdAddresses, p.createdHashes, p.spends, p.uncreated];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** The statements the writer shares with the store (store.ts WRITER_SQL). */
export interface WriterSql {
  lastBlock: string;
  /** Inserts an output (position, then the output's columns) into `outputs`. */
  insertOutput: string;
  setHeight: string;
}

/** A failure of the writer as plain data (it crosses from the worker). */
export interface WriterFailure {
  /** The writer's own refusals. */
  reason?: 'block_out_of_order' | 'utxo_missing' | 'uncreated_missing';
  /**
   * For block_out_of_order: the last applied block; for utxo_missing: the index in `spends`; for
   * uncreated_missing: the index in `uncreated`.
   */
  at?: number;
  /** For utxo_missing and uncreated_missing: which part of the effects (the n-th delta) it was in. */
  part?: number;
  /** SQLite's result code, for translateSqliteError. */
  code?: string;
  message: string;
}

/** The StoreError (or translated SQLite error) a writer failure means for the caller. */
export function writerError(
  failure: WriterFailure,
  blknum: number,
  contexts: readonly EffectsContext[],
  path: string,
): unknown {
  if (failure.reason === 'block_out_of_order')
    return new StoreError(
      'block_out_of_order',
      `Block ${blknum} cannot be applied after block ${failure.at}: blocks are applied once each, in order.`,
    );
  const context = contexts[failure.part ?? 0];
  if (failure.reason === 'utxo_missing') {
    const spent = context?.spent ?? [];
    const input = spent[failure.at ?? 0] ?? spent[0];
    if (input) return missing(blknum, input);
  }
  if (failure.reason === 'uncreated_missing')
    return new StoreError(
      'utxo_missing',
      `Block ${blknum} spends its own output ${context?.uncreated[failure.at ?? 0] ?? '(unknown)'}, ` +
        `which is not in the stored UTXO set: it was never stored or was spent twice. Nothing was written.`,
    );
  const error = Object.assign(
    new Error(failure.message),
    failure.code ? { code: failure.code } : {},
  );
  return translateSqliteError(error, path);
}

/** The writer compiled for one connection (see BLOCK_ROWS_WRITER_SOURCE). */
export interface BlockRowsWriter {
  /**
   * A whole block in one immediate transaction (a savepoint inside an open one); a failure in the
   * n-th effects part has `part` n.
   */
  write(
    transactions: PackedTransactions,
    parts: readonly PackedPart[],
    heights: [string, number][],
  ): WriterFailure | undefined;
  /** A block in stages: begin, more transactions and effects as they come, then commit or abort. */
  begin(transactions: PackedTransactions): WriterFailure | undefined;
  transactions(rows: PackedTransactionRows): WriterFailure | undefined;
  effects(part: PackedEffects, index: number): WriterFailure | undefined;
  commit(heights: [string, number][]): WriterFailure | undefined;
  abort(): void;
}

/**
 * The writer, as JavaScript source: `(db, sql) => BlockRowsWriter`, on the connection `db`
 * (better-sqlite3), with the statements it shares with the store from `sql` (WRITER_SQL).
 * `write` stores a whole block and its heights in one immediate transaction; the stages do the same
 * across calls (the store-writer worker writes a block while the main thread checks and executes
 * it): `begin` opens the transaction and writes the block's row and first transactions, each
 * `transactions` more of them, each `effects` a delta, `commit` the heights. Any failure rolls the
 * whole block back and is returned as plain data (a block out of order, an input not in the set, or
 * SQLite's error), the same on this thread and from the worker.
 * Rows go in with a prepared statement each (measured: one JSON-fed statement per kind of row was
 * 10–20% slower); spends are staged in a temporary table and recorded with one INSERT … SELECT.
 */
export const BLOCK_ROWS_WRITER_SOURCE = String.raw`(db, sql) => {
  // Outside any transaction: a temp table created inside one that rolls back would be gone.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS spent_now (blknum INTEGER, txindex INTEGER, oindex INTEGER, spending_txindex INTEGER)');
  const s = {
    lastBlock: db.prepare(sql.lastBlock).pluck(),
    insertBlock: db.prepare('INSERT INTO blocks (blknum, hash, eth_height, timestamp, tx_count) VALUES (?, ?, ?, ?, ?)'),
    insertTx: db.prepare('INSERT INTO transactions (blknum, txindex, txhash, signed_bytes, tx_bytes) VALUES (?, ?, ?, ?, ?)'),
    insertOutput: db.prepare(sql.insertOutput),
    hasUtxo: db.prepare('SELECT 1 FROM utxos WHERE blknum = ? AND txindex = ? AND oindex = ?').pluck(),
    // An output created by this block and spent later in it: it has no spend record to keep.
    uncreate: db.prepare(
      'DELETE FROM outputs WHERE blknum = ? AND txindex = ? AND oindex = ? AND NOT EXISTS ' +
      '(SELECT 1 FROM spends s WHERE s.blknum = outputs.blknum AND s.txindex = outputs.txindex AND s.oindex = outputs.oindex)'),
    stage: db.prepare('INSERT INTO temp.spent_now VALUES (?, ?, ?, ?)'),
    // A staged input with no output fails the foreign key (on for every connection, database.ts); one
    // already spent fails the primary key.
    spend: db.prepare(
      "INSERT INTO spends (blknum, txindex, oindex, spent_by, spending_blknum, spending_txindex) SELECT blknum, txindex, oindex, 'tx', ?, spending_txindex FROM temp.spent_now"),
    clear: db.prepare('DELETE FROM temp.spent_now'),
    setHeight: db.prepare(sql.setHeight),
  };
  // A block's rows land all over the tables' indexes; with better-sqlite3's default page cache (16 MB)
  // a full block's dirty pages are spilled to the log and read back again (measured on the devnet's
  // full block, writing it whole: 3.5–3.9 s with 16 MB, 3.1 s with 32 MB, no better with 64 or 128).
  // While a block is written the cache grows with it, half a KiB per transaction (32 MB for a full
  // block), and shrinks back after, so a catch-up of small blocks keeps the default footprint.
  const defaultCache = db.pragma('cache_size', { simple: true });
  const cacheFor = (txCount) => {
    const kib = Math.ceil(txCount / 2);
    if (defaultCache < 0 && kib > -defaultCache) db.pragma('cache_size = ' + -kib);
  };
  const cacheBack = () => db.pragma('cache_size = ' + defaultCache);
  const view = (a, at, length) => Buffer.from(a.buffer, a.byteOffset + at, length);
  const refuse = (reason, at, message) => Object.assign(new Error(message), { reason, at });
  let blknum = 0; // of the block being written
  const blockRow = (p) => {
    const last = s.lastBlock.get();
    if (last !== null && p.blknum <= last) throw refuse('block_out_of_order', last, 'block out of order');
    blknum = p.blknum;
    s.insertBlock.run(p.blknum, view(p.hash, 0, 32), p.ethHeight, p.timestamp, p.txCount);
  };
  const transactionRows = (p) => {
    for (let i = 0, from = 0, ufrom = 0; i < p.signedEnds.length; i++) {
      const to = p.signedEnds[i], uto = p.unsignedEnds[i];
      s.insertTx.run(blknum, p.first + i, view(p.txHashes, 32 * i, 32), view(p.signed, from, to - from), view(p.unsigned, ufrom, uto - ufrom));
      from = to;
      ufrom = uto;
    }
  };
  const effectRows = (p, part) => {
    const n = p.createdNumbers, a = p.createdAddresses, h = p.createdHashes;
    const amounts = n.length === 0 ? [] : p.createdAmounts.split(',');
    for (let i = 0; i < amounts.length; i++)
      s.insertOutput.run(n[4 * i], n[4 * i + 1], n[4 * i + 2], n[4 * i + 3], view(a, 40 * i, 20), view(a, 40 * i + 20, 20), amounts[i], view(h, 32 * i, 32));
    const u = p.uncreated;
    for (let i = 0; i < u.length; i += 3)
      if (s.uncreate.run(u[i], u[i + 1], u[i + 2]).changes !== 1)
        throw Object.assign(refuse('uncreated_missing', i / 3, 'output of this block not in the set'), { part });
    const sp = p.spends, count = sp.length / 4;
    if (count > 0) {
      for (let i = 0; i < count; i++) s.stage.run(sp[4 * i], sp[4 * i + 1], sp[4 * i + 2], sp[4 * i + 3]);
      try {
        spendStaged(count);
      } catch (e) {
        if (e !== NOT_ALL_SPENT) throw e;
        let gone = 0;
        while (gone < count && s.hasUtxo.get(sp[4 * gone], sp[4 * gone + 1], sp[4 * gone + 2]) !== undefined) gone++;
        throw Object.assign(refuse('utxo_missing', gone < count ? gone : 0, 'input not in the set'), { part });
      }
      s.clear.run();
    }
  };
  // The staged inputs are spent by one statement in a savepoint (a nested transaction): when one of
  // them has no output or is spent already, what the statement did is undone, so the set is as it was
  // before and the caller can tell which input it was.
  const NOT_ALL_SPENT = new Error('not every staged input was spent');
  const spendStaged = db.transaction((count) => {
    let spent = -1;
    try {
      spent = s.spend.run(blknum).changes;
    } catch (e) {
      if (!(typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT'))) throw e;
    }
    if (spent !== count) throw NOT_ALL_SPENT;
  });
  const heightRows = (heights) => {
    for (const [name, h] of heights) s.setHeight.run(name, h);
  };
  const failure = (e) => {
    const f = typeof e === 'object' && e !== null ? e : {};
    return {
      ...(typeof f.reason === 'string' ? { reason: f.reason } : {}),
      ...(typeof f.at === 'number' ? { at: f.at } : {}),
      ...(typeof f.part === 'number' ? { part: f.part } : {}),
      ...(typeof f.code === 'string' ? { code: f.code } : {}),
      message: e instanceof Error ? e.message : String(e),
    };
  };
  const abort = () => {
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } finally {
      cacheBack();
    }
  };
  // Runs one stage; on failure the block's transaction is gone and the failure is returned.
  const stage = (fn) => {
    try {
      fn();
      return undefined;
    } catch (e) {
      try {
        abort();
      } catch (_) {
        // SQLite already rolled back (some errors end the transaction themselves)
      }
      return failure(e);
    }
  };
  const whole = db.transaction((t, parts, heights) => {
    blockRow(t);
    transactionRows(t);
    let effectsPart = 0;
    for (const p of parts) {
      if ('txHashes' in p) transactionRows(p);
      else effectRows(p, effectsPart++);
    }
    heightRows(heights);
  }).immediate;
  return {
    write: (t, parts, heights) => {
      try {
        cacheFor(t.txCount);
        whole(t, parts, heights);
        return undefined;
      } catch (e) {
        return failure(e);
      } finally {
        cacheBack();
      }
    },
    begin: (t) => stage(() => {
      cacheFor(t.txCount);
      db.exec('BEGIN IMMEDIATE');
      blockRow(t);
      transactionRows(t);
    }),
    transactions: (p) => stage(() => transactionRows(p)),
    effects: (p, part) => stage(() => effectRows(p, part)),
    commit: (heights) => stage(() => {
      heightRows(heights);
      db.exec('COMMIT');
      cacheBack();
    }),
    abort,
  };
}`;

/** The writer compiled for a connection on this thread. */
export function compileBlockRowsWriter(db: Db, sql: WriterSql): BlockRowsWriter {
  return new Function(`return (${BLOCK_ROWS_WRITER_SOURCE});`)()(db, sql) as BlockRowsWriter;
}
