// RLP (Ethereum's Recursive Length Prefix) encoder and a strict, canonical-only decoder that mirrors
// the v1.0.5 contracts' RLPReader (protocol.md §3.7 R1–R6) down to which revert string a bad input gets.
// Works on Uint8Array with offsets: decoded strings are subarray views into the input, never copies.
import { PlasmaError, REVERT, type RevertRule } from './errors';

/** A decoded RLP item: a byte string or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

/** One RLP item located inside `bytes`: header at `start`, payload `[payload, end)`. */
export interface RlpView {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly payload: number;
  readonly end: number;
  readonly isList: boolean;
}

const SHORT_STRING = 0x80;
const LONG_STRING = 0xb8;
const SHORT_LIST = 0xc0;
const LONG_LIST = 0xf8;
const MAX_SHORT_LENGTH = 55;

function rlpError(rule: RevertRule, message: string): PlasmaError {
  return new PlasmaError('malformed_transaction_rlp', message, {
    revert: REVERT[rule],
    rule: rule.slice(0, 2),
  });
}

// The contract reads headers with `mload`, i.e. past the end of an item (and of the input) when a header
// is cut off. Beyond the input we read zeros, as fresh EVM memory would hold, so a truncated header
// fails with the same rule the contract reports in practice. (A truncated item always fails anyway.)
function byteAt(bytes: Uint8Array, i: number): number {
  return i < bytes.length ? bytes[i]! : 0;
}

// Header reader results, kept in module scope so the hot path allocates nothing.
let hPayload = 0;
let hLength = 0;
let hIsList = false;

/**
 * Reads the header at `pos`: sets hPayload (payload offset) and hLength (whole item length, header
 * included) and hIsList. Applies R4–R6 exactly as the contract's decodeLengthAndOffset does.
 */
function readHeader(bytes: Uint8Array, pos: number): void {
  const b0 = byteAt(bytes, pos);
  if (b0 < SHORT_STRING) {
    hPayload = pos;
    hLength = 1;
    hIsList = false;
  } else if (b0 < LONG_STRING) {
    const dataLength = b0 - SHORT_STRING;
    if (dataLength === 1 && byteAt(bytes, pos + 1) < SHORT_STRING) {
      throw rlpError(
        'R4',
        `Non-canonical RLP at byte ${pos}: a single byte below 0x80 must be written as itself, not as a one-byte string.`,
      );
    }
    hPayload = pos + 1;
    hLength = dataLength + 1;
    hIsList = false;
  } else if (b0 < SHORT_LIST) {
    const lengthOfLength = b0 - 0xb7;
    const dataLength = readLongLength(bytes, pos + 1, lengthOfLength);
    if (byteAt(bytes, pos + 1) === 0) {
      throw rlpError(
        'R5_LEADING_ZEROS',
        `Non-canonical RLP at byte ${pos}: the length of a long string has a leading zero byte.`,
      );
    }
    if (dataLength <= MAX_SHORT_LENGTH) {
      throw rlpError(
        'R5_LENGTH',
        `Non-canonical RLP at byte ${pos}: a string of ${dataLength} bytes must use the short form.`,
      );
    }
    hPayload = pos + 1 + lengthOfLength;
    hLength = dataLength + lengthOfLength + 1;
    hIsList = false;
  } else if (b0 < LONG_LIST) {
    hPayload = pos + 1;
    hLength = b0 - SHORT_LIST + 1;
    hIsList = true;
  } else {
    const lengthOfLength = b0 - 0xf7;
    const dataLength = readLongLength(bytes, pos + 1, lengthOfLength);
    if (byteAt(bytes, pos + 1) === 0) {
      throw rlpError(
        'R6_LEADING_ZEROS',
        `Non-canonical RLP at byte ${pos}: the length of a long list has a leading zero byte.`,
      );
    }
    if (dataLength <= MAX_SHORT_LENGTH) {
      throw rlpError(
        'R6_LENGTH',
        `Non-canonical RLP at byte ${pos}: a list of ${dataLength} payload bytes must use the short form.`,
      );
    }
    hPayload = pos + 1 + lengthOfLength;
    hLength = dataLength + lengthOfLength + 1;
    hIsList = true;
  }
}

