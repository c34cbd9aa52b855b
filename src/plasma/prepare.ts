// Turning signed wire bytes into transactions the ledger can execute: strict decoding, hashing and
// batch signer recovery. Shared by the devnet operator (transaction.submit) and the watcher (block
// validation), so both judge a transaction by exactly the same stateless rules (watcher.md §1.5.3).
import {
  DIGEST_SCRATCH_BYTES,
  digestHashCount,
  domainSeparatorBytes,
  queueSigningDigest,
} from './eip712';
import { PlasmaError, isPlasmaError, type PlasmaErrorCode } from './errors';
import { keccakBatch } from './keccak';
import type { ExecutableTx } from './ledger';
import type { SignatureRecoverer } from './recover';
import { decodeSignedWire, type DecodedSignedWire } from './tx';
import { bytesEqual, bytesToHex } from './hex';
import type { Address, Hex } from './types';

export interface PreparedTx {
  /** What the ledger executes (signers recovered for payments). */
  exec: ExecutableTx;
  signedBytes: Uint8Array;
  /** The unsigned bytes: hashed, signed and put in the Merkle tree. */
  txBytes: Uint8Array;
  txHash: Hex;
}

/** The first transaction of a batch that breaks a stateless rule. */
export class PrepareError extends PlasmaError {
  constructor(
    readonly index: number,
    readonly reason: PlasmaError,
  ) {
    super(reason.code, `Transaction ${index}: ${reason.message}`, {
      revert: reason.revert,
      rule: reason.rule,
      cause: reason,
    });
    this.name = 'PrepareError';
  }
}

/** Transactions whose hashes share one keccak batch (bounds the batch's memory at ~2 MB). */
const HASH_CHUNK = 1_024;

/** Each transaction's hash (and leaf hash) and each payment's signing digest, in batches. */
interface Hashes {
  /** 32 bytes per transaction: keccak(txBytes). */
  txHashes: Uint8Array;
  /** 32 bytes per payment, in order (fee claims have none). */
  digests: Uint8Array;
}

/**
 * Hashes the decoded transactions in keccak batches of HASH_CHUNK: the unsigned bytes are written once
 * behind a 0x00 byte, so one copy gives both the transaction hash and the Merkle leaf
 * keccak(0x00 ‖ txBytes), and each payment's EIP-712 structs are built from those same bytes
 * (queueSigningDigest). Leaves go to `leaves` when given (32 bytes per transaction from 0).
 */
function hashAll(
  decoded: readonly DecodedSignedWire[],
  separator: Uint8Array,
  leaves: Uint8Array | undefined,
): Hashes {
  const txHashes = new Uint8Array(32 * decoded.length);
  let payments = 0;
  for (const d of decoded) if (d.kind === 'payment') payments++;
  const digests = new Uint8Array(32 * payments);
  let payment = 0;
  for (let first = 0; first < decoded.length; first += HASH_CHUNK) {
    const chunk = decoded.slice(first, first + HASH_CHUNK);
    // The batch's memory: each transaction as 0x00 ‖ txBytes, then each payment's digest scratch,
    // then the results (hash and leaf of each transaction, then the digest of each payment).
    let messages = 0;
    let scratchBytes = 0;
    let hashes = 2 * chunk.length;
    let chunkPayments = 0;
    for (const d of chunk) {
      messages += 1 + d.txBytes.length;
      if (d.kind !== 'payment') continue;
      scratchBytes += DIGEST_SCRATCH_BYTES;
      hashes += digestHashCount(d.tx.inputs.length, d.tx.outputs.length);
      chunkPayments++;
    }
    const results = messages + scratchBytes;
    const digestsAt = results + 64 * chunk.length;
    const batch = keccakBatch(digestsAt + 32 * chunkPayments, hashes);
    const m = batch.mem;
    let at = 0;
    let scratch = messages;
    let k = 0;
    for (let i = 0; i < chunk.length; i++) {
      const d = chunk[i]!;
      const len = d.txBytes.length;
      m[at] = 0x00; // the leaf prefix (the memory starts zeroed; written for the reader)
      m.set(d.txBytes, at + 1);
      batch.hash(at + 1, len, results + 64 * i);
      batch.hash(at, len + 1, results + 64 * i + 32);
      if (d.kind === 'payment') {
        queueSigningDigest(batch, separator, d.tx, at + 1, len, scratch, digestsAt + 32 * k);
        scratch += DIGEST_SCRATCH_BYTES;
        k++;
      }
      at += 1 + len;
    }
    batch.run();
    for (let i = 0; i < chunk.length; i++) {
      const r = results + 64 * i;
      txHashes.set(m.subarray(r, r + 32), 32 * (first + i));
      leaves?.set(m.subarray(r + 32, r + 64), 32 * (first + i));
    }
    digests.set(m.subarray(digestsAt, digestsAt + 32 * chunkPayments), 32 * payment);
    payment += chunkPayments;
  }
  return { txHashes, digests };
}

