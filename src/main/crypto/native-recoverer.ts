// Signature recovery on the current thread with the native secp256k1 binding. Validity rules are
// the library's (parseSignature, OpenZeppelin 2.3.0); this file only swaps the curve arithmetic.
// Long batches yield to the event loop between slices so a caller on the main thread stays live.
import type { Address } from '../../plasma/types';
import {
  jsRecoverer,
  parseSignature,
  pubkeyToAddress,
  type SignatureRecoverer,
} from '../../plasma/recover';
import {
  fallbackWarning,
  loadNativeSecp256k1,
  type NativeLoadResult,
  type NativeSecp256k1,
} from './native-secp256k1';

export interface NativeRecovererOptions {
  /** Where the fallback warning goes; console.warn by default. */
  warn?: (message: string) => void;
  /** Replaces the loader (tests use it to simulate a missing prebuild). */
  load?: () => NativeLoadResult;
  /** Items recovered between two yields to the event loop (~60 µs each). */
  sliceSize?: number;
}

export type RecoveryItem = { digest: Uint8Array; sig: Uint8Array };

const DEFAULT_SLICE = 512;

/** Recovers one signer, or null when OpenZeppelin's ECDSA.recover would give the zero address. */
export function recoverOneNative(
  secp256k1: NativeSecp256k1,
  digest: Uint8Array,
  sig: Uint8Array,
  pubkey: Uint8Array,
): Address | null {
  if (digest.length !== 32) throw new RangeError(`digest must be 32 bytes, got ${digest.length}`);
  const parsed = parseSignature(sig);
  if (!parsed) return null;
  try {
    secp256k1.ecdsaRecover(parsed.compact, parsed.recid, digest, false, pubkey);
  } catch {
    // r or s out of range, or no curve point with that x: ecrecover returns 0, so no signer.
    return null;
  }
  return pubkeyToAddress(pubkey);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A recoverer on this thread: native when the binding loads, otherwise the library's JS one (with a warning). */
export function createNativeRecoverer(
  options: NativeRecovererOptions = {},
): SignatureRecoverer & { readonly native: boolean } {
  const loaded = (options.load ?? loadNativeSecp256k1)();
  if (!loaded.ok) {
    (options.warn ?? console.warn)(fallbackWarning(loaded.error));
    return { native: false, recoverBatch: (items) => jsRecoverer.recoverBatch(items) };
  }
  const { secp256k1 } = loaded;
  const sliceSize = Math.max(1, options.sliceSize ?? DEFAULT_SLICE);
  return {
    native: true,
    async recoverBatch(items) {
      const results = new Array<Address | null>(items.length);
      const pubkey = new Uint8Array(65);
      for (let start = 0; start < items.length; start += sliceSize) {
        if (start > 0) await yieldToEventLoop();
        const end = Math.min(items.length, start + sliceSize);
        for (let i = start; i < end; i++) {
          const item = items[i]!;
          results[i] = recoverOneNative(secp256k1, item.digest, item.sig, pubkey);
        }
      }
      return results;
    },
  };
}

let shared: SignatureRecoverer | undefined;

/** The process-wide current-thread recoverer, created (and the binding loaded) on first use. */
export const nativeRecoverer: SignatureRecoverer = {
  recoverBatch(items) {
    shared ??= createNativeRecoverer();
    return shared.recoverBatch(items);
  },
};
