import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError } from './errors';
import {
  bigintFromBytes,
  bigintToMinimalBytes,
  bytesToHex,
  concatBytes,
  hexToBytes,
  isHex,
  keccakHex,
  normalizeAddress,
  wordFromBigint,
  writeWord,
} from './hex';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isPlasmaError(e)) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('hex', () => {
  it('writes any uint256 as its 32-byte big-endian word, touching nothing around it', () => {
    const edges = [0n, 1n, 255n, 256n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 256n - 1n];
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.constantFrom(...edges)),
        fc.integer({ min: 0, max: 8 }),
        (n, offset) => {
          const out = new Uint8Array(48).fill(0xaa);
          writeWord(out, offset, n);
          const expected = new Uint8Array(48).fill(0xaa);
          expected.set(hexToBytes(`0x${n.toString(16).padStart(64, '0')}`), offset);
          expect(out).toEqual(expected);
        },
      ),
    );
    expect(code(() => writeWord(new Uint8Array(32), 0, 2n ** 256n))).toBe('encoded_uint_too_big');
    expect(code(() => writeWord(new Uint8Array(32), 0, -1n))).toBe('encoded_uint_too_big');
  });

  it('is strict on input and lowercase on output', () => {
    expect(bytesToHex(hexToBytes('0xABcd'))).toBe('0xabcd');
    expect(hexToBytes('0x')).toEqual(new Uint8Array(0));
    for (const bad of ['abcd', '0xabc', '0xzz', '0X00', '', '0x0g', '0xé0']) {
      expect(code(() => hexToBytes(bad))).toBe('invalid_hex');
      expect(isHex(bad)).toBe(false);
    }
    expect(isHex('0x00', 1)).toBe(true);
    expect(isHex('0x00', 2)).toBe(false);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (b) => {
        expect(hexToBytes(bytesToHex(b))).toEqual(b);
      }),
    );
  });

  it('writes every length and range the same way, short, hash-sized and long', () => {
    const all = Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff);
    const reference = (from: number, to: number): string =>
      '0x' + [...all.subarray(from, to)].map((b) => b.toString(16).padStart(2, '0')).join('');
    for (let length = 0; length <= 80; length++)
      for (const from of [0, 1, 33, 200]) {
        expect(bytesToHex(all, from, from + length)).toBe(reference(from, from + length));
        expect(bytesToHex(all.subarray(from, from + length))).toBe(reference(from, from + length));
      }
    expect(bytesToHex(all)).toBe(reference(0, 300));
  });

  it('keccak of the empty string', () => {
    expect(keccakHex(new Uint8Array(0))).toBe(
      '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(concatBytes(new Uint8Array([1]), new Uint8Array([2, 3]))).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });
});

describe('integers', () => {
  it('words are 32-byte big-endian, exact around 2^53 and at 2^256 − 1', () => {
    for (const n of [
      0n,
      1n,
      255n,
      256n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      2n ** 256n - 1n,
    ]) {
      const word = wordFromBigint(n);
      expect(word).toHaveLength(32);
      expect(BigInt(bytesToHex(word))).toBe(n);
      expect(bigintFromBytes(word)).toBe(n);
    }
    expect(code(() => wordFromBigint(2n ** 256n))).toBe('encoded_uint_too_big');
    expect(code(() => wordFromBigint(-1n))).toBe('encoded_uint_too_big');
  });

  it('words round-trip at every width (the fast paths for ≤ 6 and ≤ 12 significant bytes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 256 }),
        fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
        (bits, r) => {
          const n = r % (1n << BigInt(bits));
          const word = wordFromBigint(n);
          expect(BigInt(bytesToHex(word))).toBe(n);
          expect(bigintFromBytes(word)).toBe(n);
          expect(bigintFromBytes(word, 32 - Math.ceil(bits / 8), 32)).toBe(n);
        },
      ),
    );
  });

  it('minimal bytes: 0 is empty, no leading zeros', () => {
    expect(bigintToMinimalBytes(0n)).toEqual(new Uint8Array(0));
    expect(bytesToHex(bigintToMinimalBytes(256n))).toBe('0x0100');
    expect(code(() => bigintToMinimalBytes(-1n))).toBe('invalid_amount');
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 256n - 1n }), (n) => {
        const b = bigintToMinimalBytes(n);
        expect(b[0]).not.toBe(0);
        expect(bigintFromBytes(b)).toBe(n);
      }),
    );
  });
});

describe('addresses', () => {
  it('lowercases, accepts a valid EIP-55 checksum, refuses a wrong one', () => {
    expect(normalizeAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe(
      '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    );
    expect(normalizeAddress('0x70997970C51812DC3A010C7D01B50E0D17DC79C8')).toBe(
      '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    );
    expect(code(() => normalizeAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79c8'))).toBe(
      'malformed_address',
    );
    for (const bad of ['0x1234', '70997970c51812dc3a010c7d01b50e0d17dc79c8', 42 as never]) {
      expect(code(() => normalizeAddress(bad))).toBe('malformed_address');
    }
  });
});
