// Contract interfaces and call encoders (protocol.md §9–§15): typed ethers Interfaces built from the
// v1.0.5 ABIs in ./abi (kept identical to shared/abi by a test), and one encoder per call the wallet
// and the watcher make, each returning a plain `{to, data, value?}` request for the network layer.

import { AbiCoder, Interface, type InterfaceAbi } from 'ethers';
import erc20VaultAbi from './abi/Erc20Vault.json';
import ethVaultAbi from './abi/EthVault.json';
import paymentExitGameAbi from './abi/PaymentExitGame.json';
import plasmaFrameworkAbi from './abi/PlasmaFramework.json';
import priorityQueueAbi from './abi/PriorityQueue.json';
import { PlasmaError } from './errors';
import { hexToBytes, normalizeAddress } from './hex';
import { exitQueueKey, senderData, vaultIdForToken } from './ids';
import { encodeDeposit } from './tx';
import type { Address, Hex } from './types';

export const plasmaFrameworkInterface = new Interface(plasmaFrameworkAbi as InterfaceAbi);
export const ethVaultInterface = new Interface(ethVaultAbi as InterfaceAbi);
export const erc20VaultInterface = new Interface(erc20VaultAbi as InterfaceAbi);
export const paymentExitGameInterface = new Interface(paymentExitGameAbi as InterfaceAbi);
export const priorityQueueInterface = new Interface(priorityQueueAbi as InterfaceAbi);
/** The part of ERC20 the wallet uses (deposits need an allowance for the Erc20Vault). */
export const erc20Interface = new Interface([
  'function approve(address spender, uint256 amount) returns (bool)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function balanceOf(address owner) view returns (uint256)',
  'function decimals() view returns (uint8)',
  'function symbol() view returns (string)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
]);

/** An Ethereum transaction to send. `value` (wei) only for payable calls. */
export interface TxRequest {
  to: Address;
  data: Hex;
  value?: bigint;
}

/** A read-only `eth_call`. */
export interface CallRequest {
  to: Address;
  data: Hex;
}

/** Bytes as accepted at our boundary: raw bytes, or strict 0x hex (validated here). */
export type BytesInput = Uint8Array | string;

function bytes(value: BytesInput, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'string') {
    throw new PlasmaError(
      'invalid_hex',
      `The ${what} must be bytes or 0x hex, got a ${typeof value}.`,
    );
  }
  return hexToBytes(value);
}

function bytes32(value: BytesInput, what: string): Uint8Array {
  const b = bytes(value, what);
  if (b.length !== 32) {
    throw new PlasmaError('invalid_hex', `The ${what} must be 32 bytes, got ${b.length}.`);
  }
  return b;
}

function uint(value: bigint, what: string, bits = 256): bigint {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << BigInt(bits)) {
    throw new PlasmaError(
      'invalid_argument',
      `The ${what} must be a bigint from 0 to 2^${bits} - 1; got ${String(value)}.`,
    );
  }
  return value;
}

function positive(value: bigint, what: string): bigint {
  uint(value, what);
  if (value === 0n) {
    throw new PlasmaError('invalid_amount', `The ${what} must be greater than zero.`);
  }
  return value;
}

function tx(
  to: string,
  iface: Interface,
  method: string,
  args: unknown[],
  value?: bigint,
): TxRequest {
  const request: TxRequest = {
    to: normalizeAddress(to),
    data: iface.encodeFunctionData(method, args) as Hex,
  };
  if (value !== undefined) request.value = value;
  return request;
}

function call(to: string, iface: Interface, method: string, args: unknown[] = []): CallRequest {
  return { to: normalizeAddress(to), data: iface.encodeFunctionData(method, args) as Hex };
}

// ---------------------------------------------------------------------------------------------------
// Vaults and ERC20

/** ETH deposit: `EthVault.deposit(depositTx)` with `value = amount`. */
export function depositEthTx(ethVault: string, args: { owner: string; amount: bigint }): TxRequest {
  const amount = positive(args.amount, 'deposit amount');
  const depositTx = encodeDeposit(
    normalizeAddress(args.owner),
    normalizeAddress('0x' + '00'.repeat(20)),
    amount,
  );
  return tx(ethVault, ethVaultInterface, 'deposit', [depositTx], amount);
}

