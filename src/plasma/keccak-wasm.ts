// The WebAssembly Keccak-256 (built by scripts/keccak-wasm.ts): 64-bit lanes make it several times
// faster than the JavaScript permutation, which works on 32-bit halves. This wrapper copies messages
// into the module's memory, in chunks so the memory stays small, and the digests back out.
//
// Loading is synchronous and may fail: where WebAssembly is missing or forbidden (the renderer's
// content security policy allows no compilation), `loadWasmKeccak` returns null and the library
// keeps its JavaScript path.
import type { KeccakParts } from './keccak-js';
import { KECCAK_WASM_HEX, KECCAK_WASM_LAYOUT } from './keccak-wasm-module';

/** The part of the WebAssembly API used here (the library is built without DOM or Node types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface KeccakExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  hash(ptr: number, len: number, out: number): void;
  hashTable(table: number, count: number): void;
  level(nodes: number, count: number, zero: number, out: number): void;
}

export interface WasmKeccak {
  /** keccak(prefix ‖ a[aOff, aOff+aLen) ‖ b[bOff, bOff+bLen)) → out[outOff, outOff+32); prefix < 0: none. */
  parts: KeccakParts;
  /** keccak(prefix ‖ txs[i]) → out[outOff + 32i, …) for every i. */
  many(prefix: number, txs: readonly Uint8Array[], out: Uint8Array, outOff: number): void;
  /** One Merkle level up from `count` nodes: keccak(0x01 ‖ left ‖ right), `zero` standing in for a missing right. */
  level(nodes: Uint8Array, count: number, zero: Uint8Array, out: Uint8Array): void;
  /**
   * Scratch memory of `bytes` bytes inside the module, with room for `hashes` queued hashes (see
   * KeccakBatch in keccak.ts, which checks the offsets): messages are written straight where the
   * module hashes them.
   */
  batch(bytes: number, hashes: number): BatchBackend;
}

/** Where a KeccakBatch keeps its memory and queue, and how it runs them. */
export interface BatchBackend {
  /** The scratch memory; offsets are into it. */
  mem: Uint8Array;
  /** Sets queue entry `i`: keccak(mem[at, at+len)) → mem[out, out+32). */
  put(i: number, at: number, len: number, out: number): void;
  /** Runs queue entries 0…count−1 in order. */
  run(count: number): void;
}

const PAGE = 65_536;
/** Bytes of messages (or nodes) handed over per call: bounds the module's memory at a few MiB. */
const CHUNK = 1 << 20;
const { DYNAMIC } = KECCAK_WASM_LAYOUT;

/** The module's bytes (decoded here: hex.ts hashes with keccak.ts, which loads this file). */
function moduleBytes(): Uint8Array {
  const bytes = new Uint8Array(KECCAK_WASM_HEX.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = parseInt(KECCAK_WASM_HEX.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function loadWasmKeccak(): WasmKeccak | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  let exports: KeccakExports;
  try {
    const module = new wasm.Module(moduleBytes());
    exports = new wasm.Instance(module, {}).exports as unknown as KeccakExports;
  } catch {
    return null;
  }
  let mem = new Uint8Array(exports.memory.buffer);
  /** Makes the memory at least DYNAMIC + bytes long (growing detaches the old view). */
  const reserve = (bytes: number): Uint8Array => {
    const need = DYNAMIC + bytes;
    if (need > mem.length) {
      exports.memory.grow(Math.ceil((need - mem.length) / PAGE));
      mem = new Uint8Array(exports.memory.buffer);
    }
    return mem;
  };
  /** Bumped by every call that writes the module's memory, so a batch can tell it was overwritten. */
  let generation = 0;
  const copyIn = (m: Uint8Array, at: number, src: Uint8Array, off: number, len: number): void => {
    if (len < 48) for (let i = 0; i < len; i++) m[at + i] = src[off + i]!;
    else m.set(src.subarray(off, off + len), at);
  };

  const api: WasmKeccak = {
    parts(prefix, a, aOff, aLen, b, bOff, bLen, out, outOff) {
      generation++;
      const len = (prefix >= 0 ? 1 : 0) + aLen + bLen;
      const m = reserve(len + 32);
      let at = DYNAMIC;
      if (prefix >= 0) m[at++] = prefix;
      copyIn(m, at, a, aOff, aLen);
      copyIn(m, at + aLen, b, bOff, bLen);
      const digest = DYNAMIC + len;
      exports.hash(DYNAMIC, len, digest);
      for (let i = 0; i < 32; i++) out[outOff + i] = m[digest + i]!;
    },

    many(prefix, txs, out, outOff) {
      generation++;
      const extra = prefix >= 0 ? 1 : 0;
      let i = 0;
      while (i < txs.length) {
        // One chunk: a table of (ptr, len, out) entries, the digests, then the messages.
        let bytes = 0;
        let n = 0;
        while (i + n < txs.length && (n === 0 || bytes + txs[i + n]!.length + extra <= CHUNK)) {
          bytes += txs[i + n]!.length + extra;
          n++;
        }
        const table = DYNAMIC;
        const digests = table + 12 * n;
        let at = digests + 32 * n;
        const m = reserve(at - DYNAMIC + bytes);
        const words = new DataView(m.buffer);
        for (let k = 0; k < n; k++) {
          const tx = txs[i + k]!;
          words.setUint32(table + 12 * k, at, true);
          words.setUint32(table + 12 * k + 4, tx.length + extra, true);
          words.setUint32(table + 12 * k + 8, digests + 32 * k, true);
          if (extra) m[at++] = prefix;
          copyIn(m, at, tx, 0, tx.length);
          at += tx.length;
        }
        exports.hashTable(table, n);
        out.set(m.subarray(digests, digests + 32 * n), outOff + 32 * i);
        i += n;
      }
    },

    level(nodes, count, zero, out) {
      generation++;
      const pairsPerChunk = CHUNK / 64;
      for (let first = 0; first < count; first += 2 * pairsPerChunk) {
        const n = Math.min(count - first, 2 * pairsPerChunk);
        const outCount = (n + 1) >>> 1;
        const zeroAt = DYNAMIC;
        const input = zeroAt + 32;
        const output = input + 32 * n;
        const m = reserve(output + 32 * outCount - DYNAMIC);
        m.set(zero.subarray(0, 32), zeroAt);
        m.set(nodes.subarray(32 * first, 32 * (first + n)), input);
        exports.level(input, n, zeroAt, output);
        out.set(m.subarray(output, output + 32 * outCount), 16 * first);
      }
    },

    batch(bytes, hashes) {
      const mine = ++generation;
      // The table (ptr, len, out: three u32 per hash), then the scratch memory.
      const table = DYNAMIC;
      const base = table + 12 * hashes;
      const m = reserve(base + bytes - DYNAMIC);
      const words = new DataView(m.buffer, table, 12 * hashes);
      return {
        mem: m.subarray(base, base + bytes),
        put(i, at, len, out) {
          words.setUint32(12 * i, base + at, true);
          words.setUint32(12 * i + 4, len, true);
          words.setUint32(12 * i + 8, base + out, true);
        },
        run(count) {
          if (generation !== mine)
            throw new Error(
              'keccak batch: the module was used by another hash before the batch ran.',
            );
          exports.hashTable(table, count);
        },
      };
    },
  };
  return api;
}
