// EIP-712 hashing and signing of payments, domain version "1" (protocol.md §5): the digest the
// contracts check signatures against, the typed-data object wallets sign with eth_signTypedData_v4,
// and secp256k1 signing/recovery (RFC 6979, low-s, v 27/28).
import { SigningKey } from 'ethers';
import { PlasmaError } from './errors';
import {
  bytesToHex,
  hexToBytes,
  isHex,
  keccak,
  normalizeAddress,
  writeHexBytes,
  writeWord,
} from './hex';
import { keccakParts, type KeccakBatch } from './keccak';
import {
  BLOCK_OFFSET,
  MAX_TXINDEX,
  MAX_UTXO_POS,
  TX_OFFSET,
  decodeUtxoPos,
  splitPositionInto,
} from './position';
import { recoverAddress, SECP256K1_N } from './recover';
import { itemEnd, itemIsList, itemPayload } from './rlp';
import { encodePayment } from './tx';
import {
  ETH_TOKEN,
  MAX_INPUTS,
  MAX_OUTPUTS,
  NULL_METADATA,
  type Address,
  type Hex,
  type Output,
  type PaymentTx,
} from './types';

export const EIP712_NAME = 'OMG Network';
export const EIP712_VERSION = '1';
export const EIP712_SALT: Hex =
  '0xfad5c7f626d80f9256ef01929f3beb96e058b8b4b0e3fe52d84f054c0e2a7a83';

export const DOMAIN_TYPE =
  'EIP712Domain(string name,string version,address verifyingContract,bytes32 salt)';
export const INPUT_TYPE = 'Input(uint256 blknum,uint256 txindex,uint256 oindex)';
export const OUTPUT_TYPE =
  'Output(uint256 outputType,bytes20 outputGuard,address currency,uint256 amount)';
export const TRANSACTION_TYPE =
  'Transaction(uint256 txType,Input input0,Input input1,Input input2,Input input3,Output output0,Output output1,Output output2,Output output3,uint256 txData,bytes32 metadata)' +
  INPUT_TYPE +
  OUTPUT_TYPE;

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

const DOMAIN_TYPEHASH_BYTES = keccak(ascii(DOMAIN_TYPE));
const INPUT_TYPEHASH_BYTES = keccak(ascii(INPUT_TYPE));
const OUTPUT_TYPEHASH_BYTES = keccak(ascii(OUTPUT_TYPE));
const TX_TYPEHASH_BYTES = keccak(ascii(TRANSACTION_TYPE));
const NAME_HASH_BYTES = keccak(ascii(EIP712_NAME));
const VERSION_HASH_BYTES = keccak(ascii(EIP712_VERSION));
const SALT_BYTES = hexToBytes(EIP712_SALT);

export const DOMAIN_TYPEHASH: Hex = bytesToHex(DOMAIN_TYPEHASH_BYTES);
export const INPUT_TYPEHASH: Hex = bytesToHex(INPUT_TYPEHASH_BYTES);
export const OUTPUT_TYPEHASH: Hex = bytesToHex(OUTPUT_TYPEHASH_BYTES);
export const TX_TYPEHASH: Hex = bytesToHex(TX_TYPEHASH_BYTES);
export const NAME_HASH: Hex = bytesToHex(NAME_HASH_BYTES);
export const VERSION_HASH: Hex = bytesToHex(VERSION_HASH_BYTES);

// Scratch buffers: hashing is synchronous, so one of each is enough and the hot path allocates
// nothing. Input and output hashes are written straight into their words of txBuf, the struct hash
// straight into digestBuf (keccakParts writes its result at an offset).
const inputBuf = new Uint8Array(128);
const outputBuf = new Uint8Array(160);
const txBuf = new Uint8Array(384);
const digestBuf = new Uint8Array(66);
inputBuf.set(INPUT_TYPEHASH_BYTES, 0);
outputBuf.set(OUTPUT_TYPEHASH_BYTES, 0);
txBuf.set(TX_TYPEHASH_BYTES, 0);
digestBuf[0] = 0x19;
digestBuf[1] = 0x01;
const NO_BYTES = new Uint8Array(0);

/** keccak(buf) written to out[outOff, outOff+32). */
function keccakInto(buf: Uint8Array, out: Uint8Array, outOff: number): void {
  keccakParts(-1, buf, 0, buf.length, NO_BYTES, 0, 0, out, outOff);
}

