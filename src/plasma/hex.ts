// Bytes, hex and Keccak helpers for the rest of src/plasma. Hex is strict at the boundary (0x-prefixed,
// even length) and always produced in lowercase; inside, everything is Uint8Array and bigint.
import { keccak256 } from './keccak';
import { getAddress } from 'ethers';
import { PlasmaError } from './errors';
import type { Address, Hex } from './types';

const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push(i.toString(16).padStart(2, '0'));

// Nibble value by char code, -1 for anything that is not a hex digit.
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

export const TWO_256 = 1n << 256n;
export const MAX_UINT256 = TWO_256 - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** True for a 0x-prefixed string of hex digits of even length (and of `byteLength` bytes if given). */
export function isHex(value: unknown, byteLength?: number): value is Hex {
  if (typeof value !== 'string' || value.length % 2 !== 0 || value[0] !== '0' || value[1] !== 'x')
    return false;
  if (byteLength !== undefined && value.length !== 2 + 2 * byteLength) return false;
  for (let i = 2; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || NIBBLE[c]! < 0) return false;
  }
  return true;
}

/** Decodes strict 0x hex (either case) into bytes; throws PlasmaError `invalid_hex`. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex[0] !== '0' || hex[1] !== 'x') {
    throw new PlasmaError(
      'invalid_hex',
      `Expected a 0x-prefixed hex string, got ${describe(hex)}.`,
    );
  }
  if (hex.length % 2 !== 0) {
    throw new PlasmaError(
      'invalid_hex',
      `Hex string ${describe(hex)} has an odd number of digits; bytes need two digits each.`,
    );
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  if (!writeHexBytes(out, 0, hex, out.length)) {
    let j = 2;
    while (j < hex.length && hex.charCodeAt(j) < 128 && NIBBLE[hex.charCodeAt(j)]! >= 0) j++;
    throw new PlasmaError(
      'invalid_hex',
      `Hex string ${describe(hex)} contains a non-hex character at position ${j}.`,
    );
  }
  return out;
}

/**
 * Writes the `length` bytes of 0x hex `hex` (exactly 2 + 2·length characters) to out[offset…] without
 * allocating; false (and `out` partly written) if `hex` is not such a string.
 */
