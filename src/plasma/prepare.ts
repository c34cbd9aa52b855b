// Turning signed wire bytes into transactions the ledger can execute: strict decoding, hashing and
// batch signer recovery. Shared by the devnet operator (transaction.submit) and the watcher (block
// validation), so both judge a transaction by exactly the same stateless rules (watcher.md §1.5.3).
import { signingDigest } from './eip712';
import { PlasmaError, isPlasmaError, type PlasmaErrorCode } from './errors';
import type { ExecutableTx } from './ledger';
import type { SignatureRecoverer } from './recover';
import { decodeSignedWire, txHash } from './tx';
import { bytesEqual } from './hex';
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

/**
 * Decodes every transaction, then recovers all payment signers in one batch (so a native recoverer
 * can spread them over every core). Throws PrepareError for the first bad transaction, in order.
 * `allowFeeClaims` is false for user submissions: fee claims are the operator's alone.
 */
export async function prepareTransactions(
  signed: readonly Uint8Array[],
  verifyingContract: Address,
  recoverer: SignatureRecoverer,
  { allowFeeClaims = true }: { allowFeeClaims?: boolean } = {},
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

  // Every input of a payment signs the same digest, and signing is deterministic (RFC 6979, as
  // wallets and the contracts' tooling sign), so an owner spending several of their outputs repeats one
  // signature. The same bytes over the same digest recover the same signer: each distinct signature of
  // a payment is recovered once and its signer given to every input that carries it.
  const items: { digest: Uint8Array; sig: Uint8Array }[] = [];
  const slotsOf = new Map<number, number[]>();
  decoded.forEach((d, i) => {
    if (d.kind !== 'payment') return;
    const digest = signingDigest(d.tx, verifyingContract);
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
    const hash = txHash(d.txBytes);
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
