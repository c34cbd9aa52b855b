// Transaction codec (protocol.md §3): payment (type 1), deposit, fee (type 3) and the signed wire form.
// The decoder walks the bytes in the same order as the v1.0.5 contracts' decoder, so the first rule a
// bad input breaks is the one the contract would revert with (err.revert), and maps it to the Watcher's
// atom (err.code). The encoder refuses anything the decoder would reject: it never silently drops.
import {
  PlasmaError,
  isPlasmaError,
  ruleError,
  type PlasmaErrorCode,
  type RevertRule,
} from './errors';
import {
  bigintFromBytes,
  bigintToMinimalBytes,
  bytesToHex,
  concatBytes,
  hexToBytes,
  isHex,
  isZeroBytes,
  keccakHex,
  MAX_UINT256,
  normalizeAddress,
  wordFromBigint,
} from './hex';
import { decodeUtxoPos, utxoPosToWord } from './position';
import {
  children,
  decodeRlp,
  encodeRlp,
  rootList,
  wrapList,
  type RlpItem,
  type RlpView,
} from './rlp';
import {
  ETH_TOKEN,
  MAX_INPUTS,
  MAX_OUTPUTS,
  NULL_METADATA,
  OUTPUT_TYPE_FEE_CLAIM,
  OUTPUT_TYPE_PAYMENT,
  TX_TYPE_FEE,
  TX_TYPE_PAYMENT,
  type Address,
  type FeeTx,
  type Hex,
  type Output,
  type PaymentTx,
  type SignedTx,
} from './types';

/** A decoded unsigned transaction of either supported type. */
export type DecodedTransaction =
  { kind: 'payment'; tx: PaymentTx } | { kind: 'fee'; tx: FeeTx; form: FeeTxForm };

/**
 * The two fee-tx forms of §3.6: `contract` = the five-item envelope the contracts can decode (what
 * `encodeFeeTx` produces by default); `elixir` = elixir-omg's three-item `[3, outputs, nonce]`.
 */
export type FeeTxForm = 'contract' | 'elixir';

/** A decoded signed transaction; `txBytes` are the unsigned bytes (what is hashed, signed and put in the Merkle tree). */
export interface DecodedSignedPayment {
  tx: PaymentTx;
  sigs: Hex[];
  txBytes: Uint8Array;
}

export type DecodedSignedTransaction =
  | (DecodedSignedPayment & { kind: 'payment' })
  | { kind: 'fee'; tx: FeeTx; form: FeeTxForm; sigs: Hex[]; txBytes: Uint8Array };

/** A decoded signed transaction with its signatures as 65-byte views into the input (decodeSignedWire). */
export type DecodedSignedWire =
  | { kind: 'payment'; tx: PaymentTx; sigs: Uint8Array[]; txBytes: Uint8Array }
  | { kind: 'fee'; tx: FeeTx; form: FeeTxForm; sigs: Uint8Array[]; txBytes: Uint8Array };

const EMPTY = new Uint8Array(0);
const SIGNATURE_LENGTH = 65;

// ---------------------------------------------------------------------------------------------
// Field readers: the contract's RLPReader.toUint / toBytes32 / toAddress, with the Watcher atom to use.

interface ScalarCodes {
  /** Atom when the item is a list. */
  list: PlasmaErrorCode;
  what: string;
}

function readScalar(view: RlpView, codes: ScalarCodes): bigint {
  const encodedSize = view.end - view.start;
  if (encodedSize < 1 || encodedSize > 33) {
    throw ruleError(
      'encoded_uint_too_big',
      'F3',
      `The ${codes.what} is ${encodedSize} bytes long when encoded; an integer takes at most 32 bytes.`,
    );
  }
  if (view.isList)
    throw ruleError(codes.list, 'F2', `The ${codes.what} must be an integer, found a list.`);
  const { bytes, payload, end } = view;
  if (payload === view.start && bytes[payload] === 0) {
    throw ruleError(
      'leading_zeros_in_encoded_uint',
      'F4',
      `The ${codes.what} is written as the byte 0x00; zero must be encoded as 0x80.`,
    );
  }
  if (end - payload > 1 && bytes[payload] === 0) {
    throw ruleError(
      'leading_zeros_in_encoded_uint',
      'F5',
      `The ${codes.what} has leading zero bytes.`,
    );
  }
  return bigintFromBytes(bytes, payload, end);
}