/** ERC20 deposit: `Erc20Vault.deposit(depositTx)`; needs an allowance of `amount` for the vault first. */
export function depositErc20Tx(
  erc20Vault: string,
  args: { owner: string; token: string; amount: bigint },
): TxRequest {
  const token = normalizeAddress(args.token);
  if (vaultIdForToken(token) !== 2n) {
    throw new PlasmaError(
      'invalid_argument',
      'ETH is deposited through the EthVault, not the Erc20Vault.',
    );
  }
  const amount = positive(args.amount, 'deposit amount');
  const depositTx = encodeDeposit(normalizeAddress(args.owner), token, amount);
  return tx(erc20Vault, erc20VaultInterface, 'deposit', [depositTx]);
}

/** A deposit to whichever vault holds `token` (the zero address is ETH). */
export function depositTxRequest(
  vaults: { ethVault: string; erc20Vault: string },
  args: { owner: string; token: string; amount: bigint },
): TxRequest {
  return vaultIdForToken(args.token) === 1n
    ? depositEthTx(vaults.ethVault, args)
    : depositErc20Tx(vaults.erc20Vault, args);
}

export function erc20ApproveTx(token: string, spender: string, amount: bigint): TxRequest {
  return tx(token, erc20Interface, 'approve', [
    normalizeAddress(spender),
    uint(amount, 'allowance'),
  ]);
}

export function erc20AllowanceCall(token: string, owner: string, spender: string): CallRequest {
  return call(token, erc20Interface, 'allowance', [
    normalizeAddress(owner),
    normalizeAddress(spender),
  ]);
}

export function erc20BalanceOfCall(token: string, owner: string): CallRequest {
  return call(token, erc20Interface, 'balanceOf', [normalizeAddress(owner)]);
}

export function erc20DecimalsCall(token: string): CallRequest {
  return call(token, erc20Interface, 'decimals');
}

export function erc20SymbolCall(token: string): CallRequest {
  return call(token, erc20Interface, 'symbol');
}

// ---------------------------------------------------------------------------------------------------
// PlasmaFramework

/** `addExitQueue(vaultId, token)`: anyone may open the exit queue of a token before its first exit. */
export function addExitQueueTx(framework: string, token: string): TxRequest {
  const t = normalizeAddress(token);
  return tx(framework, plasmaFrameworkInterface, 'addExitQueue', [vaultIdForToken(t), t]);
}

/**
 * `processExits(vaultId, token, topExitId, maxExitsToProcess)`; `topExitId` 0 processes from the head
 * of the queue, otherwise it must be the id at the head (a guard against racing processors).
 */
export function processExitsTx(
  framework: string,
  args: { token: string; topExitId: bigint; maxExitsToProcess: bigint },
): TxRequest {
  const t = normalizeAddress(args.token);
  return tx(framework, plasmaFrameworkInterface, 'processExits', [
    vaultIdForToken(t),
    t,
    uint(args.topExitId, 'top exit id', 160),
    positive(args.maxExitsToProcess, 'number of exits to process'),
  ]);
}

export function blocksCall(framework: string, blknum: bigint): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'blocks', [uint(blknum, 'block number')]);
}

export function nextChildBlockCall(framework: string): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'nextChildBlock');
}

export function nextDepositBlockCall(framework: string): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'nextDepositBlock');
}

export function childBlockIntervalCall(framework: string): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'childBlockInterval');
}

export function minExitPeriodCall(framework: string): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'minExitPeriod');
}

export function getVersionCall(framework: string): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'getVersion');
}

export function isChildChainActivatedCall(framework: string): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'isChildChainActivated');
}

export function vaultsCall(framework: string, vaultId: bigint): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'vaults', [uint(vaultId, 'vault id')]);
}

export function exitGamesCall(framework: string, txType: bigint): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'exitGames', [uint(txType, 'tx type')]);
}

export function protocolsCall(framework: string, txType: bigint): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'protocols', [uint(txType, 'tx type')]);
}

