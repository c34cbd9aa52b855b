// The protocol's data model, shared by every module of src/plasma (spec: ../shared/spec/protocol.md §3–§4).
// Amounts and positions are bigint; hex is lowercase 0x… at boundaries; bytes are Uint8Array inside.

/** A 0x-prefixed hex string. Addresses are 20 bytes, hashes 32 bytes; lowercase when we produce them. */
export type Hex = `0x${string}`;
export type Address = Hex;

export const TX_TYPE_PAYMENT = 1n;
export const TX_TYPE_FEE = 3n;
export const OUTPUT_TYPE_PAYMENT = 1n;
export const OUTPUT_TYPE_FEE_CLAIM = 2n;
export const MAX_INPUTS = 4;
export const MAX_OUTPUTS = 4;
export const ETH_TOKEN: Address = '0x0000000000000000000000000000000000000000';
export const NULL_METADATA: Hex =
  '0x0000000000000000000000000000000000000000000000000000000000000000';

/** A position split into its parts (§4.1). */
export interface UtxoPosParts {
  blknum: bigint;
  txindex: bigint;
  oindex: bigint;
}

/** One output of a payment or fee transaction: `[outputType, [outputGuard, token, amount]]`. */
export interface Output {
  outputType: bigint;
  /** The owner's address (v1 payment outputs carry the owner directly). */
  outputGuard: Address;
  token: Address;
  amount: bigint;
}

/** An unsigned payment (type 1) transaction; a deposit is a payment with no inputs and one output. */
export interface PaymentTx {
  txType: bigint;
  /** Input positions (encoded utxoPos), 0 to 4 of them. */
  inputs: bigint[];
  outputs: Output[];
  /** Always 0 for payments. */
  txData: bigint;
  /** 32 bytes. */
  metadata: Hex;
}

/** A signed transaction in the child chain's wire form: `[sigs, txType, inputs, outputs, txData, metadata]`. */
export interface SignedTx {
  tx: PaymentTx;
  /** 65-byte signatures r ‖ s ‖ v, one per input. */
  sigs: Hex[];
}

/** An unspent output as the wallet knows it. */
export interface Utxo {
  utxoPos: bigint;
  owner: Address;
  token: Address;
  amount: bigint;
}

/**
 * A fee-claim transaction (type 3, §3.6): one output of type 2 paying the collected fees of one token
 * to the operator. `nonce` = keccak(word(blknum) ‖ addrWord(token)); `metadata` exists only in the
 * five-item form the contracts accept (elixir-omg's three-item form has none: NULL_METADATA here).
 */
export interface FeeTx {
  txType: bigint;
  output: Output;
  /** 32 bytes. */
  nonce: Hex;
  /** 32 bytes. */
  metadata: Hex;
}
