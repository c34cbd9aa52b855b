// Signature parsing and recovery under the on-chain rules (OpenZeppelin 2.3.0 ECDSA.recover + the
// ecrecover precompile, protocol.md §5.3). The `SignatureRecoverer` interface lets the main process
// back batch recovery with native secp256k1 in workers; `parseSignature` is the one place the rules
// live, so the native and the JS paths accept exactly the same signatures.
import { SigningKey } from 'ethers';
import { PlasmaError } from './errors';
import { bytesToHex, hexToBytes, isHex, isZeroBytes, keccak } from './hex';
import type { Address } from './types';

/** secp256k1 group order. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** OpenZeppelin 2.3.0's bound: signatures with s above n/2 recover to the zero address. */
export const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface ParsedSignature {
  r: bigint;
  s: bigint;
  v: 27 | 28;
  /** Recovery id, v − 27. */
  recid: 0 | 1;
  /** r ‖ s, 64 bytes (the compact form native libraries take). */
  compact: Uint8Array;
}

export interface SignatureRecoverer {
  /** The signer of each item, or null where the contracts would recover the zero address. */
  recoverBatch(
    items: ReadonlyArray<{ digest: Uint8Array; sig: Uint8Array }>,
  ): Promise<(Address | null)[]>;
}

function bigintOf(bytes: Uint8Array, start: number, end: number): bigint {
  return BigInt(bytesToHex(bytes, start, end));
}

const N_BYTES = hexToBytes(`0x${SECP256K1_N.toString(16)}`);
const HALF_N_BYTES = hexToBytes(`0x${SECP256K1_HALF_N.toString(16)}`);

/** Sign of bytes[at, at+32) − word, both big-endian 32-byte integers. */
function compareWord(bytes: Uint8Array, at: number, word: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = bytes[at + i]! - word[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The recovery id of a 65-byte r ‖ s ‖ v signature the contracts can recover, or null: the rules of
 * parseSignature, compared on bytes (no bigint, no copy) for the batch recoverers' hot path.
 */
export function signatureRecid(bytes: Uint8Array): 0 | 1 | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 65) return null;
  const v = bytes[64]!;
  if (v !== 27 && v !== 28) return null;
  if (isZeroBytes(bytes, 0, 32) || compareWord(bytes, 0, N_BYTES) >= 0) return null;
  if (isZeroBytes(bytes, 32, 64) || compareWord(bytes, 32, HALF_N_BYTES) > 0) return null;
  return v === 27 ? 0 : 1;
}

/**
 * Splits a 65-byte r ‖ s ‖ v signature, or returns null where the contracts would fail to recover a
 * signer: length ≠ 65, s > n/2, v ∉ {27, 28} (OpenZeppelin 2.3.0), r or s out of [1, n−1] (ecrecover).
 */
export function parseSignature(sig: Uint8Array | string): ParsedSignature | null {
  let bytes: Uint8Array;
  if (typeof sig === 'string') {
    if (!isHex(sig)) return null;
    bytes = hexToBytes(sig);
  } else if (sig instanceof Uint8Array) {
    bytes = sig;
  } else {
    return null;
  }
  const recid = signatureRecid(bytes);
  if (recid === null) return null;
  return {
    r: bigintOf(bytes, 0, 32),
    s: bigintOf(bytes, 32, 64),
    v: recid === 0 ? 27 : 28,
    recid,
    compact: bytes.slice(0, 64),
  };
}

/** The address of an uncompressed public key (0x04 ‖ x ‖ y): the last 20 bytes of keccak(x ‖ y). */
export function pubkeyToAddress(uncompressed65: Uint8Array): Address {
  if (
    !(uncompressed65 instanceof Uint8Array) ||
    uncompressed65.length !== 65 ||
    uncompressed65[0] !== 0x04
  ) {
    throw new PlasmaError(
      'invalid_argument',
      'Expected an uncompressed secp256k1 public key: 65 bytes starting with 0x04.',
    );
  }
  const hash = keccak(uncompressed65.subarray(1));
  return bytesToHex(hash, 12, 32) as Address;
}

/** Recovers the signer of a 32-byte digest, or null where the contracts would get the zero address. */
export function recoverAddress(digest: Uint8Array, sig: Uint8Array | string): Address | null {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) return null;
  const parsed = parseSignature(sig);
  if (parsed === null) return null;
  try {
    const pub = SigningKey.recoverPublicKey(digest, {
      r: bytesToHex(parsed.compact, 0, 32),
      s: bytesToHex(parsed.compact, 32, 64),
      v: parsed.v,
    });
    return pubkeyToAddress(hexToBytes(pub));
  } catch {
    // r is not the x-coordinate of a curve point: ecrecover returns the zero address too.
    return null;
  }
}

/** Pure-JS recovery (ethers / noble); the main process swaps in a native implementation with the same rules. */
export const jsRecoverer: SignatureRecoverer = {
  recoverBatch(items) {
    try {
      return Promise.resolve(items.map(({ digest, sig }) => recoverAddress(digest, sig)));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  },
};
