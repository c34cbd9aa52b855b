// Text memos in a payment's 32-byte metadata, laid out as omg-js does: the UTF-8 bytes right-aligned,
// zero-padded on the left. Unlike omg-js we only accept text that survives the round trip exactly
// (no empty text, at most 32 bytes, no control characters, no hex passed through as if it were text).
import { toUtf8Bytes, toUtf8String } from 'ethers';
import { PlasmaError } from './errors';
import { bytesToHex, hexToBytes, isHex } from './hex';
import { NULL_METADATA, type Hex } from './types';

export const METADATA_LENGTH = 32;

// C0 controls and DEL: NUL would vanish in the left padding, and omg-js decodes text whose first byte
// is below 0x10 into garbage, so other wallets would show something else than the sender typed.
function controlCharacterIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return i;
  }
  return -1;
}

/** Encodes a memo as metadata; throws PlasmaError `malformed_metadata` with the reason for text that would not round-trip. */
export function encodeMetadata(text: string): Hex {
  if (typeof text !== 'string')
    throw new PlasmaError(
      'malformed_metadata',
      `Metadata text must be a string, got a ${typeof text}.`,
    );
  if (text.length === 0)
    throw new PlasmaError(
      'malformed_metadata',
      'Metadata text is empty; use NULL_METADATA for a payment without a memo.',
    );
  if (isHex(text)) {
    throw new PlasmaError(
      'malformed_metadata',
      `"${text}" looks like hex, not text; pass 32-byte hex directly as the metadata instead of encoding it as a memo.`,
    );
  }
  const control = controlCharacterIndex(text);
  if (control >= 0) {
    throw new PlasmaError(
      'malformed_metadata',
      `Metadata text contains a control character (code ${text.charCodeAt(control)}) at position ${control}; other wallets would not show it as typed.`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = toUtf8Bytes(text);
  } catch (cause) {
    throw new PlasmaError(
      'malformed_metadata',
      'Metadata text is not valid Unicode (it contains an unpaired surrogate).',
      { cause },
    );
  }
  if (bytes.length > METADATA_LENGTH) {
    throw new PlasmaError(
      'malformed_metadata',
      `Metadata text is ${bytes.length} bytes in UTF-8; at most ${METADATA_LENGTH} fit.`,
    );
  }
  const out = new Uint8Array(METADATA_LENGTH);
  out.set(bytes, METADATA_LENGTH - bytes.length);
  return bytesToHex(out);
}

/**
 * Decodes metadata written by encodeMetadata (or omg-js) back to its text: '' for NULL_METADATA.
 * Throws PlasmaError `malformed_metadata` for metadata that is not such text (e.g. a hash); use
 * `metadataText` to get null instead.
 */
export function decodeMetadata(metadata: Hex): string {
  if (!isHex(metadata, METADATA_LENGTH))
    throw new PlasmaError('malformed_metadata', 'Metadata must be 32 bytes of 0x hex.');
  const bytes = hexToBytes(metadata);
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (start === bytes.length) return '';
  let text: string;
  try {
    text = toUtf8String(bytes.subarray(start));
  } catch (cause) {
    throw new PlasmaError('malformed_metadata', `Metadata ${metadata} is not UTF-8 text.`, {
      cause,
    });
  }
  if (isHex(text))
    throw new PlasmaError(
      'malformed_metadata',
      `Metadata ${metadata} holds hex digits, not a text memo.`,
    );
  if (controlCharacterIndex(text) >= 0)
    throw new PlasmaError(
      'malformed_metadata',
      `Metadata ${metadata} holds control characters, so it is not a text memo.`,
    );
  return text;
}

/** The memo text of `metadata`, or null when it holds no text (all zeros, or arbitrary bytes such as a hash). */
export function metadataText(metadata: Hex): string | null {
  if (metadata === NULL_METADATA) return null;
  try {
    return decodeMetadata(metadata);
  } catch {
    return null;
  }
}
