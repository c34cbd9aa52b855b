// A worker_threads pool that recovers a block's signers on every core while the main thread stays
// free for IPC and the root-chain follower. A batch is cut into chunks handed out on demand (two
// in flight per worker so no worker waits on the main thread); each chunk is one transferred
// ArrayBuffer (packing.ts). The main thread only packs and unpacks, a chunk at a time, so its
// longest stall is one chunk's worth (~1 ms per 1,024 items), not a block's.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Address } from '../../plasma/types';
import { KECCAK_WASM_HEX, KECCAK_WASM_LAYOUT } from '../../plasma/keccak-wasm-module';
import { jsRecoverer, type SignatureRecoverer } from '../../plasma/recover';
import {
  fallbackWarning,
  loadNativeSecp256k1,
  type NativeLoadResult,
  type NativeModulePaths,
} from './native-secp256k1';
import { ITEM_BYTES, packItems, unpackResults } from './packing';
import type { RecoveryItem } from './native-recoverer';
import { RECOVER_WORKER_SOURCE } from './recover-worker-source';

export interface RecoveryPoolOptions {
  /** Worker threads; os.availableParallelism() by default. */
  threads?: number;
  /** Signatures per message to a worker; 1,024 by default (~60 ms of work, ~100 KB). */
  chunkSize?: number;
  /** Where the fallback warning goes; console.warn by default. */
  warn?: (message: string) => void;
  /** Replaces the loader (tests use it to simulate a missing prebuild). */
  load?: () => NativeLoadResult;
  /**
   * How far below the other threads the workers are scheduled, as an increment of their nice value
   * (Linux; elsewhere they keep the default): 5 by default, 0 to leave them alone. Recovery is bulk
   * work that fills whatever CPU is left; the main thread (IPC, a block's decoding and execution) and
   * the store writer are the block pipeline's serial parts. At equal priority all four threads get
   * half a core each on a 2-core machine, the writer falls behind and a full block ends with the
   * writer alone (measured on the devnet's full block: 5.47 s at equal priority, 5.23–5.42 s at +5,
   * 5.34 s at +10; the main thread's longest stall while checking it ~100–130 ms instead of
   * 360–500 ms).
   */
  niceness?: number;
}

export interface RecoveryPool extends SignatureRecoverer {
  /** Worker threads in use; 0 when running on the JS fallback. */
  readonly threads: number;
  /** True when signatures are recovered natively in workers. */
  readonly native: boolean;
  /** Rejects batches still running with `recovery_pool_closed` and stops the workers. */
  close(): Promise<void>;
  /** Work done so far, to tell idle workers from slow ones (benchmarks, diagnostics). */
  stats(): RecoveryPoolStats;
}

export interface RecoveryPoolStats {
  /** Chunks and milliseconds of recovery done by each worker slot since the pool started. */
  chunks: number[];
  busyMs: number[];
  /** Workers replaced after a crash. */
  respawns: number;
  /** Workers hashing public keys with the library's WebAssembly Keccak (the rest use noble's, slower). */
  fastKeccakWorkers: number;
  /** Workers running below the default scheduling priority (see RecoveryPoolOptions.niceness). */
  lowPriorityWorkers: number;
}

export type RecoveryPoolErrorCode = 'recovery_worker_crashed' | 'recovery_pool_closed';

/** Why a batch was not recovered. Nothing about the signatures is known: retry the whole batch. */
export class RecoveryPoolError extends Error {
  constructor(
    readonly code: RecoveryPoolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RecoveryPoolError';
  }
}

interface Batch {
  items: ReadonlyArray<RecoveryItem>;
  results: (Address | null)[];
  /** Next item not yet handed to a worker. */
  next: number;
  /** Chunks handed out and not yet returned. */
  outstanding: number;
  settled: boolean;
  resolve: (results: (Address | null)[]) => void;
  reject: (error: Error) => void;
}

interface Chunk {
  batch: Batch;
  start: number;
  count: number;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Chunk>;
  ready: boolean;
  gone: boolean;
  fastKeccak: boolean;
  lowPriority: boolean;
}

type CrashMode = 'throw' | 'exit';

const IN_FLIGHT_PER_WORKER = 2;
const DEFAULT_CHUNK = 1024;
const DEFAULT_NICENESS = 5;
/** Workers that die before saying ready this many times in a row mean the binding won't load there. */
const MAX_STARTUP_FAILURES = 3;

