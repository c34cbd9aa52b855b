// Deterministic batches of signatures for the recoverer tests: valid ones and every way
// OpenZeppelin 2.3.0 recovery yields no signer (wrong length, high s, bad v, r/s with no point).
import { loadNativeSecp256k1 } from './native-secp256k1';
import type { RecoveryItem } from './native-recoverer';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** xorshift32: reproducible bytes so a failing case can be replayed from its seed. */
export function seededBytes(seed: number): (length: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

function toWord(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function fromWord(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

export type SignatureKind =
  | 'valid'
  | 'high-s'
  | 'bad-v'
  | 'short'
  | 'long'
  | 'empty'
  | 'no-point'
  | 'r-zero'
  | 's-zero'
  | 'r-over-n';
export const SIGNATURE_KINDS: readonly SignatureKind[] = [
  'valid',
  'high-s',
  'bad-v',
  'short',
  'long',
  'empty',
  'no-point',
  'r-zero',
  's-zero',
  'r-over-n',
];

/** One signature of the given kind over a random digest; valid ones are low-s with v 27/28. */
export function makeItem(
  kind: SignatureKind,
  random: (length: number) => Uint8Array,
): RecoveryItem {
  const native = loadNativeSecp256k1();
  if (!native.ok) throw native.error;
  const { secp256k1 } = native;
  const digest = random(32);
  let key = random(32);
  while (!secp256k1.privateKeyVerify(key)) key = random(32);
  const { signature, recid } = secp256k1.ecdsaSign(digest, key);
  const sig = new Uint8Array(65);
  sig.set(signature, 0);
  sig[64] = 27 + recid;
  switch (kind) {
    case 'valid':
      return { digest, sig };
    case 'high-s': {
      // (r, n − s) with the other recid recovers the same key, but OpenZeppelin refuses it.
      sig.set(toWord(N - fromWord(sig.subarray(32, 64))), 32);
      sig[64] = 27 + (recid ^ 1);
      return { digest, sig };
    }
    case 'bad-v':
      sig[64] = [0, 1, 26, 29, 35, 255][random(1)[0]! % 6]!;
      return { digest, sig };
    case 'short':
      return { digest, sig: sig.subarray(0, 64) };
    case 'long':
      return { digest, sig: Uint8Array.of(...sig, 0) };
    case 'empty':
      return { digest, sig: new Uint8Array(0) };
    case 'no-point': {
      // Random r until x = r has no point on the curve (about half of all x do not).
      for (;;) {
        const r = random(32);
        r[0] = r[0]! & 0x7f;
        sig.set(r, 0);
        const compressed = Uint8Array.of(0x02, ...r);
        if (!secp256k1.publicKeyVerify(compressed)) return { digest, sig };
      }
    }
    case 'r-zero':
      sig.fill(0, 0, 32);
      return { digest, sig };
    case 's-zero':
      sig.fill(0, 32, 64);
      return { digest, sig };
    case 'r-over-n':
      sig.set(toWord(N + 5n), 0);
      return { digest, sig };
  }
}

/** A mixed batch: mostly valid, with every invalid kind sprinkled in at random positions. */
export function mixedBatch(count: number, seed: number): RecoveryItem[] {
  const random = seededBytes(seed);
  const items: RecoveryItem[] = [];
  for (let i = 0; i < count; i++) {
    const pick = random(1)[0]!;
    const kind = pick < 128 ? 'valid' : SIGNATURE_KINDS[pick % SIGNATURE_KINDS.length]!;
    items.push(makeItem(kind, random));
  }
  return items;
}
