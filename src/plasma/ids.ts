// Identifiers, priorities and timing of exits (protocol.md §7): output ids, standard and in-flight
// exit ids (uint160), exit priorities, exitable timestamps, queue keys and senderData — computed the
// way the v1.0.5 contracts compute them, so the wallet and the watcher can match on-chain records.

import { PlasmaError } from './errors';
import {
  bytesToHex,
  concatBytes,
  hexToBytes,
  keccak,
  normalizeAddress,
  wordFromBigint,
} from './hex';
import { depositBlockRoot, depositProof } from './merkle';
import { BLOCK_OFFSET, TX_OFFSET, decodeUtxoPos } from './position';
import type { Hex } from './types';

export const VAULT_ID_ETH = 1n;
export const VAULT_ID_ERC20 = 2n;

const UINT160 = 1n << 160n;
const IN_FLIGHT_FLAG = 1n << 151n;
const EXITABLE_AT_BITS = 42n;
const TX_POS_BITS = 54n;

/** The revert string of the exit-id library when a standard exit's oindex does not fit (> 255). */
export const EXIT_ID_OVERFLOWS = 'ExitId overflows';

function bigintFromHash(h: Uint8Array): bigint {
  return BigInt(bytesToHex(h));
}

function requireUint(value: bigint, what: string, bits: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << bits) {
    throw new PlasmaError(
      'invalid_argument',
      `The ${what} must be a whole number from 0 to 2^${bits} - 1; got ${String(value)}.`,
    );
  }
}

/**
 * Output id (bytes32) as the framework records finalized outputs (§7.1). Deposit outputs also hash
 * their position, because two equal deposits have equal bytes; pass `isDeposit` from the position's
 * block (`isDepositBlknum`), never from the tx contents. Outputs of an in-flight tx are never deposits.
 */
export function outputId(
  txBytes: Uint8Array,
  oindex: bigint,
  utxoPos: bigint | undefined,
  isDeposit: boolean,
): Hex {
  requireUint(oindex, 'output index', 256n);
  if (!isDeposit) return bytesToHex(keccak(concatBytes(txBytes, wordFromBigint(oindex))));
  if (utxoPos === undefined) {
    throw new PlasmaError(
      'invalid_argument',
      'The output id of a deposit output depends on its position; pass the utxoPos.',
    );
  }
  requireUint(utxoPos, 'utxoPos', 256n);
  return bytesToHex(keccak(concatBytes(txBytes, wordFromBigint(oindex), wordFromBigint(utxoPos))));
}

/**
 * Standard exit id (uint160, §7.2), as `getStandardExitId(isDeposit, txBytes, utxoPos)` returns it:
 * the position is decoded with the contracts' limits, and an oindex above 255 reverts with
 * "ExitId overflows".
 */
export function standardExitId(txBytes: Uint8Array, utxoPos: bigint, isDeposit: boolean): bigint {
  const { oindex } = decodeUtxoPos(utxoPos);
  const h = isDeposit ? keccak(concatBytes(txBytes, wordFromBigint(utxoPos))) : keccak(txBytes);
  const id = (bigintFromHash(h) >> 105n) | (oindex << 152n);
  if (id >= UINT160) {
    throw new PlasmaError(
      'invalid_position',
      `${EXIT_ID_OVERFLOWS}: output index ${oindex} cannot be exited through a standard exit (at most 255).`,
      { revert: EXIT_ID_OVERFLOWS },
    );
  }
  return id;
}

/** In-flight exit id (uint160, §7.2): the top 151 bits of keccak(txBytes) with bit 151 set. */
export function inFlightExitId(txBytes: Uint8Array): bigint {
  return (bigintFromHash(keccak(txBytes)) >> 105n) | IN_FLIGHT_FLAG;
}

/** True for a standard exit id, false for an in-flight one (bit 151). */
export function isStandardExitId(exitId: bigint): boolean {
  return (exitId & IN_FLIGHT_FLAG) === 0n;
}

/**
 * Exit priority (uint256, §7.3): (exitableAt << 214) | (txPos / 10^4 << 160) | exitId. `txPos` may be the
 * exiting output's utxoPos or its tx position (oindex 0): only blknum and txindex are used. Lower values
 * are processed first.
 */
