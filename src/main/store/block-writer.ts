// Applying a validated block without stalling the main thread: a full block is ~3 s of SQLite work
// (one transaction, as crash safety requires), during which the main thread would answer no IPC and
// hand the recovery workers no new chunks. The store-writer worker has its own connection to the same
// WAL database and runs the store's own writer (block-rows.ts) on rows packed here and moved over
// without a copy. Readers on the main connection keep seeing the last committed block until the
// commit, never half a block.
//
// A block is written in stages while it is checked and executed (`begin` with the block's own row,
// then its transactions and the deltas of its effects slice by slice as they are checked and
// executed, then `commit`): the worker stores each slice while the main thread and the recovery
// workers go on with the next, so checking, executing and storing a block overlap instead of
// following each other. From `begin` until the commit or abort settles the worker holds the store's
// write lock, and the commit needs this thread; so nothing else may write to the store meanwhile (the
// watcher's round runs its writers one after another, and the block getter itself writes nothing
// between a begin and its commit or abort). The caller awaits each block before executing the next
// against the store.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BlockEffects, EffectsDelta, LedgerUtxo } from '../../plasma/ledger';
import { BLOCK_OFFSET } from '../../plasma/position';
import {
  BLOCK_ROWS_WRITER_SOURCE,
  checkAllTransactions,
  checkEffectsBelong,
  checkHeights,
  packEffects,
  packTransactionRows,
  packTransactions,
  transferList,
  writerError,
  type BlockToApply,
  type BlockTransaction,
  type EffectsContext,
  type PackedEffects,
  type PackedPart,
  type PackedTransactionRows,
  type PackedTransactions,
  type WriterFailure,
} from './block-rows';
import { connectionPragmas } from './database';
import { WRITER_SQL, type Heights, type WatcherStore } from './store';

/** One block being stored while it is checked and executed. */
export interface BlockWrite {
  /**
   * Adds the block's next transactions (txindex continuing from the last given), when `begin` had
   * only the first of them. Never throws: transactions that cannot be stored fail the commit, and so
   * does a commit before all `txCount` were given.
   */
  transactions(txs: readonly BlockTransaction[]): void;
  /**
   * Adds the effects of the transactions executed since the last call (BlockExecution.takeEffects),
   * in order. Never throws: a delta that cannot be stored fails the commit.
   */
  add(delta: EffectsDelta): void;
  /** Stores the synced heights and commits the block; rejects (nothing of the block stored) on any failure. */
  commit(heights?: Heights): Promise<void>;
  /** Drops the block (it turned out invalid); nothing of it is stored. */
  abort(): Promise<void>;
}

export interface BlockWriter {
  /**
   * Starts storing `block`, whose effects (and, with `txCount`, the rest of its transactions) follow
   * as it executes. One block at a time: begin the next after the last one's commit or abort has
   * settled. Throws StoreError `invalid_block` if the block's own fields or transactions cannot be
   * stored.
   */
  begin(block: BlockToApply): BlockWrite;
  close(): Promise<void>;
}

const rejected = (e: unknown): Promise<never> =>
  Promise.reject(e instanceof Error ? e : new Error(String(e)));

/**
 * Where a block's packed rows go, stage by stage: the store's own connection (all at the commit) or
 * the worker (as they come). `commit` answers with the block's first failure, if any, or rejects if
 * the rows could not be written at all (the worker stopped).
 */
interface RowSink {
  transactions(rows: PackedTransactionRows): void;
  effects(rows: PackedEffects, part: number): void;
  commit(heights: [string, number][]): Promise<WriterFailure | undefined>;
  abort(): Promise<void>;
}

/**
 * The two writers' common part: packs the block and each delta on this thread, refuses a second
 * block while one is open, and turns the sink's answer into the store's errors. `open` starts a
 * sink for a block's transactions.
 */
