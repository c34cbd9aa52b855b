// Conversions between the protocol's values (bigint positions and amounts, lowercase 0x hex) and the
// column representations of the schema (see migrations/001-chain-state.ts). The hot ones run once per
// row of a 65,536-transaction block, so they avoid generic hex parsing and allocate as little as they can.
import { PlasmaError } from '../../plasma/errors';
import { normalizeAddress } from '../../plasma/hex';
import { BLOCK_OFFSET, MAX_UTXO_POS, TX_OFFSET, splitPositionInto } from '../../plasma/position';
import type { Address, Hex } from '../../plasma/types';
import { StoreError } from './errors';

/**
 * Writes a hex value of exactly `length` bytes into `out` at `at` (packing rows straight into one
 * array); `what` names it in the error.
 */
export function writeHexBytes(
  out: Buffer,
  at: number,
  hex: string,
  length: number,
  what: string,
): void {
  if (
    typeof hex !== 'string' ||
    hex.length !== 2 + 2 * length ||
    !hex.startsWith('0x') ||
    // Buffer.write stops at the first non-hex digit, so a short count means a bad character.
    out.write(hex.slice(2), at, length, 'hex') !== length
  )
    throw new StoreError(
      'invalid_argument',
      `The ${what} must be 0x followed by ${2 * length} hex digits; got ${describe(hex)}.`,
    );
}

/** Bytes of a hex value of exactly `length` bytes; `what` names it in the error. */
export function hexBytes(hex: string, length: number, what: string): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  writeHexBytes(bytes, 0, hex, length, what);
  return bytes;
}

export const addressBytes = (hex: string, what = 'address'): Buffer => hexBytes(hex, 20, what);
export const hashBytes = (hex: string, what = 'hash'): Buffer => hexBytes(hex, 32, what);

export function toHex(bytes: Uint8Array): Hex {
  if (Buffer.isBuffer(bytes)) return `0x${bytes.toString('hex')}`;
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

/** An address given by a person or another module, checked and lowercased (EIP-55 checked if mixed case). */
export function userAddress(address: string, what = 'address'): Address {
  try {
    return normalizeAddress(address);
  } catch (e) {
    if (e instanceof PlasmaError)
      throw new StoreError('invalid_argument', `Bad ${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** A bigint amount as canonical decimal; refuses what the schema's CHECK would refuse, with a clearer message. */
export function amountText(amount: bigint, what = 'amount'): string {
  if (typeof amount !== 'bigint' || amount <= 0n || amount >= 1n << 256n) {
    throw new StoreError(
      'invalid_argument',
      `The ${what} must be a bigint between 1 and 2^256 − 1; got ${String(amount)}.`,
    );
  }
  return amount.toString();
}

/** blknum, txindex, oindex of a position; undefined if it is outside the v1 bounds (and so cannot be stored). */
export function splitPosition(utxoPos: bigint): [number, number, number] | undefined {
  const parts: [number, number, number] = [0, 0, 0];
  return positionInto(utxoPos, parts, 0) ? parts : undefined;
}

/**
 * Writes blknum, txindex, oindex of a position to out[at…at+2] (a packed row); false if it is
 * outside the v1 bounds (out[at…at+2] then hold nothing meaningful). Allocates nothing for
 * positions below 2^53.
 */
export function positionInto(utxoPos: bigint, out: { [i: number]: number }, at: number): boolean {
  if (typeof utxoPos !== 'bigint' || utxoPos < 0n || utxoPos > MAX_UTXO_POS) return false;
  splitPositionInto(utxoPos, out, at);
  return out[at + 1]! <= 65_535 && out[at]! >= 1;
}

export function requirePosition(utxoPos: bigint): [number, number, number] {
  const parts = splitPosition(utxoPos);
  if (!parts) {
    throw new StoreError(
      'invalid_argument',
      `${String(utxoPos)} is not a v1 output position (blknum 1…180143985094, txindex ≤ 65535, oindex ≤ 9999).`,
    );
  }
  return parts;
}

export function joinPosition(blknum: number, txindex: number, oindex: number): bigint {
  return BigInt(blknum) * BLOCK_OFFSET + BigInt(txindex) * TX_OFFSET + BigInt(oindex);
}

/** A non-negative whole number (eth height, log index, timestamp). */
export function wholeNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StoreError(
      'invalid_argument',
      `The ${what} must be a whole number ≥ 0; got ${String(value)}.`,
    );
  }
  return value;
}

/** A child block number as an INTEGER column value. */
export function blknumValue(blknum: bigint, what = 'block number'): number {
  if (typeof blknum !== 'bigint' || blknum < 1n || blknum > 180_143_985_094n) {
    throw new StoreError(
      'invalid_argument',
      `The ${what} must be a bigint from 1 to 180143985094; got ${String(blknum)}.`,
    );
  }
  return Number(blknum);
}

// JSON for event arguments and details: bigints travel as "123n" strings and bytes as 0x hex, so
// amounts and positions come back as exact bigints rather than rounded numbers or errors.
const BIGINT_TEXT = /^-?\d+n$/;

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key]; // before toJSON, so a Buffer is still bytes here
    if (raw instanceof Uint8Array) return toHex(raw);
    if (typeof v === 'bigint') return `${v}n`;
    return v;
  });
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    typeof v === 'string' && BIGINT_TEXT.test(v) ? BigInt(v.slice(0, -1)) : v,
  ) as T;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${typeof value}`;
  return value.length > 80 ? `"${value.slice(0, 77)}…"` : `"${value}"`;
}