function readLongLength(bytes: Uint8Array, pos: number, lengthOfLength: number): number {
  // Up to 8 bytes; beyond 2^53 precision is lost, but such lengths can never fit the input anyway.
  let n = 0;
  for (let i = 0; i < lengthOfLength; i++) n = n * 256 + byteAt(bytes, pos + i);
  return n;
}

/**
 * Where the payload of the item at `pos` starts, by the decoder's own header rules (R4–R6), allocating
 * nothing: with itemEnd and itemIsList, for walking bytes the strict decoder has already accepted
 * (eip712.ts queueSigningDigest builds a payment's structs straight from its bytes).
 */
export function itemPayload(bytes: Uint8Array, pos: number): number {
  readHeader(bytes, pos);
  return hPayload;
}

/** Where the item at `pos` ends (header included), as itemPayload reads it. */
export function itemEnd(bytes: Uint8Array, pos: number): number {
  readHeader(bytes, pos);
  return pos + hLength;
}

/** Whether the item at `pos` is a list. */
export function itemIsList(bytes: Uint8Array, pos: number): boolean {
  return byteAt(bytes, pos) >= SHORT_LIST;
}

function viewAt(bytes: Uint8Array, pos: number): RlpView {
  readHeader(bytes, pos);
  return { bytes, start: pos, payload: hPayload, end: pos + hLength, isList: hIsList };
}

/**
 * The top-level item of `bytes` as a list, as the contract's `toRlpItem().toList()` does:
 * R1 (must be a list), the header's R6, R2 (declared length = input length), then the children.
 */
export function rootList(bytes: Uint8Array): RlpView[] {
  if (bytes.length === 0) throw rlpError('R1', 'The transaction is empty: expected an RLP list.');
  if (bytes[0]! < SHORT_LIST) {
    // Well-formed RLP of the wrong shape is the Watcher's `malformed_transaction`; bad RLP stays `…_rlp`.
    try {
      decodeRlp(bytes);
    } catch (e) {
      const why = e instanceof PlasmaError ? e.message : String(e);
      throw rlpError('R1', `The transaction is not an RLP list, nor valid RLP at all: ${why}`);
    }
    throw new PlasmaError(
      'malformed_transaction',
      'The transaction is an RLP byte string, not a list.',
      { revert: REVERT.R1, rule: 'R1' },
    );
  }
  readHeader(bytes, 0);
  if (hLength !== bytes.length) {
    throw rlpError(
      'R2',
      hLength > bytes.length
        ? `The RLP list declares ${hLength} bytes but only ${bytes.length} were given (truncated input).`
        : `The RLP list ends at byte ${hLength} but the input has ${bytes.length - hLength} trailing byte(s).`,
    );
  }
  return children({ bytes, start: 0, payload: hPayload, end: hLength, isList: true });
}

/**
 * The items of a list, as the contract's `toList` does for an inner item (its own header was already
 * checked when its parent was listed): each child's header is checked (R4–R6) and must end inside the list (R3).
 * `notAList` is the rule to report when `list` is a string.
 */
