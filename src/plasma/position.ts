// UTXO positions (protocol.md §4): blknum · 10^9 + txindex · 10^4 + oindex, with the bounds the v1.0.5
// contracts enforce when they decode one. Positions outside them can never be exited or signed for, so
// we refuse to produce or accept them instead of computing something the chain would reject.
import { PlasmaError, REVERT } from './errors';
import { wordFromBigint } from './hex';
import type { UtxoPosParts } from './types';

export const BLOCK_OFFSET = 1_000_000_000n;
export const TX_OFFSET = 10_000n;
export const CHILD_BLOCK_INTERVAL = 1000n;
/** ((2^54 − 1) − 65535) / 100000: the largest block number a v1 position may carry. */
export const MAX_BLKNUM = 180_143_985_094n;
export const MAX_TXINDEX = 65_535n;
export const MAX_OINDEX = 9_999n;
/** The largest position the v1 contracts decode: (180143985094, 65535, 9999). */
export const MAX_UTXO_POS = MAX_BLKNUM * BLOCK_OFFSET + MAX_TXINDEX * TX_OFFSET + MAX_OINDEX;

function checkParts(blknum: bigint, txindex: bigint, oindex: bigint, what: string): void {
  if (blknum < 0n || txindex < 0n || oindex < 0n) {
    throw new PlasmaError(
      'invalid_position',
      `${what}: block number, tx index and output index must not be negative (got ${blknum}, ${txindex}, ${oindex}).`,
    );
  }
  if (blknum > MAX_BLKNUM) {
    throw new PlasmaError(
      'invalid_position',
      `${what}: block number ${blknum} is above ${MAX_BLKNUM}, the largest the Plasma contracts accept.`,
      {
        revert: REVERT.POS_BLKNUM,
        rule: 'POS_BLKNUM',
      },
    );
  }
  if (txindex > MAX_TXINDEX) {
    throw new PlasmaError(
      'invalid_position',
      `${what}: tx index ${txindex} is above ${MAX_TXINDEX}; a block holds at most 65536 transactions.`,
      {
        revert: REVERT.POS_TXINDEX,
        rule: 'POS_TXINDEX',
      },
    );
  }
  if (oindex > MAX_OINDEX) {
    throw new PlasmaError(
      'invalid_position',
      `${what}: output index ${oindex} is above ${MAX_OINDEX}.`,
      { revert: REVERT.POS_OINDEX, rule: 'POS_OINDEX' },
    );
  }
}

function asBigint(value: unknown, name: string): bigint {
  if (typeof value === 'bigint') return value;
  throw new PlasmaError(
    'invalid_position',
    `The ${name} of a position must be a bigint, got a ${typeof value}.`,
  );
}

/** Position of output `oindex` of tx `txindex` in block `blknum`; throws PlasmaError `invalid_position` outside the v1 bounds. */
export function encodeUtxoPos(parts: UtxoPosParts): bigint {
  const blknum = asBigint(parts.blknum, 'blknum');
  const txindex = asBigint(parts.txindex, 'txindex');
  const oindex = asBigint(parts.oindex, 'oindex');
  checkParts(blknum, txindex, oindex, 'Invalid position');
  return blknum * BLOCK_OFFSET + txindex * TX_OFFSET + oindex;
}

/** Splits a position; throws PlasmaError `invalid_position` (with the contract's revert string) where the contracts would revert. */
export function decodeUtxoPos(pos: bigint): UtxoPosParts {
  pos = asBigint(pos, 'value');
  if (pos < 0n) throw new PlasmaError('invalid_position', `Position ${pos} is negative.`);
  const blknum = pos / BLOCK_OFFSET;
  const txindex = (pos % BLOCK_OFFSET) / TX_OFFSET;
  const oindex = pos % TX_OFFSET;
  checkParts(blknum, txindex, oindex, `Position ${pos}`);
  return { blknum, txindex, oindex };
}

/** True if `pos` decodes within the v1 bounds. */
export function isValidUtxoPos(pos: bigint): boolean {
  return (
    typeof pos === 'bigint' &&
    pos >= 0n &&
    pos <= MAX_UTXO_POS &&
    (pos % BLOCK_OFFSET) / TX_OFFSET <= MAX_TXINDEX
  );
}

/** The 32-byte input word of a position (what a payment's input holds). */
export function utxoPosToWord(pos: bigint): Uint8Array {
  decodeUtxoPos(pos);
  return wordFromBigint(pos);
}

/** The tx position (oindex 0) of a position. */
export function txPos(pos: bigint): bigint {
  decodeUtxoPos(pos);
  return pos - (pos % TX_OFFSET);
}

/** Deposit blocks fill the gaps between child blocks, which are multiples of the interval (§4.2). */
export function isDepositBlknum(blknum: bigint, interval: bigint = CHILD_BLOCK_INTERVAL): boolean {
  return blknum % interval !== 0n;
}

const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
const BLOCK_OFFSET_NUMBER = Number(BLOCK_OFFSET);
const TX_OFFSET_NUMBER = Number(TX_OFFSET);

/**
 * Writes the block number, tx index and output index of `pos` to out[at], out[at + 1], out[at + 2]
 * as numbers, for a position already known to be within the v1 bounds (not checked here). Below
 * 2^53 (block numbers up to ~9,007,199) it takes number arithmetic and allocates nothing; the
 * hot paths (a full block's ~320,000 inputs and outputs) split every position they store or hash.
 */
export function splitPositionInto(pos: bigint, out: { [i: number]: number }, at: number): void {
  let blknum: number;
  let rest: number; // txindex · 10^4 + oindex, below 10^9
  if (pos <= MAX_SAFE_BIGINT) {
    const n = Number(pos);
    blknum = Math.floor(n / BLOCK_OFFSET_NUMBER);
    rest = n - blknum * BLOCK_OFFSET_NUMBER; // exact: both terms are integers below 2^53
    // n / 10^9 can round up across an integer near 2^53 (or down): put the quotient right.
    if (rest < 0) {
      blknum--;
      rest += BLOCK_OFFSET_NUMBER;
    } else if (rest >= BLOCK_OFFSET_NUMBER) {
      blknum++;
      rest -= BLOCK_OFFSET_NUMBER;
    }
  } else {
    blknum = Number(pos / BLOCK_OFFSET);
    rest = Number(pos % BLOCK_OFFSET);
  }
  const txindex = Math.floor(rest / TX_OFFSET_NUMBER);
  out[at] = blknum;
  out[at + 1] = txindex;
  out[at + 2] = rest - txindex * TX_OFFSET_NUMBER;
}