export function writeHexBytes(
  out: Uint8Array,
  offset: number,
  hex: string,
  length: number,
): boolean {
  if (hex.length !== 2 + 2 * length || hex.charCodeAt(0) !== 48 || hex.charCodeAt(1) !== 120)
    return false;
  for (let i = 0, j = 2; i < length; i++, j += 2) {
    const a = hex.charCodeAt(j);
    const b = hex.charCodeAt(j + 1);
    const hi = a < 128 ? NIBBLE[a]! : -1;
    const lo = b < 128 ? NIBBLE[b]! : -1;
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

/** Like hexToBytes but requires exactly `length` bytes. */
export function hexToBytesN(hex: string, length: number, what = 'value'): Uint8Array {
  const bytes = hexToBytes(hex);
  if (bytes.length !== length)
    throw new PlasmaError(
      'invalid_hex',
      `The ${what} must be ${length} bytes, got ${bytes.length}.`,
    );
  return bytes;
}

/** The part of TextDecoder used here (the library is built without DOM or Node types). */
interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
const TextDecoderClass = (globalThis as { TextDecoder?: new (label: string) => Utf8Decoder })
  .TextDecoder;
const utf8: Utf8Decoder | undefined = TextDecoderClass && new TextDecoderClass('utf-8');
/** Char codes of the two hex digits of each byte value. */
const HEX_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX_CODES[2 * i] = HEX_BYTE[i]!.charCodeAt(0);
  HEX_CODES[2 * i + 1] = HEX_BYTE[i]!.charCodeAt(1);
}
/** Per byte length from 8 to 64: '0x' and room for the digits, the exact size the decoder reads. */
const hexScratch: (Uint8Array | undefined)[] = [];

/**
 * Lowercase 0x hex of `bytes` (or of `bytes[start, end)`). Addresses and hashes (8 to 64 bytes) are
 * written as character codes and decoded into one string: appending two digits at a time builds a
 * string object per byte first, which made this the largest source of garbage of a block's
 * validation (two addresses per output, a hash per transaction): a third of what the main thread
 * allocated for a full block (V8's sampling heap profiler over bench/watcher-block.ts).
 */
export function bytesToHex(bytes: Uint8Array, start = 0, end = bytes.length): Hex {
  const length = end - start;
  if (utf8 && length >= 8 && length <= 64) {
    const scratch = (hexScratch[length] ??= Uint8Array.of(48, 120, ...new Uint8Array(2 * length)));
    for (let i = start, at = 2; i < end; i++, at += 2) {
      const v = 2 * bytes[i]!;
      scratch[at] = HEX_CODES[v]!;
      scratch[at + 1] = HEX_CODES[v + 1]!;
    }
    return utf8.decode(scratch) as Hex;
  }
  let s = '0x';
  for (let i = start; i < end; i++) s += HEX_BYTE[bytes[i]!];
  return s as Hex;
}

export function keccak(bytes: Uint8Array): Uint8Array {
  return keccak256(bytes);
}

export function keccakHex(bytes: Uint8Array): Hex {
  return bytesToHex(keccak256(bytes));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Writes `n` as a 32-byte big-endian word into `out` at `offset` (no allocation; the hot path of EIP-712 hashing). */
export function writeWord(out: Uint8Array, offset: number, n: bigint): void {
  if (n < 0n || n > MAX_UINT256)
    throw new PlasmaError(
      'encoded_uint_too_big',
      `Value ${n} does not fit in an unsigned 256-bit word.`,
    );
  if (n <= MAX_SAFE) {
    // Positions, types and most amounts: plain number arithmetic is far cheaper than bigint shifts.
    let v = Number(n);
    for (let i = offset + 31; i >= offset; i--) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return;
  }
  // Wei amounts (> 2^53) are common: V8's bigint-to-hex is one native call, then two digits a byte
  // (~4x faster than shifting the bigint six bytes at a time, measured on 18-decimal amounts).
  const hex = n.toString(16);
  let i = offset + 31;
  let k = hex.length;
  for (; k >= 2; k -= 2)
    out[i--] = (NIBBLE[hex.charCodeAt(k - 2)]! << 4) | NIBBLE[hex.charCodeAt(k - 1)]!;
  if (k === 1) out[i--] = NIBBLE[hex.charCodeAt(0)]!;
  while (i >= offset) out[i--] = 0;
}

/** 32-byte big-endian word of an unsigned integer (an ABI `uint256`). */
export function wordFromBigint(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeWord(out, 0, n);
  return out;
}

/** Unsigned big-endian integer of `bytes[start, end)`. */
export function bigintFromBytes(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  while (start < end && bytes[start] === 0) start++; // positions are 32-byte words, mostly zeros
  if (end - start <= 6) {
    let v = 0;
    for (let i = start; i < end; i++) v = v * 256 + bytes[i]!;
    return BigInt(v);
  }
  if (end - start <= 12) {
    // Two number halves and one bigint step instead of a hex string round trip.
    let hi = 0;
    let lo = 0;
    const mid = end - 6;
    for (let i = start; i < mid; i++) hi = hi * 256 + bytes[i]!;
    for (let i = mid; i < end; i++) lo = lo * 256 + bytes[i]!;
    return (BigInt(hi) << 48n) + BigInt(lo);
  }
  return BigInt(bytesToHex(bytes, start, end));
}

/** Minimal big-endian bytes of an unsigned integer: 0 is the empty string (canonical RLP scalar). */
export function bigintToMinimalBytes(n: bigint): Uint8Array {
  if (n < 0n)
    throw new PlasmaError(
      'invalid_amount',
      `Negative value ${n} cannot be encoded as an unsigned integer.`,
    );
  if (n > MAX_UINT256)
    throw new PlasmaError('encoded_uint_too_big', `Value ${n} does not fit in 256 bits.`);
  if (n === 0n) return new Uint8Array(0);
  let hex = n.toString(16);
  if (hex.length % 2 !== 0) hex = '0' + hex;
  return hexToBytes('0x' + hex);
}

/**
 * Validates and lowercases an address. Accepts any case; a mixed-case address must carry a valid
 * EIP-55 checksum (a wrong one is almost always a typo). Throws PlasmaError `malformed_address`.
 */
export function normalizeAddress(address: string): Address {
  if (!isHex(address, 20)) {
    throw new PlasmaError(
      'malformed_address',
      `${describe(address)} is not an address: expected 0x followed by 40 hex digits.`,
    );
  }
  const body = address.slice(2);
  const lower = body.toLowerCase();
  if (body !== lower && body !== body.toUpperCase()) {
    let checksummed: string;
    try {
      checksummed = getAddress(address);
    } catch (cause) {
      throw new PlasmaError('malformed_address', `Address ${address} is not valid.`, { cause });
    }
    if (checksummed !== address) {
      throw new PlasmaError(
        'malformed_address',
        `Address ${address} has a wrong EIP-55 checksum (expected ${checksummed}); check it for typos.`,
      );
    }
  }
  return ('0x' + lower) as Address;
}

/** Address bytes (20) from an address string, validated. */
export function addressToBytes(address: string): Uint8Array {
  return hexToBytes(normalizeAddress(address));
}

export function isZeroBytes(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${typeof value}`;
  return value.length > 80 ? `"${value.slice(0, 77)}…"` : `"${value}"`;
}