function readBytes32(
  view: RlpView,
  code: PlasmaErrorCode,
  rule: RevertRule,
  what: string,
): Uint8Array {
  if (view.end - view.start !== 33) {
    throw ruleError(
      code,
      rule,
      `The ${what} must be a 32-byte string, found ${view.isList ? 'a list' : `${view.end - view.payload} bytes`}.`,
    );
  }
  if (view.isList)
    throw ruleError(code, 'F2', `The ${what} must be a 32-byte string, found a list.`);
  return view.bytes.subarray(view.payload, view.end);
}

function readAddress(view: RlpView, what: string): Address {
  if (view.end - view.start !== 21) {
    throw ruleError(
      'malformed_address',
      'F17',
      `The ${what} must be a 20-byte address, found ${view.isList ? 'a list' : `${view.end - view.payload} bytes`}.`,
    );
  }
  if (view.isList)
    throw ruleError(
      'malformed_address',
      'F2',
      `The ${what} must be a 20-byte address, found a list.`,
    );
  return bytesToHex(view.bytes, view.payload, view.end) as Address;
}

/** Metadata as hex; the all-zero word (nearly every transaction's) without building a string. */
function metadataHex(word: Uint8Array): Hex {
  return isZeroBytes(word) ? NULL_METADATA : bytesToHex(word);
}

function isZeroAddress(a: Address): boolean {
  return a === ETH_TOKEN;
}

// ---------------------------------------------------------------------------------------------
// The generic envelope (§3.1; GenericTransaction.decode: F1–F9, in the contract's order).

interface Envelope {
  txType: bigint;
  inputsView: RlpView;
  outputs: { outputType: bigint; data: RlpView }[];
  txDataView: RlpView;
  metadata: Uint8Array;
}

function decodeEnvelope(items: RlpView[]): Envelope {
  if (items.length !== 5) {
    throw ruleError(
      'malformed_transaction',
      'F1',
      `A transaction must be an RLP list of 5 items (txType, inputs, outputs, txData, metadata); this one has ${items.length}.`,
    );
  }
  const [typeView, inputsView, outputsView, txDataView, metadataView] = items as [
    RlpView,
    RlpView,
    RlpView,
    RlpView,
    RlpView,
  ];
  const txType = readScalar(typeView, { list: 'malformed_transaction', what: 'transaction type' });
  if (txType === 0n)
    throw ruleError(
      'unrecognized_transaction_type',
      'F6',
      'The transaction type is 0; payments are type 1.',
    );
  const outputs = children(
    outputsView,
    'F7_NOT_A_LIST',
    'malformed_outputs',
    'list of outputs',
  ).map((outputView, j) => {
    const parts = children(outputView, 'F7_NOT_A_LIST', 'malformed_outputs', `output ${j}`);
    if (parts.length !== 2)
      throw ruleError(
        'malformed_outputs',
        'F7_ITEMS',
        `Output ${j} must be [outputType, outputData]; it has ${parts.length} items.`,
      );
    const outputType = readScalar(parts[0]!, {
      list: 'unrecognized_output_type',
      what: `type of output ${j}`,
    });
    if (outputType === 0n)
      throw ruleError('unrecognized_output_type', 'F8', `Output ${j} has type 0.`);
    return { outputType, data: parts[1]! };
  });
  const metadata = readBytes32(metadataView, 'malformed_metadata', 'F9', 'metadata');
  return { txType, inputsView, outputs, txDataView, metadata };
}

