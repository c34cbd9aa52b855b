// Keccak-256 (the EVM's keccak256) for the whole library, on the fastest path this runtime allows:
// the WebAssembly module (keccak-wasm.ts) in Node and the main process, the plain TypeScript one
// (keccak-js.ts) where WebAssembly cannot be compiled. A full block needs ~330k permutations for its
// Merkle tree and ~11 per transaction for its EIP-712 digest, so this choice is most of how fast a
// block is checked. Both paths are checked against @noble/hashes and each other in keccak.test.ts.
import { jsKeccakLevel, jsKeccakParts, type KeccakParts } from './keccak-js';
import { loadWasmKeccak, type BatchBackend, type WasmKeccak } from './keccak-wasm';

export type KeccakBackend = 'wasm' | 'js';

/** undefined: not chosen yet (the WebAssembly module is compiled on first use, not at import). */
let wasm: WasmKeccak | null | undefined;

/**
 * A page (the renderer) gets the TypeScript path: its content security policy forbids compiling
 * WebAssembly, a refused attempt is logged as a violation, and it only hashes what the user signs.
 */
const inPage = (): boolean => typeof (globalThis as { document?: unknown }).document === 'object';

function backend(): WasmKeccak | null {
  if (wasm === undefined) wasm = inPage() ? null : loadWasmKeccak();
  return wasm;
}

/** Which path hashes from now on. */
export function keccakBackend(): KeccakBackend {
  return backend() ? 'wasm' : 'js';
}

/**
 * Chooses the path (tests and benchmarks compare the two). Asking for `wasm` where it cannot load
 * throws rather than quietly measuring the other one.
 */
export function setKeccakBackend(choice: KeccakBackend): void {
  if (choice === 'js') {
    wasm = null;
    return;
  }
  wasm = loadWasmKeccak();
  if (!wasm) throw new Error('WebAssembly Keccak cannot be loaded in this runtime.');
}

/**
 * keccak(prefix ‖ a[aOff, aOff+aLen) ‖ b[bOff, bOff+bLen)) written to out[outOff, outOff+32).
 * `prefix` < 0 means no prefix byte.
 */
export const keccakParts: KeccakParts = (prefix, a, aOff, aLen, b, bOff, bLen, out, outOff) => {
  const w = backend();
  if (w) w.parts(prefix, a, aOff, aLen, b, bOff, bLen, out, outOff);
  else jsKeccakParts(prefix, a, aOff, aLen, b, bOff, bLen, out, outOff);
};

const EMPTY = new Uint8Array(0);

/** Keccak-256 of `data`. */
export function keccak256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  keccakParts(-1, data, 0, data.length, EMPTY, 0, 0, out, 0);
  return out;
}

/** keccak(prefix ‖ messages[i]) written to out[outOff + 32i, …) for every i; prefix < 0: none. */
export function keccakMany(
  prefix: number,
  messages: readonly Uint8Array[],
  out: Uint8Array,
  outOff: number,
): void {
  const w = backend();
  if (w) {
    w.many(prefix, messages, out, outOff);
    return;
  }
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    jsKeccakParts(prefix, m, 0, m.length, EMPTY, 0, 0, out, outOff + 32 * i);
  }
}

/**
 * One Merkle level up from the `count` 32-byte nodes of `nodes`: out[i] = keccak(0x01 ‖ n[2i] ‖
 * n[2i+1]), the 32 bytes of `zero` standing in for the missing right sibling of an odd count.
 * `out` holds ⌈count/2⌉ nodes.
 */
export function keccakLevel(
  nodes: Uint8Array,
  count: number,
  zero: Uint8Array,
  out: Uint8Array,
): void {
  const w = backend();
  if (w) w.level(nodes, count, zero, out);
  else jsKeccakLevel(nodes, count, zero, out);
}

/**
 * Many hashes over one scratch memory, queued and then run in one go, in queue order: a hash may
 * write its digest inside the message of a later one (an EIP-712 struct hash into the struct that
 * holds it). With WebAssembly the scratch memory is the module's own, so messages are written once,
 * where they are hashed, and a whole batch is one call instead of one per hash.
 *
 * Fill and run a batch synchronously: any other hashing in between (keccak256, keccakMany…) reuses the
 * module's memory, and `run` then throws rather than hash overwritten messages.
 */
export interface KeccakBatch {
  /** The scratch memory, zero-filled at the start; offsets given to `hash` are into it. */
  readonly mem: Uint8Array;
  /** Queues keccak(mem[at, at+len)) → mem[out, out+32). */
  hash(at: number, len: number, out: number): void;
  /** Runs the queued hashes in order (the queue is then empty; the memory keeps the digests). */
  run(): void;
}

/** The TypeScript path's batch: plain memory, the queue in an array, hashed one by one. */
function jsBatch(bytes: number, hashes: number): BatchBackend {
  const mem = new Uint8Array(bytes);
  const queue = new Int32Array(3 * hashes);
  return {
    mem,
    put(i, at, len, out) {
      queue[3 * i] = at;
      queue[3 * i + 1] = len;
      queue[3 * i + 2] = out;
    },
    run(count) {
      for (let i = 0; i < count; i++) {
        const at = queue[3 * i]!;
        jsKeccakParts(-1, mem, at, queue[3 * i + 1]!, EMPTY, 0, 0, mem, queue[3 * i + 2]!);
      }
    },
  };
}

/** A batch of at most `hashes` hashes over `bytes` bytes of scratch memory. */
export function keccakBatch(bytes: number, hashes: number): KeccakBatch {
  const w = backend();
  const b = w ? w.batch(bytes, hashes) : jsBatch(bytes, hashes);
  b.mem.fill(0);
  let queued = 0;
  return {
    mem: b.mem,
    hash(at, len, out) {
      if (queued === hashes || at < 0 || len < 0 || at + len > bytes || out < 0 || out + 32 > bytes)
        throw new RangeError(`keccak batch: hash ${queued} (${at}, ${len} → ${out}) does not fit.`);
      b.put(queued++, at, len, out);
    },
    run() {
      b.run(queued);
      queued = 0;
    },
  };
}
