// The conformance run: takes a vectors file in the layout of shared/vectors/omgjs-v1-public.json and
// replaces every case's `expected` with what our protocol library computes, in omg-js's notation
// (small numbers as JSON numbers, amounts and positions as decimal strings, lowercase hex). A case our
// library refuses becomes `{error: "<code>: <sentence>"}`. Pure: the CLI in conformance.ts does the I/O.

import { createPaymentTx, mergeUtxosTx } from '../src/plasma/build';
import { rootchainCall, type OmgRootchainInput } from '../src/plasma/contracts';
import {
  domainSeparator,
  recoverSigner,
  signPayment,
  signingDigest,
  structHash,
  typedData,
} from '../src/plasma/eip712';
import { isPlasmaError } from '../src/plasma/errors';
import { bytesToHex, hexToBytes } from '../src/plasma/hex';
import { depositExitData } from '../src/plasma/ids';
import { allProofs, minimalHeight } from '../src/plasma/merkle';
import { decodeMetadata, encodeMetadata } from '../src/plasma/metadata';
import { decodeUtxoPos, encodeUtxoPos, utxoPosToWord } from '../src/plasma/position';
import {
  decodeDeposit,
  decodePayment,
  decodeSigned,
  encodeDeposit,
  encodePayment,
  encodeSigned,
  txHash,
} from '../src/plasma/tx';
import type { Address, Hex, Output, PaymentTx, Utxo } from '../src/plasma/types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export interface VectorCase {
  id: string;
  input: unknown;
  expected: unknown;
  quirk?: string;
  note?: string;
}

/** Sections we compute; any other array is passed through unchanged. */
export const SECTIONS = [
  'utxoPos',
  'metadata',
  'payment',
  'deposit',
  'merkle',
  'createTxBody',
  'mergeUtxos',
  'rootchain',
] as const;

function big(value: unknown, what: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  throw new Error(`${what} must be a whole number (a JSON number or a decimal string).`);
}

const obj = (v: unknown): Record<string, unknown> => (v ?? {}) as Record<string, unknown>;
const num = (b: bigint): number => Number(b);

function omgPos(pos: bigint): Obj {
  const d = decodeUtxoPos(pos);
  return { blknum: num(d.blknum), txindex: num(d.txindex), oindex: num(d.oindex) };
}

function posFrom(input: unknown): bigint {
  const i = obj(input);
  return encodeUtxoPos({
    blknum: big(i.blknum, 'blknum'),
    txindex: big(i.txindex, 'txindex'),
    oindex: big(i.oindex, 'oindex'),
  });
}

function omgOutput(o: Output): Obj {
  return {
    outputType: num(o.outputType),
    outputGuard: o.outputGuard,
    currency: o.token,
    amount: o.amount.toString(),
  };
}

function omgTx(tx: PaymentTx): Obj {
  return {
    txType: num(tx.txType),
    inputs: tx.inputs.map(omgPos),
    outputs: tx.outputs.map(omgOutput),
    txData: num(tx.txData),
    metadata: tx.metadata,
  };
}

function paymentFrom(input: unknown): PaymentTx {
  const t = obj(input);
  return {
    txType: big(t.txType, 'txType'),
    inputs: ((t.inputs ?? []) as unknown[]).map(posFrom),
    outputs: ((t.outputs ?? []) as unknown[]).map((o) => {
      const out = obj(o);
      return {
        outputType: big(out.outputType, 'outputType'),
        outputGuard: out.outputGuard as Address,
        token: out.currency as Address,
        amount: big(out.amount, 'amount'),
      };
    }),
    txData: big(t.txData ?? 0, 'txData'),
    metadata: (t.metadata ?? '0x' + '00'.repeat(32)) as Hex,
  };
}

function utxoFrom(input: unknown): Utxo {
  const u = obj(input);
  return {
    utxoPos: posFrom(u),
    owner: u.owner as Address,
    token: u.currency as Address,
    amount: big(u.amount, 'amount'),
  };
}

// ---------------------------------------------------------------------------------------------------

function utxoPosCase(input: unknown): Obj {
  const pos = posFrom(input);
  return {
    utxoPos: pos.toString(),
    utxoPosHex32: bytesToHex(utxoPosToWord(pos)),
    decoded: omgPos(pos),
  };
}

function metadataCase(input: unknown): Obj {
  const encoded = encodeMetadata(obj(input).str as string);
  return { encoded, decoded: decodeMetadata(encoded) };
}