interface OutputData {
  outputGuard: Address;
  token: Address;
  amount: bigint;
}

// FungibleTokenOutputModel: [outputGuard, token, amount], amount checked before the guard (F16–F19).
function decodeOutputData(data: RlpView, j: number, amountZero: PlasmaErrorCode): OutputData {
  const parts = children(data, 'F16_NOT_A_LIST', 'malformed_outputs', `data of output ${j}`);
  if (parts.length !== 3)
    throw ruleError(
      'malformed_outputs',
      'F16_ITEMS',
      `Output ${j} data must be [owner, token, amount]; it has ${parts.length} items.`,
    );
  const outputGuard = readAddress(parts[0]!, `owner of output ${j}`);
  const token = readAddress(parts[1]!, `token of output ${j}`);
  const amount = readScalar(parts[2]!, {
    list: 'malformed_outputs',
    what: `amount of output ${j}`,
  });
  if (amount === 0n)
    throw ruleError(
      amountZero,
      'F18',
      `Output ${j} has amount 0; every output must carry a positive amount.`,
    );
  if (isZeroAddress(outputGuard))
    throw ruleError(
      'output_guard_cant_be_zero',
      'F19',
      `Output ${j} is owned by the zero address.`,
    );
  return { outputGuard, token, amount };
}

// ---------------------------------------------------------------------------------------------
// Payment (PaymentTransactionModel.fromGeneric: F10–F20), then the off-chain rules of §3.8.

function decodePaymentItems(items: RlpView[]): PaymentTx {
  const env = decodeEnvelope(items);
  const inputViews = children(env.inputsView, 'F10', 'malformed_inputs', 'list of inputs');
  if (inputViews.length > MAX_INPUTS)
    throw ruleError(
      'too_many_inputs',
      'F11',
      `The transaction has ${inputViews.length} inputs; at most ${MAX_INPUTS} are allowed.`,
    );
  if (env.outputs.length === 0)
    throw ruleError(
      'empty_outputs',
      'F12',
      'The transaction has no outputs; a payment needs at least one.',
    );
  if (env.outputs.length > MAX_OUTPUTS)
    throw ruleError(
      'too_many_outputs',
      'F13',
      `The transaction has ${env.outputs.length} outputs; at most ${MAX_OUTPUTS} are allowed.`,
    );
  const inputs = inputViews.map((view, i) => {
    const word = readBytes32(view, 'malformed_inputs', 'F14', `input ${i}`);
    if (isZeroBytes(word))
      throw ruleError('malformed_inputs', 'F15', `Input ${i} is all zeros (a null input).`);
    return bigintFromBytes(word);
  });
  const outputs: Output[] = env.outputs.map(({ outputType, data }, j) => ({
    outputType,
    ...decodeOutputData(data, j, 'amount_cant_be_zero'),
  }));
  const txData = readScalar(env.txDataView, { list: 'malformed_tx_data', what: 'txData' });
  if (txData !== 0n)
    throw ruleError(
      'malformed_tx_data',
      'F20',
      `txData is ${txData}; payments must have txData 0.`,
    );

  // Off-chain rules (§3.8): the contracts' decoder lets these through, callers or the child chain reject them.
  if (env.txType !== TX_TYPE_PAYMENT) {
    throw new PlasmaError(
      'unrecognized_transaction_type',
      `Transaction type ${env.txType} is not a payment (type 1).`,
    );
  }
  outputs.forEach((o, j) => {
    if (o.outputType !== OUTPUT_TYPE_PAYMENT)
      throw new PlasmaError(
        'unrecognized_output_type',
        `Output ${j} has type ${o.outputType}; payment outputs are type 1.`,
      );
  });
  checkInputPositions(inputs, 'malformed_inputs');
  return { txType: env.txType, inputs, outputs, txData, metadata: metadataHex(env.metadata) };
}