/** `exitsQueues(keccak(word(vaultId) ‖ token))`: the PriorityQueue holding a token's exits. */
export function exitsQueuesCall(framework: string, token: string): CallRequest {
  const t = normalizeAddress(token);
  return call(framework, plasmaFrameworkInterface, 'exitsQueues', [
    exitQueueKey(vaultIdForToken(t), t),
  ]);
}

export function hasExitQueueCall(framework: string, token: string): CallRequest {
  const t = normalizeAddress(token);
  return call(framework, plasmaFrameworkInterface, 'hasExitQueue', [vaultIdForToken(t), t]);
}

export function getNextExitCall(framework: string, token: string): CallRequest {
  const t = normalizeAddress(token);
  return call(framework, plasmaFrameworkInterface, 'getNextExit', [vaultIdForToken(t), t]);
}

export function isDepositCall(framework: string, blknum: bigint): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'isDeposit', [uint(blknum, 'block number')]);
}

export function isOutputFinalizedCall(framework: string, outputId: BytesInput): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'isOutputFinalized', [
    bytes32(outputId, 'output id'),
  ]);
}

export function outputsFinalizationsCall(framework: string, outputId: BytesInput): CallRequest {
  return call(framework, plasmaFrameworkInterface, 'outputsFinalizations', [
    bytes32(outputId, 'output id'),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// PriorityQueue

export function heapListCall(priorityQueue: string): CallRequest {
  return call(priorityQueue, priorityQueueInterface, 'heapList');
}

// ---------------------------------------------------------------------------------------------------
// PaymentExitGame: exits, piggybacks and challenges. Payable calls take the current bond as `bond`.

export function startStandardExitTx(
  exitGame: string,
  args: { utxoPos: bigint; outputTx: BytesInput; outputTxInclusionProof: BytesInput; bond: bigint },
): TxRequest {
  return tx(
    exitGame,
    paymentExitGameInterface,
    'startStandardExit',
    [
      [
        uint(args.utxoPos, 'utxoPos'),
        bytes(args.outputTx, 'output tx'),
        bytes(args.outputTxInclusionProof, 'inclusion proof'),
      ],
    ],
    uint(args.bond, 'standard exit bond'),
  );
}

/** Challenge a standard exit with a tx spending its output; `sender` is who sends it (senderData). */
export function challengeStandardExitTx(
  exitGame: string,
  args: {
    exitId: bigint;
    exitingTx: BytesInput;
    challengeTx: BytesInput;
    inputIndex: bigint;
    witness: BytesInput;
    sender: string;
  },
): TxRequest {
  return tx(exitGame, paymentExitGameInterface, 'challengeStandardExit', [
    [
      uint(args.exitId, 'exit id', 160),
      bytes(args.exitingTx, 'exiting tx'),
      bytes(args.challengeTx, 'challenging tx'),
      uint(args.inputIndex, 'input index', 16),
      bytes(args.witness, 'witness'),
      senderData(args.sender),
    ],
  ]);
}

export function startInFlightExitTx(
  exitGame: string,
  args: {
    inFlightTx: BytesInput;
    inputTxs: BytesInput[];
    inputUtxosPos: bigint[];
    inputTxsInclusionProofs: BytesInput[];
    inFlightTxWitnesses: BytesInput[];
    bond: bigint;
  },
): TxRequest {
  return tx(
    exitGame,
    paymentExitGameInterface,
    'startInFlightExit',
    [
      [
        bytes(args.inFlightTx, 'in-flight tx'),
        args.inputTxs.map((t, i) => bytes(t, `input tx ${i}`)),
        args.inputUtxosPos.map((p, i) => uint(p, `input position ${i}`)),
        args.inputTxsInclusionProofs.map((p, i) => bytes(p, `inclusion proof ${i}`)),
        args.inFlightTxWitnesses.map((w, i) => bytes(w, `witness ${i}`)),
      ],
    ],
    uint(args.bond, 'in-flight exit bond'),
  );
}

export function piggybackInFlightExitOnInputTx(
  exitGame: string,
  args: { inFlightTx: BytesInput; inputIndex: bigint; bond: bigint },
): TxRequest {
  return tx(
    exitGame,
    paymentExitGameInterface,
    'piggybackInFlightExitOnInput',
    [[bytes(args.inFlightTx, 'in-flight tx'), uint(args.inputIndex, 'input index', 16)]],
    uint(args.bond, 'piggyback bond'),
  );
}

export function piggybackInFlightExitOnOutputTx(
  exitGame: string,
  args: { inFlightTx: BytesInput; outputIndex: bigint; bond: bigint },
): TxRequest {
  return tx(
    exitGame,
    paymentExitGameInterface,
    'piggybackInFlightExitOnOutput',
    [[bytes(args.inFlightTx, 'in-flight tx'), uint(args.outputIndex, 'output index', 16)]],
    uint(args.bond, 'piggyback bond'),
  );
}

/** Show that an in-flight tx is not canonical: a competitor spends the same input (competingTxPos 0 = not included). */
export function challengeInFlightExitNotCanonicalTx(
  exitGame: string,
  args: {
    inputTx: BytesInput;
    inputUtxoPos: bigint;
    inFlightTx: BytesInput;
    inFlightTxInputIndex: bigint;
    competingTx: BytesInput;
    competingTxInputIndex: bigint;
    competingTxPos: bigint;
    competingTxInclusionProof: BytesInput;
    competingTxWitness: BytesInput;
  },
): TxRequest {
  return tx(exitGame, paymentExitGameInterface, 'challengeInFlightExitNotCanonical', [
    [
      bytes(args.inputTx, 'input tx'),
      uint(args.inputUtxoPos, 'input position'),
      bytes(args.inFlightTx, 'in-flight tx'),
      uint(args.inFlightTxInputIndex, 'in-flight input index', 16),
      bytes(args.competingTx, 'competing tx'),
      uint(args.competingTxInputIndex, 'competing input index', 16),
      uint(args.competingTxPos, 'competing tx position'),
      bytes(args.competingTxInclusionProof, 'competing tx inclusion proof'),
      bytes(args.competingTxWitness, 'competing tx witness'),
    ],
  ]);
}

export function respondToNonCanonicalChallengeTx(
  exitGame: string,
  args: { inFlightTx: BytesInput; inFlightTxPos: bigint; inFlightTxInclusionProof: BytesInput },
): TxRequest {
  return tx(exitGame, paymentExitGameInterface, 'respondToNonCanonicalChallenge', [
    bytes(args.inFlightTx, 'in-flight tx'),
    uint(args.inFlightTxPos, 'in-flight tx position'),
    bytes(args.inFlightTxInclusionProof, 'in-flight tx inclusion proof'),
  ]);
}

export function challengeInFlightExitInputSpentTx(
  exitGame: string,
  args: {
    inFlightTx: BytesInput;
    inFlightTxInputIndex: bigint;
    challengingTx: BytesInput;
    challengingTxInputIndex: bigint;
    challengingTxWitness: BytesInput;
    inputTx: BytesInput;
    inputUtxoPos: bigint;
    sender: string;
  },
): TxRequest {
  return tx(exitGame, paymentExitGameInterface, 'challengeInFlightExitInputSpent', [
    [
      bytes(args.inFlightTx, 'in-flight tx'),
      uint(args.inFlightTxInputIndex, 'in-flight input index', 16),
      bytes(args.challengingTx, 'challenging tx'),
      uint(args.challengingTxInputIndex, 'challenging input index', 16),
      bytes(args.challengingTxWitness, 'challenging tx witness'),
      bytes(args.inputTx, 'input tx'),
      uint(args.inputUtxoPos, 'input position'),
      senderData(args.sender),
    ],
  ]);
}

export function challengeInFlightExitOutputSpentTx(
  exitGame: string,
  args: {
    inFlightTx: BytesInput;
    inFlightTxInclusionProof: BytesInput;
    outputUtxoPos: bigint;
    challengingTx: BytesInput;
    challengingTxInputIndex: bigint;
    challengingTxWitness: BytesInput;
    sender: string;
  },
): TxRequest {
  return tx(exitGame, paymentExitGameInterface, 'challengeInFlightExitOutputSpent', [
    [
      bytes(args.inFlightTx, 'in-flight tx'),
      bytes(args.inFlightTxInclusionProof, 'in-flight tx inclusion proof'),
      uint(args.outputUtxoPos, 'output position'),
      bytes(args.challengingTx, 'challenging tx'),
      uint(args.challengingTxInputIndex, 'challenging input index', 16),
      bytes(args.challengingTxWitness, 'challenging tx witness'),
      senderData(args.sender),
    ],
  ]);
}

export function deleteNonPiggybackedInFlightExitTx(exitGame: string, exitId: bigint): TxRequest {
  return tx(exitGame, paymentExitGameInterface, 'deleteNonPiggybackedInFlightExit', [
    uint(exitId, 'exit id', 160),
  ]);
}

export function standardExitsCall(exitGame: string, exitIds: bigint[]): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'standardExits', [
    exitIds.map((id) => uint(id, 'exit id', 160)),
  ]);
}

export function inFlightExitsCall(exitGame: string, exitIds: bigint[]): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'inFlightExits', [
    exitIds.map((id) => uint(id, 'exit id', 160)),
  ]);
}