function paymentCase(input: unknown): Obj {
  const i = obj(input);
  const vc = i.verifyingContract as Address;
  const tx = paymentFrom(i.tx);
  const bytes = encodePayment(tx);
  const digest = signingDigest(tx, vc);
  const sigs = signPayment(tx, (i.signers ?? []) as Hex[], vc);
  const signed = encodeSigned({ tx, sigs });
  const back = decodeSigned(signed);
  return {
    txBytes: bytesToHex(bytes),
    txHash: txHash(bytes),
    decoded: omgTx(decodePayment(bytes)),
    typedData: typedData(tx, vc) as unknown as Obj,
    domainSeparator: domainSeparator(vc),
    messageHash: structHash(tx),
    toSignHash: bytesToHex(digest),
    signatures: sigs,
    signerAddresses: sigs.map((s) => recoverSigner(digest, s)),
    signedTxBytes: bytesToHex(signed),
    signedDecoded: { sigs: back.sigs, ...omgTx(back.tx) },
    unsignedFromSigned: bytesToHex(back.txBytes),
    inputUtxoPos: tx.inputs.map((p) => p.toString()),
  };
}

function depositCase(input: unknown): Obj {
  const i = obj(input);
  const bytes = encodeDeposit(i.owner as Address, i.currency as Address, big(i.amount, 'amount'));
  const d = decodeDeposit(bytes);
  const exit = depositExitData(bytes, big(i.blknum, 'blknum'));
  return {
    txBytes: bytesToHex(bytes),
    txHash: txHash(bytes),
    decoded: { owner: d.owner, amount: d.amount.toString(), currency: d.token },
    decodedTx: omgTx(decodePayment(bytes)),
    exitData: {
      txbytes: exit.txBytes,
      proof: exit.proof,
      root: exit.root,
      utxo_pos: exit.utxoPos.toString(),
    },
  };
}

function merkleCase(input: unknown): Obj {
  const i = obj(input);
  const leaves = ((i.leaves ?? []) as string[]).map((l) => hexToBytes(l));
  const height =
    i.height === undefined ? minimalHeight(leaves.length) : num(big(i.height, 'height'));
  const { root, proofs } = allProofs(leaves, height);
  return { height, root: bytesToHex(root), proofs: proofs.map((p) => bytesToHex(p)) };
}

function createTxBodyCase(input: unknown): Obj {
  const i = obj(input);
  const fee = obj(i.fee);
  const tx = createPaymentTx({
    from: i.fromAddress as Address,
    utxos: ((i.fromUtxos ?? []) as unknown[]).map(utxoFrom),
    payments: ((i.payments ?? []) as unknown[]).map((p) => {
      const pay = obj(p);
      return {
        owner: pay.owner as Address,
        token: pay.currency as Address,
        amount: big(pay.amount, 'amount'),
      };
    }),
    fee: { token: fee.currency as Address, amount: big(fee.amount, 'fee amount') },
    ...(typeof i.metadata === 'string' ? { metadata: encodeMetadata(i.metadata) } : {}),
  });
  const { txType: _txType, ...body } = omgTx(tx);
  return {
    body,
    toSignHash: bytesToHex(signingDigest(tx, i.verifyingContract as Address)),
    txBytes: bytesToHex(encodePayment(tx)),
  };
}

function mergeUtxosCase(input: unknown): Obj {
  const tx = mergeUtxosTx(((obj(input).utxos ?? []) as unknown[]).map(utxoFrom));
  return { output: omgOutput(tx.outputs[0]!) };
}

function rootchainCase(input: unknown): Obj {
  return rootchainCall(input as OmgRootchainInput) as unknown as Obj;
}

const COMPUTE: Record<(typeof SECTIONS)[number], (input: unknown) => Obj> = {
  utxoPos: utxoPosCase,
  metadata: metadataCase,
  payment: paymentCase,
  deposit: depositCase,
  merkle: merkleCase,
  createTxBody: createTxBodyCase,
  mergeUtxos: mergeUtxosCase,
  rootchain: rootchainCase,
};

/** What our library says about one case: its computed `expected`, or `{error}`. */
export function computeCase(section: string, input: unknown): Obj {
  const compute = COMPUTE[section as (typeof SECTIONS)[number]];
  if (compute === undefined) throw new Error(`Unknown section ${section}.`);
  try {
    return compute(input);
  } catch (e) {
    if (isPlasmaError(e)) return { error: `${e.code}: ${e.message}` };
    return { error: `invalid_input: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The whole file with every case of the sections we know recomputed; everything else unchanged. */
export function runConformance(file: unknown): unknown {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw new Error(
      'The vectors file must hold a JSON object with one array of cases per section.',
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(file)) {
    if ((SECTIONS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((c: unknown) => {
        if (typeof c !== 'object' || c === null) return c;
        const vc = c as VectorCase;
        return { ...vc, expected: computeCase(key, vc.input) };
      });
    } else {
      out[key] = value;
    }
  }
  return out;
}