function checkInputPositions(inputs: bigint[], code: PlasmaErrorCode): void {
  for (let i = 0; i < inputs.length; i++) {
    try {
      decodeUtxoPos(inputs[i]!);
    } catch (e) {
      if (!isPlasmaError(e)) throw e;
      throw new PlasmaError(code, `Input ${i}: ${e.message}`, {
        revert: e.revert,
        rule: e.rule,
        cause: e,
      });
    }
    for (let k = 0; k < i; k++) {
      if (inputs[k] === inputs[i])
        throw new PlasmaError(
          'duplicate_inputs',
          `Inputs ${k} and ${i} spend the same output (position ${inputs[i]}).`,
        );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fee transactions (§3.6).

function decodeFeeOutputs(outputs: { outputType: bigint; data: RlpView }[]): Output {
  if (outputs.length !== 1)
    throw new PlasmaError(
      'wrong_number_of_fee_outputs',
      `A fee transaction has exactly one output; this one has ${outputs.length}.`,
    );
  const { outputType, data } = outputs[0]!;
  const { outputGuard, token, amount } = decodeOutputData(
    data,
    0,
    'fee_output_amount_has_to_be_positive',
  );
  if (outputType !== OUTPUT_TYPE_FEE_CLAIM) {
    throw new PlasmaError(
      'tx_cannot_create_output_type',
      `A fee transaction can only create a fee-claim output (type 2), not type ${outputType}.`,
    );
  }
  return { outputType, outputGuard, token, amount };
}

function readNonce(view: RlpView): Hex {
  if (view.isList || view.end - view.payload !== 32)
    throw new PlasmaError('malformed_nonce', 'The fee transaction nonce must be a 32-byte string.');
  return bytesToHex(view.bytes, view.payload, view.end);
}

function decodeFeeContractForm(items: RlpView[]): FeeTx {
  const env = decodeEnvelope(items);
  const inputs = children(env.inputsView, 'F10', 'malformed_inputs', 'list of inputs');
  if (inputs.length !== 0)
    throw new PlasmaError(
      'malformed_inputs',
      `A fee transaction has no inputs; this one has ${inputs.length}.`,
    );
  if (env.txType !== TX_TYPE_FEE)
    throw new PlasmaError(
      'unrecognized_transaction_type',
      `Transaction type ${env.txType} is not a fee transaction (type 3).`,
    );
  const output = decodeFeeOutputs(env.outputs);
  return {
    txType: env.txType,
    output,
    nonce: readNonce(env.txDataView),
    metadata: metadataHex(env.metadata),
  };
}

// elixir-omg's [3, [[2, [owner, token, amount]]], nonce] (no metadata, no inputs).
function decodeFeeElixirForm(items: RlpView[]): FeeTx {
  const [typeView, outputsView, nonceView] = items as [RlpView, RlpView, RlpView];
  const txType = readScalar(typeView, { list: 'malformed_transaction', what: 'transaction type' });
  if (txType !== TX_TYPE_FEE) {
    throw new PlasmaError(
      'malformed_transaction',
      `A transaction of 3 items must be a fee transaction (type 3); type ${txType} needs 5 items.`,
    );
  }
  const outputs = children(
    outputsView,
    'F7_NOT_A_LIST',
    'malformed_outputs',
    'list of outputs',
  ).map((outputView, j) => {
    const parts = children(outputView, 'F7_NOT_A_LIST', 'malformed_outputs', `output ${j}`);
    if (parts.length !== 2)
      throw new PlasmaError(
        'malformed_outputs',
        `Output ${j} must be [outputType, outputData]; it has ${parts.length} items.`,
      );
    const outputType = readScalar(parts[0]!, {
      list: 'unrecognized_output_type',
      what: `type of output ${j}`,
    });
    if (outputType === 0n)
      throw new PlasmaError('unrecognized_output_type', `Output ${j} has type 0.`);
    return { outputType, data: parts[1]! };
  });
  const output = decodeFeeOutputs(outputs);
  return { txType, output, nonce: readNonce(nonceView), metadata: NULL_METADATA };
}

// ---------------------------------------------------------------------------------------------
// Error precedence: the Watcher first RLP-decodes the whole tx, so any non-canonical RLP anywhere is
// `malformed_transaction_rlp` even when the contract, decoding lazily, would first trip over a field.

function checked<T>(bytes: unknown, decode: (bytes: Uint8Array) => T): T {
  if (!(bytes instanceof Uint8Array))
    throw new PlasmaError('invalid_argument', 'Transaction bytes must be a Uint8Array.');
  try {
    return decode(bytes);
  } catch (e) {
    if (!isPlasmaError(e))
      throw new PlasmaError(
        'malformed_transaction',
        `Could not decode the transaction: ${String(e)}`,
        { cause: e },
      );
    if (e.code === 'malformed_transaction_rlp') throw e;
    try {
      decodeRlp(bytes);
    } catch (rlp) {
      if (isPlasmaError(rlp)) {
        throw new PlasmaError(
          'malformed_transaction_rlp',
          `${rlp.message} (the contracts would first report: ${e.message})`,
          { revert: e.revert, rule: e.rule, cause: e },
        );
      }
    }
    throw e;
  }
}

/** Strict decoder for an unsigned payment: every rule of §3.7 (with the contract's revert string) plus §3.8. */
export function decodePayment(bytes: Uint8Array): PaymentTx {
  return checked(bytes, (b) => decodePaymentItems(rootList(b)));
}

/** Decodes an unsigned payment or fee transaction (both fee forms of §3.6). */
export function decodeTransaction(bytes: Uint8Array): DecodedTransaction {
  return checked(bytes, (b) => {
    const items = rootList(b);
    if (items.length === 3) return { kind: 'fee', tx: decodeFeeElixirForm(items), form: 'elixir' };
    if (items.length === 5 && isFeeType(items[0]!))
      return { kind: 'fee', tx: decodeFeeContractForm(items), form: 'contract' };
    return { kind: 'payment', tx: decodePaymentItems(items) };
  });
}

function isFeeType(view: RlpView): boolean {
  return (
    !view.isList && view.end - view.start === 1 && view.bytes[view.start] === Number(TX_TYPE_FEE)
  );
}

// ---------------------------------------------------------------------------------------------
// Encoders

function fail(code: PlasmaErrorCode, message: string): never {
  throw new PlasmaError(code, message);
}

function uintBytes(n: unknown, what: string): Uint8Array {
  if (typeof n !== 'bigint')
    fail('invalid_argument', `The ${what} must be a bigint, got a ${typeof n}.`);
  if (n < 0n) fail('invalid_amount', `The ${what} is negative (${n}).`);
  if (n > MAX_UINT256) fail('encoded_uint_too_big', `The ${what} ${n} does not fit in 256 bits.`);
  return bigintToMinimalBytes(n);
}

function metadataBytes(metadata: unknown): Uint8Array {
  if (metadata === undefined) return new Uint8Array(32);
  if (!isHex(metadata, 32))
    fail('malformed_metadata', 'Metadata must be 32 bytes of 0x hex (use NULL_METADATA for none).');
  return hexToBytes(metadata);
}

function outputItem(
  o: Output,
  j: number,
  expectedType: bigint,
  amountZero: PlasmaErrorCode,
): RlpItem {
  if (typeof o !== 'object' || o === null)
    fail('malformed_outputs', `Output ${j} is not an object.`);
  if (o.outputType !== expectedType)
    fail(
      'unrecognized_output_type',
      `Output ${j} has type ${String(o.outputType)}; expected ${expectedType}.`,
    );
  const guard = hexToBytes(normalizeAddress(o.outputGuard));
  if (isZeroBytes(guard))
    fail(
      'output_guard_cant_be_zero',
      `Output ${j} is owned by the zero address; funds sent there are lost.`,
    );
  const token = hexToBytes(normalizeAddress(o.token));
  if (typeof o.amount === 'bigint' && o.amount === 0n)
    fail(
      amountZero,
      `Output ${j} has amount 0; remove it instead (zero outputs cannot be exited).`,
    );
  return [
    bigintToMinimalBytes(expectedType),
    [guard, token, uintBytes(o.amount, `amount of output ${j}`)],
  ];
}

function paymentItems(tx: PaymentTx): RlpItem[] {
  if (typeof tx !== 'object' || tx === null)
    fail('invalid_argument', 'The transaction must be an object.');
  if (tx.txType !== TX_TYPE_PAYMENT)
    fail(
      'unrecognized_transaction_type',
      `Transaction type ${String(tx.txType)} is not a payment (type 1).`,
    );
  if (!Array.isArray(tx.inputs))
    fail('malformed_inputs', 'The inputs must be an array of positions.');
  if (tx.inputs.length > MAX_INPUTS)
    fail(
      'too_many_inputs',
      `The transaction has ${tx.inputs.length} inputs; at most ${MAX_INPUTS} are allowed.`,
    );
  const inputs = tx.inputs.map((pos, i) => {
    if (typeof pos !== 'bigint')
      fail('malformed_inputs', `Input ${i} must be a bigint position, got a ${typeof pos}.`);
    if (pos === 0n)
      fail(
        'malformed_inputs',
        `Input ${i} is position 0 (a null input), which the contracts reject.`,
      );
    return utxoPosToWord(pos);
  });
  checkInputPositions(tx.inputs, 'invalid_position');
  if (!Array.isArray(tx.outputs) || tx.outputs.length === 0)
    fail('empty_outputs', 'The transaction has no outputs; a payment needs at least one.');
  if (tx.outputs.length > MAX_OUTPUTS)
    fail(
      'too_many_outputs',
      `The transaction has ${tx.outputs.length} outputs; at most ${MAX_OUTPUTS} are allowed.`,
    );
  const outputs = tx.outputs.map((o, j) =>
    outputItem(o, j, OUTPUT_TYPE_PAYMENT, 'amount_cant_be_zero'),
  );
  if (tx.txData !== 0n)
    fail('malformed_tx_data', `txData must be 0 for payments, got ${String(tx.txData)}.`);
  return [bigintToMinimalBytes(tx.txType), inputs, outputs, EMPTY, metadataBytes(tx.metadata)];
}

/** Encodes an unsigned payment; throws PlasmaError for anything the contracts or the Watcher would reject. */
export function encodePayment(tx: PaymentTx): Uint8Array {
  return encodeRlp(paymentItems(tx));
}

/** The deposit transaction the vaults expect (§3.3): no inputs, one output to the depositor, no metadata. */
export function encodeDeposit(owner: Address, token: Address, amount: bigint): Uint8Array {
  return encodePayment(depositTx(owner, token, amount));
}

export function depositTx(owner: Address, token: Address, amount: bigint): PaymentTx {
  return {
    txType: TX_TYPE_PAYMENT,
    inputs: [],
    outputs: [{ outputType: OUTPUT_TYPE_PAYMENT, outputGuard: owner, token, amount }],
    txData: 0n,
    metadata: NULL_METADATA,
  };
}

/** True for a payment with no inputs and exactly one output (§3.3). */
export function isDepositTx(tx: PaymentTx | Uint8Array): boolean {
  const payment = tx instanceof Uint8Array ? decodePayment(tx) : tx;
  return (
    payment.txType === TX_TYPE_PAYMENT &&
    payment.inputs.length === 0 &&
    payment.outputs.length === 1
  );
}

/** Decodes deposit bytes into the deposit's owner, token and amount; throws if they are not a deposit. */
export function decodeDeposit(bytes: Uint8Array): {
  owner: Address;
  token: Address;
  amount: bigint;
} {
  const tx = decodePayment(bytes);
  if (!isDepositTx(tx)) {
    throw new PlasmaError(
      'malformed_transaction',
      `Not a deposit: a deposit has no inputs and one output (this has ${tx.inputs.length} and ${tx.outputs.length}).`,
    );
  }
  const o = tx.outputs[0]!;
  return { owner: o.outputGuard, token: o.token, amount: o.amount };
}

/** keccak of the unsigned transaction bytes (§3.5). */
export function txHash(txBytes: Uint8Array): Hex {
  return keccakHex(txBytes);
}

/** keccak(word(blknum) ‖ addrWord(token)): the nonce of the fee tx of `token` in block `blknum` (§3.6). */
export function feeTxNonce(blknum: bigint, token: Address): Hex {
  const buf = new Uint8Array(64);
  buf.set(wordFromBigint(blknum), 0);
  buf.set(hexToBytes(normalizeAddress(token)), 44);
  return keccakHex(buf);
}

/**
 * Encodes a fee transaction. By default the five-item `contract` form (`[3, [], [output], nonce,
 * metadata]`), the only one the contracts can decode; `elixir` gives elixir-omg's `[3, [output], nonce]`.
 */
export function encodeFeeTx(tx: FeeTx, form: FeeTxForm = 'contract'): Uint8Array {
  if (typeof tx !== 'object' || tx === null)
    fail('invalid_argument', 'The fee transaction must be an object.');
  if (tx.txType !== TX_TYPE_FEE)
    fail('unrecognized_transaction_type', `Fee transactions are type 3, got ${String(tx.txType)}.`);
  if (tx.output?.outputType !== OUTPUT_TYPE_FEE_CLAIM)
    fail(
      'tx_cannot_create_output_type',
      'A fee transaction can only create a fee-claim output (type 2).',
    );
  const output = outputItem(
    tx.output,
    0,
    OUTPUT_TYPE_FEE_CLAIM,
    'fee_output_amount_has_to_be_positive',
  );
  if (!isHex(tx.nonce, 32))
    fail('malformed_nonce', 'The fee transaction nonce must be 32 bytes of 0x hex.');
  const nonce = hexToBytes(tx.nonce);
  if (form === 'elixir') return encodeRlp([bigintToMinimalBytes(TX_TYPE_FEE), [output], nonce]);
  return encodeRlp([
    bigintToMinimalBytes(TX_TYPE_FEE),
    [],
    [output],
    nonce,
    metadataBytes(tx.metadata),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Signed wire form (§3.4): [sigs, txType, inputs, outputs, txData, metadata].

function sigBytes(sigs: unknown, inputCount: number): Uint8Array[] {
  if (!Array.isArray(sigs))
    fail('malformed_witnesses', 'The signatures must be an array of 65-byte hex strings.');
  const out = sigs.map((s, i) => {
    if (!isHex(s, SIGNATURE_LENGTH))
      fail('malformed_witnesses', `Signature ${i} must be 65 bytes (r ‖ s ‖ v) of 0x hex.`);
    return hexToBytes(s);
  });
  checkSignatureCount(out.length, inputCount);
  return out;
}

function checkSignatureCount(sigCount: number, inputCount: number): void {
  if (sigCount < inputCount)
    throw new PlasmaError(
      'missing_signature',
      `The transaction has ${inputCount} input(s) but only ${sigCount} signature(s); each input needs its owner's signature.`,
    );
  if (sigCount > inputCount)
    throw new PlasmaError(
      'superfluous_signature',
      `The transaction has ${inputCount} input(s) but ${sigCount} signatures; there must be exactly one per input.`,
    );
}

function unsignedPayload(txBytes: Uint8Array): Uint8Array {
  const b0 = txBytes[0]!;
  return txBytes.subarray(b0 >= 0xf8 ? 1 + (b0 - 0xf7) : 1);
}

/** Encodes the signed wire form; one 65-byte signature per input, in input order. */
export function encodeSigned(signed: SignedTx): Uint8Array {
  const txBytes = encodePayment(signed.tx);
  const sigs = sigBytes(signed.sigs, signed.tx.inputs.length);
  return wrapList(concatBytes(encodeRlp(sigs), unsignedPayload(txBytes)));
}

/** The signatures as 65-byte subarrays of the input (no copy, no hex). */
function decodeSigs(view: RlpView): Uint8Array[] {
  if (!view.isList)
    throw new PlasmaError(
      'malformed_transaction',
      'The first item of a signed transaction must be the list of signatures.',
    );
  const items = children(view);
  return items.map((s, i) => {
    if (s.isList || s.end - s.payload !== SIGNATURE_LENGTH)
      throw new PlasmaError(
        'malformed_witnesses',
        `Signature ${i} must be a 65-byte string (r ‖ s ‖ v).`,
      );
    return s.bytes.subarray(s.payload, s.end);
  });
}

function unsignedFromSigned(bytes: Uint8Array, items: RlpView[]): Uint8Array {
  return wrapList(bytes.subarray(items[1]!.start, items[items.length - 1]!.end));
}

/** Decodes a signed payment; `txBytes` are the unsigned bytes, cut out of the input rather than re-encoded. */
export function decodeSigned(bytes: Uint8Array): DecodedSignedPayment {
  const decoded = decodeSignedTransaction(bytes);
  if (decoded.kind !== 'payment')
    throw new PlasmaError(
      'unrecognized_transaction_type',
      'This is a fee transaction, not a payment.',
    );
  return { tx: decoded.tx, sigs: decoded.sigs, txBytes: decoded.txBytes };
}

/**
 * decodeSignedTransaction with the signatures left as 65-byte subarrays of `bytes` (no hex): the
 * block validator's hot path. The subarrays share `bytes`' memory.
 */
export function decodeSignedWire(bytes: Uint8Array): DecodedSignedWire {
  return checked(bytes, (b) => {
    const items = rootList(b);
    if (items.length !== 6 && items.length !== 4) {
      throw new PlasmaError(
        'malformed_transaction',
        items.length === 5
          ? 'This looks like an unsigned transaction: a signed one is [sigs, txType, inputs, outputs, txData, metadata].'
          : `A signed transaction is a list of 6 items (4 for an elixir-omg fee tx); this one has ${items.length}.`,
      );
    }
    const sigs = decodeSigs(items[0]!);
    const rest = items.slice(1);
    const txBytes = unsignedFromSigned(b, items);
    if (rest.length === 3) {
      const tx = decodeFeeElixirForm(rest);
      checkSignatureCount(sigs.length, 0);
      return { kind: 'fee', tx, form: 'elixir', sigs, txBytes };
    }
    if (isFeeType(rest[0]!)) {
      const tx = decodeFeeContractForm(rest);
      checkSignatureCount(sigs.length, 0);
      return { kind: 'fee', tx, form: 'contract', sigs, txBytes };
    }
    const tx = decodePaymentItems(rest);
    checkSignatureCount(sigs.length, tx.inputs.length);
    return { kind: 'payment', tx, sigs, txBytes };
  });
}

/** Decodes a signed payment or fee transaction as the child chain serves them in blocks (watcher.md §1.5.2). */
export function decodeSignedTransaction(bytes: Uint8Array): DecodedSignedTransaction {
  const wire = decodeSignedWire(bytes);
  const sigs = wire.sigs.map((sig) => bytesToHex(sig));
  return wire.kind === 'payment'
    ? { kind: 'payment', tx: wire.tx, sigs, txBytes: wire.txBytes }
    : { kind: 'fee', tx: wire.tx, form: wire.form, sigs, txBytes: wire.txBytes };
}