/**
 * Decodes every transaction, then recovers all payment signers in one batch (so a native recoverer
 * can spread them over every core). Throws PrepareError for the first bad transaction, in order.
 * `allowFeeClaims` is false for user submissions: fee claims are the operator's alone. `leavesInto`,
 * when given, receives each transaction's Merkle leaf keccak(0x00 ‖ txBytes), 32 bytes each from 0
 * (the watcher builds the block's root from them).
 */
export async function prepareTransactions(
  signed: readonly Uint8Array[],
  verifyingContract: Address,
  recoverer: SignatureRecoverer,
  { allowFeeClaims = true, leavesInto }: { allowFeeClaims?: boolean; leavesInto?: Uint8Array } = {},
): Promise<PreparedTx[]> {
  const decoded = signed.map((bytes, index) => {
    try {
      const d = decodeSignedWire(bytes);
      if (d.kind === 'fee' && !allowFeeClaims) {
        throw new PlasmaError(
          'unrecognized_transaction_type',
          'Fee-claim transactions are made by the operator, not submitted.',
        );
      }
      return d;
    } catch (e) {
      if (isPlasmaError(e)) throw new PrepareError(index, e);
      throw e;
    }
  });
  if (leavesInto && leavesInto.length < 32 * decoded.length)
    throw new RangeError(
      `leavesInto holds ${leavesInto.length / 32} leaves, not ${decoded.length}.`,
    );
  const { txHashes, digests } = hashAll(
    decoded,
    domainSeparatorBytes(verifyingContract),
    leavesInto,
  );

  // Every input of a payment signs the same digest, and signing is deterministic (RFC 6979, as
  // wallets and the contracts' tooling sign), so an owner spending several of their outputs repeats one
  // signature. The same bytes over the same digest recover the same signer: each distinct signature of
  // a payment is recovered once and its signer given to every input that carries it.
  const items: { digest: Uint8Array; sig: Uint8Array }[] = [];
  const slotsOf = new Map<number, number[]>();
  let payment = 0;
  decoded.forEach((d, i) => {
    if (d.kind !== 'payment') return;
    const digest = digests.subarray(32 * payment, 32 * payment + 32);
    payment++;
    const first = items.length;
    slotsOf.set(
      i,
      d.sigs.map((sig) => {
        for (let k = first; k < items.length; k++) if (bytesEqual(items[k]!.sig, sig)) return k;
        return items.push({ digest, sig }) - 1;
      }),
    );
  });
  const signers = await recoverer.recoverBatch(items);
  if (signers.length !== items.length)
    throw new Error(`The recoverer gave ${signers.length} signers for ${items.length} signatures.`);

  return decoded.map((d, index) => {
    const hash = bytesToHex(txHashes, 32 * index, 32 * index + 32);
    if (d.kind === 'fee') {
      return {
        exec: { kind: 'fee', tx: d.tx, txHash: hash },
        signedBytes: signed[index]!,
        txBytes: d.txBytes,
        txHash: hash,
      };
    }
    const recovered = (slotsOf.get(index) ?? []).map((k) => signers[k] ?? null);
    const bad = recovered.findIndex((s) => s === null);
    if (bad >= 0) {
      const code: PlasmaErrorCode = 'signature_corrupt';
      throw new PrepareError(
        index,
        new PlasmaError(code, `The signature of input ${bad} recovers no signer.`),
      );
    }
    return {
      exec: { kind: 'payment', tx: d.tx, txHash: hash, signers: recovered },
      signedBytes: signed[index]!,
      txBytes: d.txBytes,
      txHash: hash,
    };
  });
}
