// Keccak-256 (the EVM's keccak256) for the whole library, on the fastest path this runtime allows:
// the WebAssembly module (keccak-wasm.ts) in Node and the main process, the plain TypeScript one
// (keccak-js.ts) where WebAssembly cannot be compiled. A full block needs ~330k permutations for its
// Merkle tree and ~11 per transaction for its EIP-712 digest, so this choice is most of how fast a
// block is checked. Both paths are checked against @noble/hashes and each other in keccak.test.ts.
import { jsKeccakLevel, jsKeccakParts, type KeccakParts } from './keccak-js';
import { loadWasmKeccak, type WasmKeccak } from './keccak-wasm';

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