export function children(
  list: RlpView,
  notAList: RevertRule = 'R1',
  code: PlasmaError['code'] = 'malformed_transaction_rlp',
  what = 'item',
): RlpView[] {
  if (!list.isList)
    throw new PlasmaError(code, `Expected the ${what} to be an RLP list, found a byte string.`, {
      revert: REVERT[notAList],
      rule: notAList.replace(/_.*/, ''),
    });
  const out: RlpView[] = [];
  const { bytes, end } = list;
  let pos = list.payload;
  while (pos < end) {
    const child = viewAt(bytes, pos);
    if (child.end > end) {
      throw rlpError(
        'R3',
        `Invalid RLP at byte ${pos}: an item of ${child.end - pos} bytes runs past the end of its list (byte ${end}).`,
      );
    }
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** Payload length of a string view. */
export function viewLength(view: RlpView): number {
  return view.end - view.payload;
}

/** The payload of a string view as a subarray of the input (no copy). */
export function viewBytes(view: RlpView): Uint8Array {
  return view.bytes.subarray(view.payload, view.end);
}

/** The whole encoded item (header included) as a subarray of the input. */
export function viewEncoded(view: RlpView): Uint8Array {
  return view.bytes.subarray(view.start, view.end);
}

/**
 * Strict decoder for any RLP item: canonical encoding only (R3–R6), exactly one item, no trailing bytes.
 * Throws PlasmaError `malformed_transaction_rlp` with the contract's revert string for the rule broken.
 */
export function decodeRlp(bytes: Uint8Array): RlpItem {
  if (bytes.length === 0) throw rlpError('R1', 'Empty input: there is no RLP item to decode.');
  readHeader(bytes, 0);
  const isList = hIsList;
  const payload = hPayload;
  const length = hLength;
  if (length !== bytes.length) {
    throw rlpError(
      isList ? 'R2' : 'R3',
      length > bytes.length
        ? `The RLP item declares ${length} bytes but only ${bytes.length} were given.`
        : `The RLP item has ${bytes.length - length} trailing byte(s).`,
    );
  }
  return isList ? decodeListPayload(bytes, payload, length) : bytes.subarray(payload, length);
}

function decodeListPayload(bytes: Uint8Array, pos: number, end: number): RlpItem[] {
  const out: RlpItem[] = [];
  while (pos < end) {
    readHeader(bytes, pos);
    const itemEnd = pos + hLength;
    if (itemEnd > end) {
      throw rlpError(
        'R3',
        `Invalid RLP at byte ${pos}: an item of ${hLength} bytes runs past the end of its list (byte ${end}).`,
      );
    }
    out.push(
      hIsList ? decodeListPayload(bytes, hPayload, itemEnd) : bytes.subarray(hPayload, itemEnd),
    );
    pos = itemEnd;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoder

function lengthOfLength(n: number): number {
  let l = 0;
  while (n > 0) {
    l++;
    n = Math.floor(n / 256);
  }
  return l;
}

function headerLength(payloadLength: number, singleByte: boolean): number {
  if (singleByte) return 0;
  return payloadLength <= MAX_SHORT_LENGTH ? 1 : 1 + lengthOfLength(payloadLength);
}

function payloadLength(item: RlpItem): number {
  if (item instanceof Uint8Array) return item.length;
  let n = 0;
  for (const child of item) n += encodedLength(child);
  return n;
}

/** Length of the canonical encoding of `item`. */
export function encodedLength(item: RlpItem): number {
  if (item instanceof Uint8Array) {
    return item.length + headerLength(item.length, item.length === 1 && item[0]! < SHORT_STRING);
  }
  const p = payloadLength(item);
  return p + headerLength(p, false);
}

function writeHeader(out: Uint8Array, pos: number, length: number, base: number): number {
  if (length <= MAX_SHORT_LENGTH) {
    out[pos] = base + length;
    return pos + 1;
  }
  const ll = lengthOfLength(length);
  out[pos] = base + MAX_SHORT_LENGTH + ll;
  for (let i = ll; i >= 1; i--) {
    out[pos + i] = length & 0xff;
    length = Math.floor(length / 256);
  }
  return pos + 1 + ll;
}

function writeItem(out: Uint8Array, pos: number, item: RlpItem): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < SHORT_STRING) {
      out[pos] = item[0]!;
      return pos + 1;
    }
    pos = writeHeader(out, pos, item.length, SHORT_STRING);
    out.set(item, pos);
    return pos + item.length;
  }
  pos = writeHeader(out, pos, payloadLength(item), SHORT_LIST);
  for (const child of item) pos = writeItem(out, pos, child);
  return pos;
}

/** Canonical RLP encoding of `item`. */
export function encodeRlp(item: RlpItem): Uint8Array {
  const out = new Uint8Array(encodedLength(item));
  writeItem(out, 0, item);
  return out;
}

/** Wraps already-encoded items (`payload` = their concatenation) in a list header. */
export function wrapList(payload: Uint8Array): Uint8Array {
  const h = headerLength(payload.length, false);
  const out = new Uint8Array(h + payload.length);
  writeHeader(out, 0, payload.length, SHORT_LIST);
  out.set(payload, h);
  return out;
}
