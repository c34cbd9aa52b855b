// Test fixtures for the block validator and the block getter: two keys, signed payments, the
// operator's fee claims, and blocks served with their real Merkle root, without a chain.
import { Wallet } from 'ethers';
import { signPayment } from '../../plasma/eip712';
import { bytesToHex } from '../../plasma/hex';
import type { LedgerUtxo } from '../../plasma/ledger';
import { merkleRoot } from '../../plasma/merkle';
import { encodeUtxoPos } from '../../plasma/position';
import { decodeRlp, encodeRlp, type RlpItem } from '../../plasma/rlp';
import { decodeSignedTransaction, encodeFeeTx, encodeSigned, feeTxNonce } from '../../plasma/tx';
import {
  ETH_TOKEN,
  NULL_METADATA,
  OUTPUT_TYPE_FEE_CLAIM,
  TX_TYPE_FEE,
  type Address,
  type Hex,
  type PaymentTx,
} from '../../plasma/types';
import type { BlockRequest } from './block-validator';
import type { BlockGetData } from './child-chain-client';

export const CONTRACT = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74' as Address;
const alice = new Wallet(`0x${'a1'.repeat(32)}`);
const bob = new Wallet(`0x${'b2'.repeat(32)}`);
export const ALICE = alice.address.toLowerCase() as Address;
export const BOB = bob.address.toLowerCase() as Address;
const KEYS: Record<Address, Hex> = {
  [ALICE]: alice.privateKey as Hex,
  [BOB]: bob.privateKey as Hex,
};

export const keyOf = (owner: Address): Hex => KEYS[owner]!;

export const pos = (blknum: bigint, txindex = 0n, oindex = 0n): bigint =>
  encodeUtxoPos({ blknum, txindex, oindex });

export const ethOutput = (owner: Address, amount: bigint): LedgerUtxo => ({
  outputType: 1n,
  owner,
  token: ETH_TOKEN,
  amount,
});

/** A signed ETH payment; `signers` default to the owners found in `owners`. */
export function pay(
  inputs: bigint[],
  outputs: [Address, bigint][],
  signers: Address[],
  verifyingContract: Address = CONTRACT,
): Uint8Array {
  const tx: PaymentTx = {
    txType: 1n,
    inputs,
    outputs: outputs.map(([owner, amount]) => ({
      outputType: 1n,
      outputGuard: owner,
      token: ETH_TOKEN,
      amount,
    })),
    txData: 0n,
    metadata: NULL_METADATA,
  };
  return encodeSigned({ tx, sigs: signPayment(tx, signers.map(keyOf), verifyingContract) });
}

/** The operator's fee claim as elixir-omg serves it: [[], 3, [output], nonce]. */
export function feeClaim(blknum: bigint, amount: bigint, token: Address = ETH_TOKEN): Uint8Array {
  const txBytes = encodeFeeTx(
    {
      txType: TX_TYPE_FEE,
      output: { outputType: OUTPUT_TYPE_FEE_CLAIM, outputGuard: BOB, token, amount },
      nonce: feeTxNonce(blknum, token),
      metadata: NULL_METADATA,
    },
    'elixir',
  );
  return encodeRlp([[], ...(decodeRlp(txBytes) as RlpItem[])]);
}

/** The Merkle leaf the operator would use: the unsigned bytes, or the raw bytes of garbage. */
function unsigned(signed: Uint8Array): Uint8Array {
  try {
    return decodeSignedTransaction(signed).txBytes;
  } catch {
    return signed;
  }
}

/** A block as submitted (request) and as served (response), with its true root. */
export function servedBlock(
  blknum: bigint,
  txs: Uint8Array[],
  ethHeight = 77,
): { request: BlockRequest; response: BlockGetData } {
  const hash = bytesToHex(merkleRoot(txs.map(unsigned)));
  return {
    request: { blknum, hash, ethHeight, timestamp: 1_700_000_000 },
    response: { blknum, hash, transactions: txs },
  };
}
