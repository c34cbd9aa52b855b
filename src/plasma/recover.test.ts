import { computeAddress, SigningKey } from 'ethers';
import { describe, expect, it } from 'vitest';
import { signDigest } from './eip712';
import { isPlasmaError } from './errors';
import { bytesToHex, hexToBytes, keccak } from './hex';
import {
  jsRecoverer,
  parseSignature,
  pubkeyToAddress,
  recoverAddress,
  SECP256K1_HALF_N,
  SECP256K1_N,
  signatureRecid,
} from './recover';
import type { Hex } from './types';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as Hex;
const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const digest = keccak(new Uint8Array([1, 2, 3]));
const sig = hexToBytes(signDigest(KEY, digest));

function withWord(offset: number, n: bigint): Uint8Array {
  const b = sig.slice();
  b.set(hexToBytes('0x' + n.toString(16).padStart(64, '0')), offset);
  return b;
}

describe('parseSignature: the OpenZeppelin 2.3.0 + ecrecover rules', () => {
  it('splits a valid signature', () => {
    const p = parseSignature(sig)!;
    expect(p.v === 27 || p.v === 28).toBe(true);
    expect(p.recid).toBe(p.v - 27);
    expect(bytesToHex(p.compact)).toBe(bytesToHex(sig.subarray(0, 64)));
    expect(parseSignature(bytesToHex(sig))).toEqual(p);
  });

  it('keeps s = n/2 and refuses s = n/2 + 1', () => {
    expect(parseSignature(withWord(32, SECP256K1_HALF_N))).not.toBeNull();
    expect(parseSignature(withWord(32, SECP256K1_HALF_N + 1n))).toBeNull();
  });

  it.each([
    ['64 bytes', sig.subarray(0, 64)],
    ['v = 1', new Uint8Array([...sig.subarray(0, 64), 1])],
    ['v = 29', new Uint8Array([...sig.subarray(0, 64), 29])],
    ['r = 0', withWord(0, 0n)],
    ['r = n', withWord(0, SECP256K1_N)],
    ['s = 0', withWord(32, 0n)],
  ])('null for %s', (_what, bad) => {
    expect(parseSignature(bad)).toBeNull();
    expect(recoverAddress(digest, bad)).toBeNull();
  });

  it('signatureRecid applies the same rules on bytes, at and around every bound', () => {
    const words = [0n, 1n, SECP256K1_HALF_N - 1n, SECP256K1_HALF_N, SECP256K1_HALF_N + 1n];
    words.push(SECP256K1_N - 1n, SECP256K1_N, 2n ** 256n - 1n, 0x1234n << 200n);
    for (const r of words)
      for (const s of words)
        for (const v of [0, 1, 26, 27, 28, 29]) {
          const bytes = withWord(32, s);
          bytes.set(withWord(0, r).subarray(0, 32), 0);
          bytes[64] = v;
          expect(signatureRecid(bytes)).toBe(parseSignature(bytes)?.recid ?? null);
        }
    expect(signatureRecid(sig)).toBe(parseSignature(sig)!.recid);
    expect(signatureRecid(sig.subarray(0, 64))).toBeNull();
  });

  it('null for non-hex strings rather than an exception', () => {
    expect(parseSignature('0xzz')).toBeNull();
    expect(parseSignature(42 as never)).toBeNull();
  });
});

describe('recovery', () => {
  it('pubkeyToAddress matches ethers', () => {
    const pub = hexToBytes(new SigningKey(KEY).publicKey);
    expect(pubkeyToAddress(pub)).toBe(BOB);
    expect(computeAddress(KEY).toLowerCase()).toBe(BOB);
    try {
      pubkeyToAddress(pub.subarray(1));
      expect.unreachable();
    } catch (e) {
      expect(isPlasmaError(e)).toBe(true);
    }
  });

  it('jsRecoverer recovers a batch, with null for what the contracts reject', async () => {
    const other = keccak(new Uint8Array([9]));
    const result = await jsRecoverer.recoverBatch([
      { digest, sig },
      { digest: other, sig },
      { digest, sig: sig.subarray(0, 64) },
      { digest, sig: withWord(32, SECP256K1_N - BigInt(bytesToHex(sig.subarray(32, 64)))) },
      { digest: new Uint8Array(31), sig },
    ]);
    expect(result[0]).toBe(BOB);
    expect(result[1]).not.toBe(BOB);
    expect(result[1]).toMatch(/^0x[0-9a-f]{40}$/);
    expect(result.slice(2)).toEqual([null, null, null]);
  });

  it('an r that is no curve x-coordinate gives null, never an exception', () => {
    // x = 5: 5^3 + 7 = 132 is not a square mod p for secp256k1, so no point has it.
    let nulls = 0;
    for (let r = 1n; r <= 20n; r++) {
      const address = recoverAddress(digest, withWord(0, r));
      if (address === null) nulls++;
      else expect(address).toMatch(/^0x[0-9a-f]{40}$/);
    }
    expect(nulls).toBeGreaterThan(0);
  });
});