const crashHooks = new WeakMap<RecoveryPool, (mode: CrashMode, index: number) => void>();

/** Test hook: makes worker `index` crash (uncaught throw, or process.exit) on its next chunk. */
export function crashWorkerForTesting(
  pool: RecoveryPool,
  mode: CrashMode = 'throw',
  index = 0,
): void {
  const hook = crashHooks.get(pool);
  if (!hook) throw new Error('not a native recovery pool');
  hook(mode, index);
}

/** Creates the pool; falls back to the library's JS recoverer (logged) when the native binding won't load. */
export function createRecoveryPool(options: RecoveryPoolOptions = {}): RecoveryPool {
  const warn = options.warn ?? console.warn;
  const loaded = (options.load ?? loadNativeSecp256k1)();
  if (!loaded.ok) {
    warn(fallbackWarning(loaded.error));
    return jsFallbackPool();
  }
  const threads = options.threads ?? availableParallelism();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const niceness = options.niceness ?? DEFAULT_NICENESS;
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19)
    throw new RangeError(`niceness must be an integer from 0 to 19, got ${niceness}`);
  return new NativeRecoveryPool(threads, chunkSize, niceness, loaded.paths, warn);
}

function jsFallbackPool(): RecoveryPool {
  let closed = false;
  return {
    threads: 0,
    native: false,
    recoverBatch: (items) =>
      closed
        ? Promise.reject(
            new RecoveryPoolError('recovery_pool_closed', 'The signature recovery pool is closed.'),
          )
        : jsRecoverer.recoverBatch(items),
    close: async () => {
      closed = true;
    },
    stats: () => ({
      chunks: [],
      busyMs: [],
      respawns: 0,
      fastKeccakWorkers: 0,
      lowPriorityWorkers: 0,
    }),
  };
}

class NativeRecoveryPool implements RecoveryPool {
  readonly native = true;
  private readonly slots: Slot[] = [];
  private readonly queue: Batch[] = [];
  private readonly freeBuffers: ArrayBuffer[] = [];
  private nextChunkId = 1;
  private closed = false;
  private startupFailures = 0;
  private readonly chunksDone: number[];
  private readonly busyMs: number[];
  private respawns = 0;
  /** Set when workers cannot start at all; batches then run on the JS recoverer. */
  private fallback: SignatureRecoverer | undefined;

  constructor(
    readonly threads: number,
    private readonly chunkSize: number,
    private readonly niceness: number,
    private readonly paths: NativeModulePaths,
    private readonly warn: (message: string) => void,
  ) {
    this.chunksDone = new Array<number>(threads).fill(0);
    this.busyMs = new Array<number>(threads).fill(0);
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
    crashHooks.set(this, (mode, index) => {
      const slot = this.slots[index];
      if (!slot) throw new RangeError(`no worker ${index}`);
      slot.worker.postMessage({ type: 'crash', mode });
    });
  }

