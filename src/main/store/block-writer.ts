// Applying a validated block without stalling the main thread: a full block is ~2.5 s of SQLite work
// (one transaction, as crash safety requires), during which the main thread would answer no IPC and
// hand the recovery workers no new chunks. The store-writer worker has its own connection to the same
// WAL database and runs the store's own writer (block-rows.ts) on rows packed here and moved over
// without a copy. Readers on the main connection keep seeing the last committed block until the
// commit, never half a block. The caller awaits each block before executing the next against the
// store, and nothing else writes meanwhile (the watcher's round runs its writers one after another);
// another write would simply wait for the commit (busy timeout).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BlockEffects } from '../../plasma/ledger';
import {
  BLOCK_ROWS_WRITER_SOURCE,
  checkHeights,
  packBlock,
  transferList,
  writerError,
  type BlockToApply,
  type PackedBlock,
  type PackedContext,
  type WriterFailure,
} from './block-rows';
import { connectionPragmas } from './database';
import { WRITER_SQL, type Heights, type WatcherStore } from './store';

export interface BlockWriter {
  /** Stores a validated block with its effects and the synced heights, as WatcherStore.applyBlock. */
  applyBlock(block: BlockToApply, effects: BlockEffects, heights?: Heights): Promise<void>;
  close(): Promise<void>;
}

/** Writes on the store's own connection, on this thread (in-memory stores, tests). */
export function inlineBlockWriter(store: WatcherStore): BlockWriter {
  return {
    applyBlock: (block, effects, heights) => {
      try {
        store.applyBlock(block, effects, heights);
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    close: () => Promise.resolve(),
  };
}

// The worker: opens the file with the main connection's settings, compiles the writer, then writes
// each packed block it is sent and answers { id, failure? }.
const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.path);
for (const pragma of workerData.pragmas) db.pragma(pragma);
// Checkpoints after answering, not inside the commit: the caller goes on with the next block while
// the log is copied back (a full block's checkpoint is ~0.2 s).
db.pragma('wal_autocheckpoint = 0');
const write = new Function('return (' + workerData.writerSource + ');')()(db, workerData.writerSql);
parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  const failure = write(msg.block);
  parentPort.postMessage({ id: msg.id, failure });
  if (failure) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (_) {
    // busy or failed: the next block's checkpoint (or any connection's) catches up
  }
});
`;

interface Pending {
  packed: PackedBlock;
  context: PackedContext;
  resolve: () => void;
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
  let closed = false;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
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
      if (pending.size === 0) w.unref();
      if (msg.failure) p.reject(writerError(msg.failure, p.packed, p.context, store.path));
      else p.resolve();
    });
    const gone = (why: string): void => {
      if (worker === w) worker = undefined;
      failAll(
        new Error(
          `The store writer ${why}; the block it was writing was not stored (nothing of it was committed).`,
        ),
      );
    };
    w.on('error', (e) => gone(`failed: ${e.message}`));
    w.on('exit', (code) => gone(`exited with code ${code}`));
    return w;
  };

  // Started now, so its start-up (opening the file) is not paid by the first block.
  worker = spawn();
  return {
    applyBlock(block, effects, heights = {}) {
      if (closed) return Promise.reject(new Error('The store writer is closed.'));
      let packedBlock: ReturnType<typeof packBlock>;
      try {
        packedBlock = packBlock(block, effects, checkHeights(heights));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      const { packed, context } = packedBlock;
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        worker ??= spawn();
        pending.set(id, { packed, context, resolve, reject });
        worker.ref();
        worker.postMessage({ id, block: packed }, transferList(packed));
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.ref(); // until it has closed its connection
      w.postMessage({ type: 'close' });
      await exited;
      failAll(new Error('The store writer was closed before the block was written.'));
    },
  };
}