export function startStandardExitBondSizeCall(exitGame: string): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'startStandardExitBondSize');
}

export function startIFEBondSizeCall(exitGame: string): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'startIFEBondSize');
}

export function piggybackBondSizeCall(exitGame: string): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'piggybackBondSize');
}

export function getStandardExitIdCall(
  exitGame: string,
  args: { isDeposit: boolean; txBytes: BytesInput; utxoPos: bigint },
): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'getStandardExitId', [
    args.isDeposit,
    bytes(args.txBytes, 'tx bytes'),
    uint(args.utxoPos, 'utxoPos'),
  ]);
}

export function getInFlightExitIdCall(exitGame: string, txBytes: BytesInput): CallRequest {
  return call(exitGame, paymentExitGameInterface, 'getInFlightExitId', [
    bytes(txBytes, 'tx bytes'),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Result decoders for the getters the watcher and wallet read.

const coder = AbiCoder.defaultAbiCoder();

function decodeOne(types: string[], data: string): unknown[] {
  try {
    return Array.from(coder.decode(types, hexToBytes(data)));
  } catch (cause) {
    throw new PlasmaError(
      'invalid_argument',
      `The contract returned data that does not decode as (${types.join(', ')}); check the contract address.`,
      { cause },
    );
  }
}

const lowerAddress = (a: unknown): Address => normalizeAddress(String(a));
const hex32 = (b: unknown): Hex => String(b).toLowerCase() as Hex;

/** A uint result (nextChildBlock, minExitPeriod, bond sizes, exit ids…). */
export function decodeUintResult(data: string): bigint {
  return decodeOne(['uint256'], data)[0] as bigint;
}

/** An address result (vaults, exitGames, exitsQueues…). */
export function decodeAddressResult(data: string): Address {
  return lowerAddress(decodeOne(['address'], data)[0]);
}

export function decodeBoolResult(data: string): boolean {
  return decodeOne(['bool'], data)[0] as boolean;
}

export function decodeStringResult(data: string): string {
  return decodeOne(['string'], data)[0] as string;
}

/** `blocks(blknum)` → `{root, timestamp}`; an unknown block has a zero root and timestamp. */
export function decodeBlockResult(data: string): { root: Hex; timestamp: bigint } {
  const [root, timestamp] = decodeOne(['bytes32', 'uint256'], data);
  return { root: hex32(root), timestamp: timestamp as bigint };
}

/** `heapList()` → priorities in heap order (the leading 0 the contract keeps is dropped). */
export function decodeHeapListResult(data: string): bigint[] {
  const list = decodeOne(['uint256[]'], data)[0] as bigint[];
  return Array.from(list).slice(1);
}

export interface StandardExitRecord {
  exitable: boolean;
  utxoPos: bigint;
  outputId: Hex;
  exitTarget: Address;
  amount: bigint;
  bondSize: bigint;
}

export function decodeStandardExitsResult(data: string): StandardExitRecord[] {
  const [records] = paymentExitGameInterface.decodeFunctionResult('standardExits', data);
  return Array.from(records as unknown[][]).map((r) => ({
    exitable: r[0] as boolean,
    utxoPos: r[1] as bigint,
    outputId: hex32(r[2]),
    exitTarget: lowerAddress(r[3]),
    amount: r[4] as bigint,
    bondSize: r[5] as bigint,
  }));
}

export interface WithdrawData {
  outputId: Hex;
  exitTarget: Address;
  token: Address;
  amount: bigint;
  piggybackBondSize: bigint;
}

export interface InFlightExitRecord {
  isCanonical: boolean;
  exitStartTimestamp: bigint;
  exitMap: bigint;
  position: bigint;
  inputs: WithdrawData[];
  outputs: WithdrawData[];
  bondOwner: Address;
  bondSize: bigint;
  oldestCompetitorPosition: bigint;
}

function withdrawData(w: unknown[]): WithdrawData {
  return {
    outputId: hex32(w[0]),
    exitTarget: lowerAddress(w[1]),
    token: lowerAddress(w[2]),
    amount: w[3] as bigint,
    piggybackBondSize: w[4] as bigint,
  };
}

/** `inFlightExits(ids)` → full 47-word records (quirk Q22: decode every field, not just the first two). */
export function decodeInFlightExitsResult(data: string): InFlightExitRecord[] {
  const [records] = paymentExitGameInterface.decodeFunctionResult('inFlightExits', data);
  return Array.from(records as unknown[][]).map((r) => ({
    isCanonical: r[0] as boolean,
    exitStartTimestamp: r[1] as bigint,
    exitMap: r[2] as bigint,
    position: r[3] as bigint,
    inputs: Array.from(r[4] as unknown[][]).map(withdrawData),
    outputs: Array.from(r[5] as unknown[][]).map(withdrawData),
    bondOwner: lowerAddress(r[6]),
    bondSize: r[7] as bigint,
    oldestCompetitorPosition: r[8] as bigint,
  }));
}

// ---------------------------------------------------------------------------------------------------
// omg-js `RootChain` methods → the requests they send (for the conformance vectors, protocol.md §15.2).
// omg-js reads bonds, queues and block timestamps from the chain first; the vectors give those as `env`.

/** The `input` of a vectors `rootchain` case. Numbers that can pass 2^53 are decimal strings. */
export interface OmgRootchainInput {
  plasmaContractAddress: string;
  env: {
    ethVault: string;
    erc20Vault: string;
    paymentExitGame: string;
    priorityQueue: string;
    bonds: { standardExit: string; piggyback: string; inflightExit: string };
    minExitPeriod: string;
    heapList: string[];
    blocks: Record<string, { root: string; timestamp: string }>;
    exitBlockTimestamp: string;
  };
  from: string;
  method: string;
  args: Record<string, unknown>;
}

/** What omg-js sends: a transaction (`value` a decimal string, or null) or a call, plus derived values. */
export type OmgRootchainExpected =
  | { tx: { to: Address; value: string | null; data: Hex } }
  | ({ call: CallRequest } & Record<string, unknown>);

function big(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (
    (typeof value === 'number' && Number.isSafeInteger(value)) ||
    (typeof value === 'string' && /^\d+$/.test(value))
  ) {
    return BigInt(value);
  }
  throw new PlasmaError(
    'invalid_argument',
    `The ${what} must be a whole number, got ${JSON.stringify(value)}.`,
  );
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new PlasmaError('invalid_argument', `The ${what} must be a string, got ${typeof value}.`);
  }
  return value;
}

function strings(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) {
    throw new PlasmaError('invalid_argument', `The ${what} must be a list.`);
  }
  return value.map((v, i) => str(v, `${what}[${i}]`));
}

function asOmgTx(request: TxRequest): OmgRootchainExpected {
  return {
    tx: {
      to: request.to,
      value: request.value === undefined ? null : request.value.toString(),
      data: request.data,
    },
  };
}

/**
 * The request omg-js 4.1.2-1.0.4 `RootChain[method](args)` makes, sent from `from`, given the on-chain
 * values in `env`. Bit-exact with the vectors' `rootchain.expected`.
 */
export function rootchainCall(input: OmgRootchainInput): OmgRootchainExpected {
  const { env, from, args } = input;
  const framework = input.plasmaContractAddress;
  const game = env.paymentExitGame;
  const a = (name: string): unknown => args[name];
  switch (input.method) {
    case 'deposit':
      return asOmgTx(
        depositTxRequest(env, {
          owner: from,
          token: str(a('currency'), 'currency'),
          amount: big(a('amount'), 'amount'),
        }),
      );
    case 'approveToken':
      return asOmgTx(
        erc20ApproveTx(
          str(a('erc20Address'), 'erc20Address'),
          env.erc20Vault,
          big(a('amount'), 'amount'),
        ),
      );
    case 'addToken':
      return asOmgTx(addExitQueueTx(framework, str(a('token'), 'token')));
    case 'hasToken':
      return { call: hasExitQueueCall(framework, str(a('token'), 'token')) };
    case 'processExits':
      return asOmgTx(
        processExitsTx(framework, {
          token: str(a('token'), 'token'),
          topExitId: big(a('exitId'), 'exitId'),
          maxExitsToProcess: big(a('maxExitsToProcess'), 'maxExitsToProcess'),
        }),
      );
    case 'startStandardExit':
      return asOmgTx(
        startStandardExitTx(game, {
          utxoPos: big(a('utxoPos'), 'utxoPos'),
          outputTx: str(a('outputTx'), 'outputTx'),
          outputTxInclusionProof: str(a('inclusionProof'), 'inclusionProof'),
          bond: big(env.bonds.standardExit, 'standard exit bond'),
        }),
      );
    case 'challengeStandardExit':
      return asOmgTx(
        challengeStandardExitTx(game, {
          exitId: big(a('standardExitId'), 'standardExitId'),
          exitingTx: str(a('exitingTx'), 'exitingTx'),
          challengeTx: str(a('challengeTx'), 'challengeTx'),
          inputIndex: big(a('inputIndex'), 'inputIndex'),
          witness: str(a('challengeTxSig'), 'challengeTxSig'),
          sender: from,
        }),
      );
    case 'startInFlightExit':
      return asOmgTx(
        startInFlightExitTx(game, {
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          inputTxs: strings(a('inputTxs'), 'inputTxs'),
          inputUtxosPos: (a('inputUtxosPos') as unknown[]).map((p) => big(p, 'inputUtxosPos')),
          inputTxsInclusionProofs: strings(a('inputTxsInclusionProofs'), 'inputTxsInclusionProofs'),
          inFlightTxWitnesses: strings(a('inFlightTxSigs'), 'inFlightTxSigs'),
          bond: big(env.bonds.inflightExit, 'in-flight exit bond'),
        }),
      );
    case 'piggybackInFlightExitOnInput':
      return asOmgTx(
        piggybackInFlightExitOnInputTx(game, {
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          inputIndex: big(a('inputIndex'), 'inputIndex'),
          bond: big(env.bonds.piggyback, 'piggyback bond'),
        }),
      );
    case 'piggybackInFlightExitOnOutput':
      return asOmgTx(
        piggybackInFlightExitOnOutputTx(game, {
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          outputIndex: big(a('outputIndex'), 'outputIndex'),
          bond: big(env.bonds.piggyback, 'piggyback bond'),
        }),
      );
    case 'challengeInFlightExitNotCanonical':
      return asOmgTx(
        challengeInFlightExitNotCanonicalTx(game, {
          inputTx: str(a('inputTx'), 'inputTx'),
          inputUtxoPos: big(a('inputUtxoPos'), 'inputUtxoPos'),
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          inFlightTxInputIndex: big(a('inFlightTxInputIndex'), 'inFlightTxInputIndex'),
          competingTx: str(a('competingTx'), 'competingTx'),
          competingTxInputIndex: big(a('competingTxInputIndex'), 'competingTxInputIndex'),
          competingTxPos: big(a('competingTxPos'), 'competingTxPos'),
          competingTxInclusionProof: str(
            a('competingTxInclusionProof'),
            'competingTxInclusionProof',
          ),
          competingTxWitness: str(a('competingTxWitness'), 'competingTxWitness'),
        }),
      );
    case 'respondToNonCanonicalChallenge':
      return asOmgTx(
        respondToNonCanonicalChallengeTx(game, {
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          inFlightTxPos: big(a('inFlightTxPos'), 'inFlightTxPos'),
          inFlightTxInclusionProof: str(a('inFlightTxInclusionProof'), 'inFlightTxInclusionProof'),
        }),
      );
    case 'challengeInFlightExitInputSpent':
      return asOmgTx(
        challengeInFlightExitInputSpentTx(game, {
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          inFlightTxInputIndex: big(a('inFlightTxInputIndex'), 'inFlightTxInputIndex'),
          challengingTx: str(a('challengingTx'), 'challengingTx'),
          challengingTxInputIndex: big(a('challengingTxInputIndex'), 'challengingTxInputIndex'),
          challengingTxWitness: str(a('challengingTxWitness'), 'challengingTxWitness'),
          inputTx: str(a('inputTx'), 'inputTx'),
          inputUtxoPos: big(a('inputUtxoPos'), 'inputUtxoPos'),
          sender: from,
        }),
      );
    case 'challengeInFlightExitOutputSpent':
      return asOmgTx(
        challengeInFlightExitOutputSpentTx(game, {
          inFlightTx: str(a('inFlightTx'), 'inFlightTx'),
          inFlightTxInclusionProof: str(a('inFlightTxInclusionProof'), 'inFlightTxInclusionProof'),
          outputUtxoPos: big(a('inFlightTxOutputPos'), 'inFlightTxOutputPos'),
          challengingTx: str(a('challengingTx'), 'challengingTx'),
          challengingTxInputIndex: big(a('challengingTxInputIndex'), 'challengingTxInputIndex'),
          challengingTxWitness: str(a('challengingTxWitness'), 'challengingTxWitness'),
          sender: from,
        }),
      );
    case 'deleteNonPiggybackedInFlightExit':
      return asOmgTx(deleteNonPiggybackedInFlightExitTx(game, big(a('exitId'), 'exitId')));
    case 'getStandardExitId':
      return {
        call: getStandardExitIdCall(game, {
          isDeposit: a('isDeposit') === true,
          txBytes: str(a('txBytes'), 'txBytes'),
          utxoPos: big(a('utxoPos'), 'utxoPos'),
        }),
      };
    case 'getInFlightExitId':
      return { call: getInFlightExitIdCall(game, str(a('txBytes'), 'txBytes')) };
    case 'getInFlightExitData':
      return {
        call: inFlightExitsCall(
          game,
          (a('exitIds') as unknown[]).map((id) => big(id, 'exitIds')),
        ),
      };
    case 'getExitQueue': {
      const token = normalizeAddress(str(a('token'), 'token'));
      const queueKey = exitQueueKey(vaultIdForToken(token), token);
      // omg-js drops the heap's leading 0 and splits each priority; it does not sort (quirk Q21).
      const result = env.heapList.slice(1).map((p) => {
        const priority = big(p, 'priority');
        return {
          priority: priority.toString(),
          exitableAt: (priority >> 214n).toString(),
          exitId: (priority & ((1n << 160n) - 1n)).toString(),
        };
      });
      return {
        call: heapListCall(env.priorityQueue),
        queueKey,
        exitsQueuesCall: exitsQueuesCall(framework, token),
        result,
      };
    }
    case 'getExitTime': {
      const submission = big(a('submissionBlockNumber'), 'submissionBlockNumber');
      const block = env.blocks[submission.toString()];
      if (block === undefined) {
        throw new PlasmaError('invalid_argument', `Block ${submission} is not in env.blocks.`);
      }
      const mep = big(env.minExitPeriod, 'minExitPeriod');
      const exitTs = big(env.exitBlockTimestamp, 'exitBlockTimestamp');
      const blockTs = big(block.timestamp, 'block timestamp');
      // omg-js: deposits wait one period after the exit request, others two after their block; plus 5 s.
      const fromBlock = submission % 1000n === 0n ? blockTs + 2n * mep : blockTs + mep;
      const at = exitTs + mep > fromBlock ? exitTs + mep : fromBlock;
      return {
        call: blocksCall(framework, submission),
        scheduledFinalizationTime: Number(at + 5n),
      };
    }
    default:
      throw new PlasmaError(
        'invalid_argument',
        `Unknown omg-js RootChain method "${input.method}"; see protocol.md §15.2 for the ones we map.`,
      );
  }
}