/** Writes a small non-negative integer (≤ 2^53) as the low bytes of a zeroed-above 32-byte word. */
function writeSmallWord(out: Uint8Array, offset: number, v: number): void {
  for (let i = offset + 31; i >= offset; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

const TX_OFFSET_NUMBER = Number(TX_OFFSET);

/** h(Input(blknum, txindex, oindex)) of a position, to out[outOff…]; out-of-bounds positions throw `invalid_position`. */
function hashInputPos(pos: bigint, out: Uint8Array, outOff: number): void {
  if (typeof pos !== 'bigint' || pos < 0n || pos > MAX_UTXO_POS) decodeUtxoPos(pos); // throws
  const blknum = pos / BLOCK_OFFSET;
  const rest = Number(pos - blknum * BLOCK_OFFSET); // < 10^9
  const txindex = Math.floor(rest / TX_OFFSET_NUMBER);
  if (txindex > Number(MAX_TXINDEX)) decodeUtxoPos(pos); // throws
  writeSmallWord(inputBuf, 32, Number(blknum));
  writeSmallWord(inputBuf, 64, txindex);
  writeSmallWord(inputBuf, 96, rest % TX_OFFSET_NUMBER);
  keccakInto(inputBuf, out, outOff);
}
/**
 * Writes a 20-byte address at out[offset…]. Lowercase 0x hex (what the decoder produces) is read
 * directly; anything else goes through normalizeAddress (checksum, clear error).
 */
function writeAddress(out: Uint8Array, offset: number, address: string): void {
  if (
    typeof address !== 'string' ||
    address.length !== 42 ||
    !writeHexBytes(out, offset, address, 20)
  )
    writeHexBytes(out, offset, normalizeAddress(address), 20);
}

function hashOutputInto(
  outputType: bigint,
  outputGuard: string,
  currency: string,
  amount: bigint,
  out: Uint8Array,
  outOff: number,
): void {
  writeWord(outputBuf, 32, outputType);
  outputBuf.fill(0, 64, 128);
  writeAddress(outputBuf, 64, outputGuard); // bytes20: left-aligned in its word
  writeAddress(outputBuf, 108, currency); // address: right-aligned
  writeWord(outputBuf, 128, amount);
  keccakInto(outputBuf, out, outOff);
}

const EMPTY_INPUT_BYTES = new Uint8Array(32);
hashInputPos(0n, EMPTY_INPUT_BYTES, 0);
const EMPTY_OUTPUT_BYTES = new Uint8Array(32);
hashOutputInto(0n, ETH_TOKEN, ETH_TOKEN, 0n, EMPTY_OUTPUT_BYTES, 0);
/** h(Input(0,0,0)): the hash of a missing input. */
export const EMPTY_INPUT_HASH: Hex = bytesToHex(EMPTY_INPUT_BYTES);
/** h(Output(0,0x0,0x0,0)): the hash of a missing output. */
export const EMPTY_OUTPUT_HASH: Hex = bytesToHex(EMPTY_OUTPUT_BYTES);

const domainCache = new Map<string, Uint8Array>();

/**
 * The domain separator as bytes, cached per contract (the array is shared: read it, never write it);
 * what queueSigningDigest takes.
 */
export function domainSeparatorBytes(verifyingContract: Address): Uint8Array {
  const cached = domainCache.get(verifyingContract);
  if (cached) return cached;
  const contract = normalizeAddress(verifyingContract);
  const buf = new Uint8Array(160);
  buf.set(DOMAIN_TYPEHASH_BYTES, 0);
  buf.set(NAME_HASH_BYTES, 32);
  buf.set(VERSION_HASH_BYTES, 64);
  writeAddress(buf, 108, contract);
  buf.set(SALT_BYTES, 128);
  const separator = keccak(buf);
  domainCache.set(verifyingContract, separator);
  return separator;
}

/** keccak(DOMAIN_TYPEHASH ‖ keccak(name) ‖ keccak(version) ‖ addrWord(verifyingContract) ‖ salt); no chainId (quirk Q12). */
export function domainSeparator(verifyingContract: Address): Hex {
  return bytesToHex(domainSeparatorBytes(verifyingContract));
}

function checkShape(tx: PaymentTx): void {
  if (
    typeof tx !== 'object' ||
    tx === null ||
    !Array.isArray(tx.inputs) ||
    !Array.isArray(tx.outputs)
  ) {
    throw new PlasmaError(
      'invalid_argument',
      'Expected a payment transaction object with inputs and outputs arrays.',
    );
  }
  if (tx.inputs.length > MAX_INPUTS)
    throw new PlasmaError(
      'too_many_inputs',
      `The transaction has ${tx.inputs.length} inputs; at most ${MAX_INPUTS} can be signed.`,
    );
  if (tx.outputs.length > MAX_OUTPUTS)
    throw new PlasmaError(
      'too_many_outputs',
      `The transaction has ${tx.outputs.length} outputs; at most ${MAX_OUTPUTS} can be signed.`,
    );
}

/** hashStruct(Transaction) written to out[outOff, outOff+32); no allocation on the common path. */
function structHashInto(tx: PaymentTx, out: Uint8Array, outOff: number): void {
  checkShape(tx);
  // Inputs and outputs use their own scratch buffers and land in their words of txBuf.
  for (let i = 0; i < MAX_INPUTS; i++) {
    const pos = tx.inputs[i];
    if (pos === undefined) txBuf.set(EMPTY_INPUT_BYTES, 64 + 32 * i);
    else hashInputPos(pos, txBuf, 64 + 32 * i);
  }
  for (let j = 0; j < MAX_OUTPUTS; j++) {
    const o: Output | undefined = tx.outputs[j];
    if (o === undefined) txBuf.set(EMPTY_OUTPUT_BYTES, 192 + 32 * j);
    else hashOutputInto(o.outputType, o.outputGuard, o.token, o.amount, txBuf, 192 + 32 * j);
  }
  writeWord(txBuf, 32, tx.txType);
  writeWord(txBuf, 320, tx.txData);
  const metadata = tx.metadata ?? NULL_METADATA;
  if (
    typeof metadata !== 'string' ||
    metadata.length !== 66 ||
    !writeHexBytes(txBuf, 352, metadata, 32)
  )
    throw new PlasmaError('malformed_metadata', 'Metadata must be 32 bytes of 0x hex.');
  keccakInto(txBuf, out, outOff);
}

function structHashBytes(tx: PaymentTx): Uint8Array {
  const out = new Uint8Array(32);
  structHashInto(tx, out, 0);
  return out;
}

/**
 * hashStruct(Transaction) of §5.2. Hashes the tx as given (like elixir-omg): it does not check that
 * the tx can be encoded; `signPayment` does. Positions outside the v1 bounds throw `invalid_position`
 * (the contract reverts on them while hashing).
 */
export function structHash(tx: PaymentTx): Hex {
  return bytesToHex(structHashBytes(tx));
}

/** keccak(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash): the digest owners sign ("toSignHash"). */
export function signingDigest(tx: PaymentTx, verifyingContract: Address): Uint8Array {
  const separator = domainSeparatorBytes(verifyingContract);
  structHashInto(tx, digestBuf, 34);
  digestBuf.set(separator, 2);
  const out = new Uint8Array(32);
  keccakInto(digestBuf, out, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The digest of a decoded payment from its own bytes, in a batch (the watcher's and the operator's
// path, prepare.ts): the output fields are copied from the RLP into the structs as they are (the
// owner and token bytes, the amount's big-endian bytes), with no conversion through hex or bigint,
// and every hash of a slice's payments runs in one WebAssembly call. Same digest as signingDigest
// (property-tested in eip712.test.ts).

// A payment's scratch memory: its input structs, output structs, transaction struct and digest message.
const SCRATCH_INPUTS = 0;
const SCRATCH_OUTPUTS = SCRATCH_INPUTS + MAX_INPUTS * 128;
const SCRATCH_STRUCT = SCRATCH_OUTPUTS + MAX_OUTPUTS * 160;
const SCRATCH_DIGEST = SCRATCH_STRUCT + 384;
/** Bytes of batch memory (zero-filled) one payment's digest needs: see queueSigningDigest. */
export const DIGEST_SCRATCH_BYTES = SCRATCH_DIGEST + 66;
/** Hashes queueSigningDigest queues for a payment with `inputs` inputs and `outputs` outputs. */
export const digestHashCount = (inputs: number, outputs: number): number => inputs + outputs + 2;

// An RLP item inside the batch memory is named by where it starts; its payload and end are read
// from its header when needed (rlp.ts's reader, on bytes the strict decoder accepted), so walking a
// payment allocates nothing.

/** Where the RLP item at `at` ends; throws if that is past `limit` (the end of what holds it). */
function endAt(m: Uint8Array, at: number, limit: number): number {
  const end = itemEnd(m, at);
  if (end > limit)
    throw new Error(`EIP-712 batch: an RLP item at ${at} runs past its transaction.`);
  return end;
}

const wrong = (): Error =>
  new Error('EIP-712 batch: the bytes are not those of the payment given.');

/** Copies the string item at `at` (ending at `end`) into the last bytes of the 32-byte word at `word`. */
function copyRightAligned(m: Uint8Array, at: number, end: number, word: number): void {
  const payload = itemPayload(m, at);
  if (itemIsList(m, at) || end - payload > 32)
    throw new Error('EIP-712 batch: a word field is not a ≤ 32-byte string.');
  m.copyWithin(word + 32 - (end - payload), payload, end);
}

/** Writes a non-negative integer below 2^53 into the last 8 bytes of the zeroed word at `word`. */
function writeSmall(m: Uint8Array, word: number, v: number): void {
  for (let i = word + 31; v > 0; i--) {
    m[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

/** blknum, txindex, oindex of the input being written (splitPositionInto's output). */
const inputParts = new Float64Array(3);

/** The Input struct of position `pos` (typehash and three words) at `at`. */
function writeInputStruct(m: Uint8Array, at: number, pos: bigint): void {
  m.set(INPUT_TYPEHASH_BYTES, at);
  splitPositionInto(pos, inputParts, 0);
  writeSmall(m, at + 32, inputParts[0]!);
  writeSmall(m, at + 64, inputParts[1]!);
  writeSmall(m, at + 96, inputParts[2]!);
}

/**
 * Queues in `batch` the hashes that give the EIP-712 digest of payment `tx`, whose unsigned bytes
 * (the strict decoder's `txBytes`, from which `tx` was decoded) are at batch.mem[txAt, txAt + txLen):
 * the structs are built in the DIGEST_SCRATCH_BYTES of zeroed memory at `scratch`, and after
 * `batch.run()` the digest is at batch.mem[out, out + 32). `separator` is domainSeparatorBytes(the
 * verifying contract), worked out before the batch (it may hash). Queues digestHashCount(…) hashes.
 * The positions come from `tx` (already checked against the v1 bounds by the decoder); the output
 * fields, the transaction type and the metadata from the bytes. Throws a plain Error where the bytes
 * do not have the shape of the payment decoded from them (a bug, never a property of the input).
 */
export function queueSigningDigest(
  batch: KeccakBatch,
  separator: Uint8Array,
  tx: PaymentTx,
  txAt: number,
  txLen: number,
  scratch: number,
  out: number,
): void {
  const m = batch.mem;
  const struct = scratch + SCRATCH_STRUCT;
  const rootEnd = endAt(m, txAt, txAt + txLen);
  if (!itemIsList(m, txAt) || tx.inputs.length > MAX_INPUTS || tx.outputs.length > MAX_OUTPUTS)
    throw wrong();

  // [txType, inputs, outputs, txData, metadata]
  const txType = itemPayload(m, txAt);
  const inputs = endAt(m, txType, rootEnd);
  const outputs = endAt(m, inputs, rootEnd);
  const txData = endAt(m, outputs, rootEnd);
  const metadata = endAt(m, txData, rootEnd);
  const outputsEnd = txData;
  if (endAt(m, metadata, rootEnd) !== rootEnd || rootEnd - itemPayload(m, metadata) !== 32)
    throw wrong();
  if (!itemIsList(m, outputs)) throw wrong();

  m.set(TX_TYPEHASH_BYTES, struct);
  copyRightAligned(m, txType, inputs, struct + 32);
  for (let i = 0; i < MAX_INPUTS; i++) {
    const slot = struct + 64 + 32 * i;
    const pos = tx.inputs[i];
    if (pos === undefined) {
      m.set(EMPTY_INPUT_BYTES, slot);
      continue;
    }
    const at = scratch + SCRATCH_INPUTS + 128 * i;
    writeInputStruct(m, at, pos);
    batch.hash(at, 128, slot);
  }
  let output = itemPayload(m, outputs);
  for (let j = 0; j < MAX_OUTPUTS; j++) {
    const slot = struct + 192 + 32 * j;
    if (j >= tx.outputs.length) {
      m.set(EMPTY_OUTPUT_BYTES, slot);
      continue;
    }
    // [outputType, [outputGuard, token, amount]]
    const outputEnd = endAt(m, output, outputsEnd);
    const outputType = itemPayload(m, output);
    const data = endAt(m, outputType, outputEnd);
    const dataEnd = endAt(m, data, outputEnd);
    const guard = itemPayload(m, data);
    const token = endAt(m, guard, dataEnd);
    const amount = endAt(m, token, dataEnd);
    if (
      !itemIsList(m, output) ||
      !itemIsList(m, data) ||
      dataEnd !== outputEnd ||
      token - guard !== 21 ||
      amount - token !== 21 ||
      endAt(m, amount, dataEnd) !== dataEnd
    )
      throw wrong();
    const at = scratch + SCRATCH_OUTPUTS + 160 * j;
    m.set(OUTPUT_TYPEHASH_BYTES, at);
    copyRightAligned(m, outputType, data, at + 32);
    m.copyWithin(at + 64, guard + 1, token); // bytes20: left-aligned
    m.copyWithin(at + 108, token + 1, amount); // address: right-aligned
    copyRightAligned(m, amount, dataEnd, at + 128);
    batch.hash(at, 160, slot);
    output = outputEnd;
  }
  if (output !== outputsEnd) throw wrong();
  copyRightAligned(m, txData, metadata, struct + 320);
  m.copyWithin(struct + 352, itemPayload(m, metadata), rootEnd);

  const digest = scratch + SCRATCH_DIGEST;
  m[digest] = 0x19;
  m[digest + 1] = 0x01;
  m.set(separator, digest + 2);
  batch.hash(struct, 384, digest + 34);
  batch.hash(digest, 66, out);
}

// ---------------------------------------------------------------------------------------------
// eth_signTypedData_v4 (§5.4). Numbers are laid out as omg-js does (small fields as JSON numbers,
// amounts as decimal strings), so the object equals the one omg-js hands to wallets.

export const TYPED_DATA_TYPES = {
  EIP712Domain: [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'verifyingContract', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  Transaction: [
    { name: 'txType', type: 'uint256' },
    { name: 'input0', type: 'Input' },
    { name: 'input1', type: 'Input' },
    { name: 'input2', type: 'Input' },
    { name: 'input3', type: 'Input' },
    { name: 'output0', type: 'Output' },
    { name: 'output1', type: 'Output' },
    { name: 'output2', type: 'Output' },
    { name: 'output3', type: 'Output' },
    { name: 'txData', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
  ],
  Input: [
    { name: 'blknum', type: 'uint256' },
    { name: 'txindex', type: 'uint256' },
    { name: 'oindex', type: 'uint256' },
  ],
  Output: [
    { name: 'outputType', type: 'uint256' },
    { name: 'outputGuard', type: 'bytes20' },
    { name: 'currency', type: 'address' },
    { name: 'amount', type: 'uint256' },
  ],
} as const;

export interface TypedDataInput {
  blknum: number;
  txindex: number;
  oindex: number;
}

export interface TypedDataOutput {
  outputType: number;
  outputGuard: Address;
  currency: Address;
  /** Decimal string for real outputs; the number 0 for padding, as omg-js writes it. */
  amount: string | number;
}

export interface TypedDataMessage {
  txType: number;
  input0: TypedDataInput;
  input1: TypedDataInput;
  input2: TypedDataInput;
  input3: TypedDataInput;
  output0: TypedDataOutput;
  output1: TypedDataOutput;
  output2: TypedDataOutput;
  output3: TypedDataOutput;
  txData: number;
  metadata: Hex;
}

export interface PaymentTypedData {
  types: typeof TYPED_DATA_TYPES;
  domain: { name: string; version: string; verifyingContract: Address; salt: Hex };
  primaryType: 'Transaction';
  message: TypedDataMessage;
}

const EMPTY_TYPED_INPUT: TypedDataInput = { blknum: 0, txindex: 0, oindex: 0 };
const EMPTY_TYPED_OUTPUT: TypedDataOutput = {
  outputType: 0,
  outputGuard: ETH_TOKEN,
  currency: ETH_TOKEN,
  amount: 0,
};

function smallNumber(n: bigint, what: string): number {
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER))
    throw new PlasmaError('invalid_argument', `The ${what} ${n} is too large for typed data.`);
  return Number(n);
}

/** The eth_signTypedData_v4 object for `tx`; a wallet signing it produces the digest of `signingDigest`. */
export function typedData(tx: PaymentTx, verifyingContract: Address): PaymentTypedData {
  checkShape(tx);
  const input = (i: number): TypedDataInput => {
    const pos = tx.inputs[i];
    if (pos === undefined) return { ...EMPTY_TYPED_INPUT };
    const { blknum, txindex, oindex } = decodeUtxoPos(pos);
    return { blknum: Number(blknum), txindex: Number(txindex), oindex: Number(oindex) };
  };
  const output = (j: number): TypedDataOutput => {
    const o = tx.outputs[j];
    if (o === undefined) return { ...EMPTY_TYPED_OUTPUT };
    return {
      outputType: smallNumber(o.outputType, 'output type'),
      outputGuard: normalizeAddress(o.outputGuard),
      currency: normalizeAddress(o.token),
      amount: o.amount.toString(10),
    };
  };
  return {
    types: TYPED_DATA_TYPES,
    domain: {
      name: EIP712_NAME,
      version: EIP712_VERSION,
      verifyingContract: normalizeAddress(verifyingContract),
      salt: EIP712_SALT,
    },
    primaryType: 'Transaction',
    message: {
      txType: smallNumber(tx.txType, 'tx type'),
      input0: input(0),
      input1: input(1),
      input2: input(2),
      input3: input(3),
      output0: output(0),
      output1: output(1),
      output2: output(2),
      output3: output(3),
      txData: smallNumber(tx.txData, 'txData'),
      metadata: (tx.metadata ?? NULL_METADATA).toLowerCase() as Hex,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Signing and recovery.

function signingKey(privateKey: Hex): SigningKey {
  if (!isHex(privateKey, 32)) {
    throw new PlasmaError('invalid_private_key', 'A private key must be 32 bytes of 0x hex.');
  }
  const k = BigInt(privateKey);
  if (k === 0n || k >= SECP256K1_N) {
    throw new PlasmaError(
      'invalid_private_key',
      'The private key must be above 0 and below the secp256k1 order.',
    );
  }
  try {
    return new SigningKey(privateKey);
  } catch (cause) {
    throw new PlasmaError(
      'invalid_private_key',
      'The private key is outside the secp256k1 range.',
      { cause },
    );
  }
}

function digestBytes(digest: Uint8Array | Hex): Uint8Array {
  const bytes =
    typeof digest === 'string' ? (isHex(digest, 32) ? hexToBytes(digest) : null) : digest;
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32)
    throw new PlasmaError('invalid_argument', 'A digest must be 32 bytes.');
  return bytes;
}

/** Signs a 32-byte digest directly (no message prefix): r ‖ s ‖ v, v 27/28, RFC 6979, low-s. */
export function signDigest(privateKey: Hex, digest: Uint8Array | Hex): Hex {
  const key = signingKey(privateKey);
  try {
    return key.sign(digestBytes(digest)).serialized.toLowerCase() as Hex;
  } catch (cause) {
    if (cause instanceof PlasmaError) throw cause;
    throw new PlasmaError('invalid_signature', 'Signing failed.', { cause });
  }
}

/**
 * Signs a payment for the contract at `verifyingContract`: one signature per input, `privateKeys[i]`
 * being the owner of input i. The tx is encoded first, so nothing unencodable is ever signed.
 */
export function signPayment(tx: PaymentTx, privateKeys: Hex[], verifyingContract: Address): Hex[] {
  encodePayment(tx);
  if (!Array.isArray(privateKeys) || privateKeys.length < tx.inputs.length) {
    throw new PlasmaError(
      'missing_signature',
      `The transaction has ${tx.inputs.length} input(s); give one private key per input.`,
    );
  }
  if (privateKeys.length > tx.inputs.length) {
    throw new PlasmaError(
      'superfluous_signature',
      `The transaction has ${tx.inputs.length} input(s) but ${privateKeys.length} private keys were given.`,
    );
  }
  const digest = signingDigest(tx, verifyingContract);
  const byKey = new Map<string, Hex>();
  return privateKeys.map((key) => {
    const known = byKey.get(key);
    if (known) return known;
    const sig = signDigest(key, digest);
    byKey.set(key, sig);
    return sig;
  });
}

/**
 * The signer of `digest`; throws PlasmaError `invalid_signature` (with the contract's revert string)
 * for signatures the contracts cannot recover: length ≠ 65, s > n/2, v ∉ {27, 28}, or no curve point.
 */
export function recoverSigner(digest: Uint8Array | Hex, sig: Uint8Array | Hex): Address {
  const signer = recoverAddress(digestBytes(digest), sig);
  if (signer === null) {
    throw new PlasmaError(
      'invalid_signature',
      'The signature is not valid: it must be 65 bytes r ‖ s ‖ v with a low s and v 27 or 28, and recover to a key.',
      {
        revert: 'Failed to recover the signer from the signature',
        rule: 'SIG_UNRECOVERABLE',
      },
    );
  }
  return signer;
}