export function exitPriority(exitableAt: bigint, txPos: bigint, exitId: bigint): bigint {
  // The contract takes a uint64 but only 42 bits survive the shift (quirk Q24); refuse rather than truncate.
  requireUint(exitableAt, 'exitableAt timestamp', EXITABLE_AT_BITS);
  requireUint(txPos, 'tx position', 256n);
  requireUint(exitId, 'exit id', 160n);
  const txPosKey = txPos / TX_OFFSET;
  requireUint(txPosKey, 'tx position / 10^4', TX_POS_BITS);
  return (exitableAt << 214n) | (txPosKey << 160n) | exitId;
}

export interface ParsedExitPriority {
  exitableAt: bigint;
  /** The tx position (blknum · 10^9 + txindex · 10^4, oindex 0). */
  txPos: bigint;
  exitId: bigint;
}

/** Splits a priority read from `ExitQueued` or `heapList()` (§7.3). */
export function parseExitPriority(priority: bigint): ParsedExitPriority {
  requireUint(priority, 'priority', 256n);
  return {
    exitableAt: priority >> 214n,
    txPos: ((priority >> 160n) & ((1n << TX_POS_BITS) - 1n)) * TX_OFFSET,
    exitId: priority & (UINT160 - 1n),
  };
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/**
 * exitableAt of a standard exit started at `now` (§7.4): deposits wait one exit period from the start;
 * other outputs also wait two periods from their block's timestamp.
 */
export function standardExitExitableAt(args: {
  isDeposit: boolean;
  blockTimestamp: bigint;
  now: bigint;
  minExitPeriod: bigint;
}): bigint {
  const { isDeposit, blockTimestamp, now, minExitPeriod } = args;
  if (isDeposit) return now + minExitPeriod;
  return max(blockTimestamp + 2n * minExitPeriod, now + minExitPeriod);
}

/**
 * exitableAt of an in-flight exit's queue entry for one token, fixed at that token's first piggyback at
 * `now` (§7.4, quirk Q8): two periods after the youngest input's block, at least one period from now;
 * no deposit shortcut.
 */
export function inFlightExitExitableAt(args: {
  youngestInputBlockTimestamp: bigint;
  now: bigint;
  minExitPeriod: bigint;
}): bigint {
  const { youngestInputBlockTimestamp, now, minExitPeriod } = args;
  return max(youngestInputBlockTimestamp + 2n * minExitPeriod, now + minExitPeriod);
}

/** Vault id that holds a token's exits: ETH (the zero address) → 1, any ERC20 → 2. */
export function vaultIdForToken(token: string): bigint {
  return /^0x0{40}$/.test(normalizeAddress(token)) ? VAULT_ID_ETH : VAULT_ID_ERC20;
}

/** Key of `exitsQueues(bytes32)`: keccak(word(vaultId) ‖ 20-byte token) (§7.6). */
export function exitQueueKey(vaultId: bigint, token: string): Hex {
  requireUint(vaultId, 'vault id', 256n);
  return bytesToHex(
    keccak(concatBytes(wordFromBigint(vaultId), hexToBytes(normalizeAddress(token)))),
  );
}

/** Key of `delegations(bytes32)`: keccak(word(priority) ‖ word(vaultId) ‖ 20-byte token) (§7.6). */
export function delegationKey(priority: bigint, vaultId: bigint, token: string): Hex {
  return bytesToHex(
    keccak(
      concatBytes(
        wordFromBigint(priority),
        wordFromBigint(vaultId),
        hexToBytes(normalizeAddress(token)),
      ),
    ),
  );
}

/** The anti front-running `senderData` of challenges: keccak(20-byte address of the sender) (§7.6). */
export function senderData(address: string): Hex {
  return bytesToHex(keccak(hexToBytes(normalizeAddress(address))));
}

/** What a standard exit of a deposit output needs (the Watcher's `exit_data` of a deposit). */
export interface DepositExitData {
  txBytes: Hex;
  /** z0 ‖ … ‖ z15. */
  proof: Hex;
  /** Root of the deposit's one-leaf block, as the vault submitted it. */
  root: Hex;
  /** blknum · 10^9 (txindex 0, oindex 0). */
  utxoPos: bigint;
}

/** Exit data of the deposit `depositTxBytes` stored in deposit block `blknum` (§4.2, §6.4). */
export function depositExitData(depositTxBytes: Uint8Array, blknum: bigint): DepositExitData {
  requireUint(blknum, 'deposit block number', 64n);
  return {
    txBytes: bytesToHex(depositTxBytes),
    proof: bytesToHex(depositProof()),
    root: bytesToHex(depositBlockRoot(depositTxBytes)),
    utxoPos: blknum * BLOCK_OFFSET,
  };
}
