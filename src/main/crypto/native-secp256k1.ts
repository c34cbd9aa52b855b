// Loads the native (N-API) secp256k1 binding, and only the native one: the package's own entry
// point silently falls back to its pure-JS `elliptic` build, which would hide a broken prebuild
// behind a ~25× slowdown. Module paths are resolved here, once, so worker threads load exactly the
// same files without resolving anything relative to their own location or the working directory.
import { createRequire } from 'node:module';
import type * as Secp256k1 from 'secp256k1';

export type NativeSecp256k1 = typeof Secp256k1;

export interface NativeModulePaths {
  /** Absolute path of `secp256k1/bindings` (throws on load if the prebuild cannot be used). */
  secp256k1: string;
  /** Absolute path of `@noble/hashes/sha3` (CommonJS build) for keccak_256 in workers. */
  keccak: string;
}

export type NativeLoadResult =
  { ok: true; secp256k1: NativeSecp256k1; paths: NativeModulePaths } | { ok: false; error: Error };

const requireHere = createRequire(import.meta.url);
let cached: NativeLoadResult | undefined;

/** Loads the native binding once per thread; never throws, reports why it could not load. */
export function loadNativeSecp256k1(): NativeLoadResult {
  if (cached) return cached;
  try {
    const paths: NativeModulePaths = {
      secp256k1: requireHere.resolve('secp256k1/bindings'),
      keccak: requireHere.resolve('@noble/hashes/sha3'),
    };
    const secp256k1 = requireHere(paths.secp256k1) as NativeSecp256k1;
    cached = { ok: true, secp256k1, paths };
  } catch (err) {
    cached = { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
  }
  return cached;
}

/** The warning logged when we fall back to pure-JS recovery, so an operator knows why it is slow. */
export function fallbackWarning(error: Error): string {
  return (
    `vigil: native secp256k1 could not be loaded (${error.message}); ` +
    'verifying signatures with the pure-JS recoverer instead, about 25× slower. ' +
    'Reinstall dependencies for this platform (npm ci) to restore native speed.'
  );
}