  recoverBatch(items: ReadonlyArray<RecoveryItem>): Promise<(Address | null)[]> {
    if (this.closed)
      return Promise.reject(
        new RecoveryPoolError('recovery_pool_closed', 'The signature recovery pool is closed.'),
      );
    if (this.fallback) return this.fallback.recoverBatch(items);
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const batch: Batch = {
        items,
        results: new Array(items.length),
        next: 0,
        outstanding: 0,
        settled: false,
        resolve,
        reject,
      };
      this.queue.push(batch);
      for (const slot of this.slots) this.dispatch(slot);
    });
  }

  stats(): RecoveryPoolStats {
    return {
      chunks: [...this.chunksDone],
      busyMs: [...this.busyMs],
      respawns: this.respawns,
      fastKeccakWorkers: this.slots.filter((s) => s.fastKeccak).length,
      lowPriorityWorkers: this.slots.filter((s) => s.lowPriority).length,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new RecoveryPoolError(
      'recovery_pool_closed',
      'The signature recovery pool was closed before this batch finished.',
    );
    for (const batch of [...this.queue]) this.fail(batch, error);
    for (const slot of this.slots)
      for (const chunk of slot.inFlight.values()) this.fail(chunk.batch, error);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(RECOVER_WORKER_SOURCE, {
      eval: true,
      workerData: {
        paths: this.paths,
        keccakWasm: { hex: KECCAK_WASM_HEX, dynamic: KECCAK_WASM_LAYOUT.DYNAMIC },
        niceness: this.niceness,
      },
    });
    const slot: Slot = {
      worker,
      inFlight: new Map(),
      ready: false,
      gone: false,
      fastKeccak: false,
      lowPriority: false,
    };
    // Idle workers must not keep the process alive; dispatch() refs them while they hold work.
    worker.unref();
    worker.on(
      'message',
      (msg: {
        type?: string;
        id?: number;
        buf?: ArrayBuffer;
        count?: number;
        busyMs?: number;
        fastKeccak?: boolean;
        lowPriority?: boolean;
      }) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          slot.fastKeccak = msg.fastKeccak === true;
          slot.lowPriority = msg.lowPriority === true;
          this.startupFailures = 0;
          return;
        }
        const index = this.slots.indexOf(slot);
        if (index < 0) return; // a replaced worker's late reply
        this.chunksDone[index]!++;
        this.busyMs[index]! += msg.busyMs ?? 0;
        this.onResult(slot, msg.id!, msg.buf!, msg.count!);
      },
    );
    worker.on('error', (err) => this.onWorkerGone(slot, `threw ${err.message}`));
    worker.on('exit', (code) => this.onWorkerGone(slot, `exited with code ${code}`));
    return slot;
  }

  private dispatch(slot: Slot): void {
    while (!slot.gone && slot.inFlight.size < IN_FLIGHT_PER_WORKER) {
      const batch = this.queue[0];
      if (!batch) break;
      const start = batch.next;
      const count = Math.min(this.chunkSize, batch.items.length - start);
      const buffer = this.freeBuffers.pop() ?? new ArrayBuffer(this.chunkSize * ITEM_BYTES);
      try {
        packItems(batch.items, start, count, new Uint8Array(buffer));
      } catch (err) {
        // A malformed item (digest not 32 bytes) fails its own batch, not the pool.
        this.freeBuffers.push(buffer);
        this.fail(batch, err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      batch.next += count;
      if (batch.next === batch.items.length) this.queue.shift();
      const id = this.nextChunkId++;
      slot.inFlight.set(id, { batch, start, count });
      batch.outstanding++;
      slot.worker.ref();
      slot.worker.postMessage({ id, buf: buffer, count }, [buffer]);
    }
  }

  private onResult(slot: Slot, id: number, buffer: ArrayBuffer, count: number): void {
    const chunk = slot.inFlight.get(id);
    if (!chunk) return;
    slot.inFlight.delete(id);
    const { batch } = chunk;
    batch.outstanding--;
    if (!batch.settled) {
      unpackResults(buffer, count, batch.results, chunk.start);
      if (batch.outstanding === 0 && batch.next === batch.items.length) {
        batch.settled = true;
        batch.resolve(batch.results);
      }
    }
    this.freeBuffers.push(buffer);
    this.dispatch(slot);
    if (slot.inFlight.size === 0) slot.worker.unref();
  }

  private onWorkerGone(slot: Slot, how: string): void {
    if (slot.gone) return;
    slot.gone = true;
    if (this.closed || this.fallback) return;
    const error = new RecoveryPoolError(
      'recovery_worker_crashed',
      `A signature recovery worker ${how}; the batch it was working on was not verified and must be retried. The worker has been restarted.`,
    );
    for (const chunk of slot.inFlight.values()) this.fail(chunk.batch, error);
    slot.inFlight.clear();
    void slot.worker.terminate();

    if (!slot.ready && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      this.warn(
        fallbackWarning(new Error(`recovery workers keep failing to start (last one ${how})`)),
      );
      this.fallback = jsRecoverer;
      // Work still out on the other workers is lost with them; its callers retry on the fallback.
      for (const s of this.slots)
        for (const chunk of s.inFlight.values()) this.fail(chunk.batch, error);
      for (const batch of [...this.queue]) this.fail(batch, error);
      for (const s of this.slots) if (!s.gone) void s.worker.terminate();
      return;
    }
    const index = this.slots.indexOf(slot);
    this.respawns++;
    const fresh = this.spawn();
    this.slots[index] = fresh;
    this.dispatch(fresh);
  }

  private fail(batch: Batch, error: Error): void {
    if (batch.settled) return;
    batch.settled = true;
    // Stop handing out its remaining chunks; chunks already out come back and are dropped.
    const queued = this.queue.indexOf(batch);
    if (queued >= 0) this.queue.splice(queued, 1);
    batch.reject(error);
  }
}
