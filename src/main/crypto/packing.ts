// The wire format between the recovery pool and its workers: one ArrayBuffer per chunk, moved (not
// copied) with postMessage's transfer list, so a 65,536-tx block costs no structured cloning.
// Validity is decided here on the sending side by the library's rules (signatureRecid); workers only do
// curve arithmetic and hashing and never need a copy of the rules.
//
// Request item (ITEM_BYTES = 97):  digest(32) ‖ r(32) ‖ s(32) ‖ recid(1)   recid 0/1, or REJECTED
// Result item  (RESULT_BYTES = 21): ok(1) ‖ address(20)                    written in place, item i at 21·i
import type { Address } from '../../plasma/types';
import { signatureRecid } from '../../plasma/recover';
import type { RecoveryItem } from './native-recoverer';

export const ITEM_BYTES = 97;
export const RESULT_BYTES = 21;
/** recid byte for a signature the library's rules refuse (wrong length, high s, bad v): no signer. */
export const REJECTED = 0xff;

/** Packs items[start, start+count) into `target` (at least count·ITEM_BYTES long). */
export function packItems(
  items: ReadonlyArray<RecoveryItem>,
  start: number,
  count: number,
  target: Uint8Array,
): void {
  for (let i = 0; i < count; i++) {
    const { digest, sig } = items[start + i]!;
    if (digest.length !== 32) throw new RangeError(`digest must be 32 bytes, got ${digest.length}`);
    const offset = i * ITEM_BYTES;
    target.set(digest, offset);
    const recid = signatureRecid(sig);
    if (recid !== null) {
      target.set(sig.subarray(0, 64), offset + 32);
      target[offset + 96] = recid;
    } else {
      target[offset + 96] = REJECTED;
    }
  }
}

/** Reads `count` results from a returned chunk into results[start…], as lowercase 0x addresses or null. */
export function unpackResults(
  buffer: ArrayBuffer,
  count: number,
  results: (Address | null)[],
  start: number,
): void {
  const bytes = Buffer.from(buffer, 0, count * RESULT_BYTES);
  for (let i = 0; i < count; i++) {
    const offset = i * RESULT_BYTES;
    results[start + i] =
      bytes[offset] === 1
        ? (`0x${bytes.toString('hex', offset + 1, offset + RESULT_BYTES)}` as Address)
        : null;
  }
}
