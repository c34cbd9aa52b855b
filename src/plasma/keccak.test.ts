import { keccak_256 } from '@noble/hashes/sha3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  keccak256,
  keccakBatch,
  keccakBackend,
  keccakLevel,
  keccakMany,
  keccakParts,
  setKeccakBackend,
  type KeccakBackend,
} from './keccak';

const bytes = (len: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: len }, (_, i) => (i * 131 + seed * 17 + (i >> 8)) & 0xff);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
const node = (l: Uint8Array, r: Uint8Array): Uint8Array =>
  keccak_256(concat(Uint8Array.of(1), l, r));

afterEach(() => setKeccakBackend('wasm'));

it('runs on WebAssembly in Node, and both paths can be chosen', () => {
  expect(keccakBackend()).toBe('wasm');
  setKeccakBackend('js');
  expect(keccakBackend()).toBe('js');
  setKeccakBackend('wasm');
  expect(keccakBackend()).toBe('wasm');
});

it('keeps to the TypeScript path in a page, whose policy forbids compiling WebAssembly', async () => {
  vi.resetModules();
  vi.stubGlobal('document', {});
  try {
    const fresh = await import('./keccak');
    expect(fresh.keccakBackend()).toBe('js');
    expect(fresh.keccak256(bytes(10, 1))).toEqual(keccak_256(bytes(10, 1)));
  } finally {
    vi.unstubAllGlobals();
    vi.resetModules();
  }
});

describe.each<KeccakBackend>(['wasm', 'js'])('the %s path', (choice) => {
  it('equals @noble/hashes for every length around the rate, with and without a prefix', () => {
    setKeccakBackend(choice);
    for (let len = 0; len <= 3 * 136 + 2; len++) {
      const m = bytes(len, len);
      expect(keccak256(m)).toEqual(keccak_256(m));
      const out = new Uint8Array(40);
      keccakParts(0x5a, m, 0, len, m, 0, len >> 1, out, 5);
      expect(out.subarray(5, 37)).toEqual(
        keccak_256(concat(Uint8Array.of(0x5a), m, m.subarray(0, len >> 1))),
      );
    }
  });

  it('hashes parts taken from the middle of buffers, into the middle of the output', () => {
    setKeccakBackend(choice);
    const a = bytes(300, 2);
    const b = bytes(300, 3);
    const out = new Uint8Array(100).fill(0xee);
    keccakParts(-1, a, 17, 150, b, 99, 64, out, 33);
    expect(out.subarray(33, 65)).toEqual(
      keccak_256(concat(a.subarray(17, 167), b.subarray(99, 163))),
    );
    expect(out.subarray(0, 33).every((x) => x === 0xee)).toBe(true);
    expect(out.subarray(65).every((x) => x === 0xee)).toBe(true);
  });

  it('hashes many messages, across hand-over chunks and with one larger than a chunk', () => {
    setKeccakBackend(choice);
    const messages = [
      ...Array.from({ length: 3000 }, (_, i) => bytes(300 + (i % 400), i)),
      bytes(1_500_000, 7),
      bytes(0, 0),
      bytes(135, 9),
    ];
    const out = new Uint8Array(32 * messages.length + 8);
    keccakMany(0x00, messages, out, 8);
    messages.forEach((m, i) => {
      expect(out.subarray(8 + 32 * i, 40 + 32 * i)).toEqual(
        keccak_256(concat(Uint8Array.of(0), m)),
      );
    });
  });

  it('builds a Merkle level for odd and even counts, across chunks and from unaligned views', () => {
    setKeccakBackend(choice);
    const zero = bytes(32, 99);
    for (const count of [1, 2, 7, 40_001]) {
      const backing = bytes(32 * count + 3, count);
      const nodes = backing.subarray(3); // unaligned on purpose
      const out = new Uint8Array(32 * ((count + 1) >>> 1));
      keccakLevel(nodes, count, zero, out);
      for (const i of new Set([0, ((count + 1) >>> 1) - 1, count >>> 2])) {
        const l = nodes.subarray(64 * i, 64 * i + 32);
        const r = 2 * i + 1 < count ? nodes.subarray(64 * i + 32, 64 * i + 64) : zero;
        expect(out.subarray(32 * i, 32 * i + 32)).toEqual(node(l, r));
      }
    }
  });

  it('runs a batch in queue order: a digest written into a later message is hashed with it', () => {
    setKeccakBackend(choice);
    const batch = keccakBatch(1000, 4);
    expect(batch.mem.every((b) => b === 0)).toBe(true);
    const first = bytes(300, 1);
    batch.mem.set(first, 0);
    batch.mem.set(bytes(40, 2), 400);
    batch.hash(0, 300, 440); // lands in the second message's last 32 bytes
    batch.hash(400, 72, 600);
    batch.hash(0, 0, 700); // the empty message
    batch.run();
    const digest = keccak_256(first);
    expect(batch.mem.subarray(440, 472)).toEqual(digest);
    expect(batch.mem.subarray(600, 632)).toEqual(keccak_256(concat(bytes(40, 2), digest)));
    expect(batch.mem.subarray(700, 732)).toEqual(keccak_256(new Uint8Array(0)));
  });

  it('refuses a hash that does not fit the batch, or one more than it was made for', () => {
    setKeccakBackend(choice);
    const batch = keccakBatch(100, 1);
    expect(() => batch.hash(90, 20, 0)).toThrow(RangeError);
    expect(() => batch.hash(0, 10, 80)).toThrow(RangeError);
    batch.hash(0, 10, 50);
    expect(() => batch.hash(0, 10, 50)).toThrow(RangeError);
  });
});

it('a WebAssembly batch refuses to run once another hash has used the memory it lives in', () => {
  setKeccakBackend('wasm');
  const batch = keccakBatch(64, 1);
  batch.mem.set(bytes(32, 3), 0);
  batch.hash(0, 32, 32);
  keccak256(bytes(5000, 4)); // written where the batch's message is
  expect(() => batch.run()).toThrow(/used by another hash/);
});

it('both paths agree on a whole level and on many messages', () => {
  const nodes = bytes(32 * 5001, 5);
  const zero = bytes(32, 6);
  const messages = Array.from({ length: 500 }, (_, i) => bytes(i, i));
  const results = (['wasm', 'js'] as const).map((choice) => {
    setKeccakBackend(choice);
    const level = new Uint8Array(32 * 2501);
    keccakLevel(nodes, 5001, zero, level);
    const many = new Uint8Array(32 * messages.length);
    keccakMany(-1, messages, many, 0);
    return { level, many };
  });
  expect(results[0]).toEqual(results[1]);
});