function stagedWriter(
  store: WatcherStore,
  open: (transactions: PackedTransactions) => RowSink,
  close: () => Promise<void>,
): BlockWriter {
  let writing = false;
  let closed = false;
  return {
    begin(block) {
      if (closed) throw new Error('The store writer is closed.');
      if (writing) throw new Error('The store writer is still writing another block.');
      const transactions = packTransactions(block);
      const sink = open(transactions);
      writing = true;
      let given = block.transactions.length;
      const contexts: EffectsContext[] = [];
      // The block's outputs still unspent, by position within the block, for the store to answer the
      // next block's lookups from (WatcherStore.rememberCommittedOutputs).
      const outputs = new Map<number, LedgerUtxo>();
      const first = block.blknum * BLOCK_OFFSET;
      let refused: unknown;
      let settled = false;
      /** Ends the block once: the writer is free for the next one whatever the answer. */
      const settle = async <T>(last: () => Promise<T>): Promise<T> => {
        if (settled) throw new Error('This block was committed or aborted already.');
        settled = true;
        try {
          return await last();
        } finally {
          writing = false;
        }
      };
      return {
        transactions(txs) {
          if (settled || refused !== undefined || txs.length === 0) return;
          try {
            sink.transactions(packTransactionRows(block.blknum, transactions.txCount, txs, given));
            given += txs.length;
          } catch (e) {
            refused = e;
          }
        },
        add(delta) {
          if (settled || refused !== undefined) return;
          try {
            const { packed, context } = packEffects(transactions.blknum, delta);
            sink.effects(packed, contexts.length);
            contexts.push(context);
            for (const o of delta.created) outputs.set(Number(o.utxoPos - first), o);
            for (const p of delta.uncreated) outputs.delete(Number(p - first));
          } catch (e) {
            refused = e;
          }
        },
        async commit(heights = {}) {
          let checked: [string, number][] = [];
          try {
            checkAllTransactions(transactions.blknum, transactions.txCount, given);
            checked = checkHeights(heights);
          } catch (e) {
            refused ??= e;
          }
          if (refused !== undefined) {
            await settle(() => sink.abort().catch(() => undefined));
            throw refused;
          }
          const failure = await settle(() => sink.commit(checked));
          if (failure) throw writerError(failure, transactions.blknum, contexts, store.path);
          store.rememberCommittedOutputs(block.blknum, outputs);
        },
        // Nothing of the block is stored, whether the sink rolls it back or has stopped.
        abort: () => settle(() => sink.abort().catch(() => undefined)),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

/**
 * Stores a validated block with its whole effects and the synced heights through `writer` (begin, one
 * add, commit), as WatcherStore.applyBlock does on its own connection.
 */
export function applyBlockWith(
  writer: Pick<BlockWriter, 'begin'>,
  block: BlockToApply,
  effects: BlockEffects,
  heights: Heights = {},
): Promise<void> {
  let write: BlockWrite;
  try {
    checkEffectsBelong(block, effects);
    write = writer.begin(block);
  } catch (e) {
    return rejected(e);
  }
  write.add({ created: effects.created, spent: effects.spent, uncreated: [] });
  return write.commit(heights);
}

/**
 * Writes on the store's own connection, on this thread (in-memory stores, tests): the deltas are
 * gathered and the block written at the commit, in one synchronous call, so that readers on this
 * connection never see half a block.
 */
export function inlineBlockWriter(store: WatcherStore): BlockWriter {
  return stagedWriter(
    store,
    (transactions) => {
      const parts: PackedPart[] = [];
      return {
        transactions: (rows) => void parts.push(rows),
        effects: (rows) => void parts.push(rows),
        commit: (heights) => {
          try {
            return Promise.resolve(store.writePackedBlock(transactions, parts, heights));
          } catch (e) {
            return rejected(e);
          }
        },
        abort: () => Promise.resolve(),
      };
    },
    () => Promise.resolve(),
  );
}

// The worker: opens the file with the main connection's settings, compiles the writer, then runs each
// stage it is sent. A block's first failure rolls it back; later stages of that block are skipped and
// the failure is the answer to its commit. Only commit and abort are answered: { id, failure? }.
const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.path);
for (const pragma of workerData.pragmas) db.pragma(pragma);
// Checkpoints after answering, not inside the commit: the caller goes on with the next block while
// the log is copied back (a full block's checkpoint is ~0.2 s).
db.pragma('wal_autocheckpoint = 0');
const writer = new Function('return (' + workerData.writerSource + ');')()(db, workerData.writerSql);
let failure;
parentPort.on('message', (msg) => {
  switch (msg.type) {
    case 'begin':
      failure = writer.begin(msg.transactions);
      return;
    case 'transactions':
      if (!failure) failure = writer.transactions(msg.rows);
      return;
    case 'effects':
      if (!failure) failure = writer.effects(msg.effects, msg.part);
      return;
    case 'commit': {
      const answer = failure ?? writer.commit(msg.heights);
      failure = undefined;
      parentPort.postMessage({ id: msg.id, failure: answer });
      if (answer) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch (_) {
        // busy or failed: the next block's checkpoint (or any connection's) catches up
      }
      return;
    }
    case 'abort':
      writer.abort();
      failure = undefined;
      parentPort.postMessage({ id: msg.id });
      return;
    case 'close':
      writer.abort();
      db.close();
      parentPort.close();
      return;
  }
});
`;

interface Pending {
  resolve: (failure: WriterFailure | undefined) => void;
  reject: (e: unknown) => void;
}

const requireHere = createRequire(import.meta.url);

/**
 * A store-writer worker for a file-backed store (an in-memory one cannot be shared between
 * connections: it gets the inline writer). A worker that dies fails the block it was writing (nothing
 * of it was committed) and is replaced on the next block.
 */
export function workerBlockWriter(
  store: WatcherStore,
  options: { busyTimeoutMs?: number } = {},
): BlockWriter {
  if (store.path === ':memory:' || store.path === '') return inlineBlockWriter(store);
  const sqlitePath = requireHere.resolve('better-sqlite3');
  let worker: Worker | undefined;
  let nextId = 1;
  /** Answers awaited from the worker (commit and abort). */
  const pending = new Map<number, Pending>();
  /** The block being written: set by begin, cleared when its commit or abort settles. */
  let open: { died?: Error } | undefined;

  const spawn = (): Worker => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path: store.path,
        sqlitePath,
        pragmas: connectionPragmas(options.busyTimeoutMs ?? 5000),
        writerSource: BLOCK_ROWS_WRITER_SOURCE,
        writerSql: WRITER_SQL,
      },
    });
    w.unref();
    w.on('message', (msg: { id: number; failure?: WriterFailure }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      p.resolve(msg.failure);
    });
    const gone = (why: string): void => {
      if (worker !== w) return;
      worker = undefined;
      const error = new Error(
        `The store writer ${why}; the block it was writing was not stored (nothing of it was committed).`,
      );
      if (open) open.died = error;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    w.on('error', (e) => gone(`failed: ${e.message}`));
    w.on('exit', (code) => gone(`exited with code ${code}`));
    return w;
  };

  /** Posts a message the worker answers (commit, abort) and waits for the answer. */
  const ask = (w: Worker, message: object): Promise<WriterFailure | undefined> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      w.postMessage({ ...message, id });
    });

  // Started now, so its start-up (opening the file) is not paid by the first block.
  worker = spawn();
  return stagedWriter(
    store,
    (transactions) => {
      const state: { died?: Error } = {};
      open = state;
      const w = (worker ??= spawn());
      w.ref(); // until the block settles
      w.postMessage({ type: 'begin', transactions }, transferList(transactions));
      /** Sends the block's last message and waits for the answer. */
      const finish = async (message: object): Promise<WriterFailure | undefined> => {
        try {
          if (state.died) throw state.died;
          return await ask(w, message);
        } finally {
          if (open === state) open = undefined;
          if (worker === w) w.unref();
        }
      };
      return {
        transactions: (rows) => {
          if (!state.died) w.postMessage({ type: 'transactions', rows }, transferList(rows));
        },
        effects: (rows, part) => {
          if (!state.died)
            w.postMessage({ type: 'effects', effects: rows, part }, transferList(rows));
        },
        commit: (heights) => finish({ type: 'commit', heights }),
        abort: async () => void (await finish({ type: 'abort' })),
      };
    },
    async () => {
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.ref(); // until it has closed its connection
      w.postMessage({ type: 'close' });
      await exited;
      const error = new Error('The store writer was closed before the block was written.');
      if (open) open.died = error;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    },
  );
}
