import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError } from './errors';
import { decodeMetadata, encodeMetadata, metadataText } from './metadata';
import { NULL_METADATA, type Hex } from './types';

interface MetadataVector {
  id: string;
  quirk?: string;
  input: { str: string };
  expected: { encoded?: Hex; decoded?: string; error?: string };
}
const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
  ) as { metadata: MetadataVector[] }
).metadata;

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isPlasmaError(e)) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('metadata vectors (omg-js)', () => {
  it.each(vectors.filter((v) => !v.quirk).map((v) => [v.id, v] as const))(
    '%s bit-exact both ways',
    (_id, v) => {
      expect(encodeMetadata(v.input.str)).toBe(v.expected.encoded);
      expect(decodeMetadata(v.expected.encoded!)).toBe(v.expected.decoded);
    },
  );

  it.each(vectors.filter((v) => v.quirk).map((v) => [v.id, v] as const))(
    '%s (quirk) is rejected',
    (_id, v) => {
      let message = '';
      try {
        encodeMetadata(v.input.str);
      } catch (e) {
        expect(isPlasmaError(e) && e.code === 'malformed_metadata').toBe(true);
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
    },
  );
});

describe('text memos', () => {
  it('is right-aligned UTF-8', () => {
    expect(encodeMetadata('a')).toBe('0x' + '00'.repeat(31) + '61');
    expect(encodeMetadata('€')).toBe('0x' + '00'.repeat(29) + 'e282ac');
  });

  it.each([
    ['33 bytes', 'a'.repeat(33)],
    ['17 two-byte characters (34 bytes)', 'é'.repeat(17)],
    ['an empty string', ''],
    ['a leading NUL', '\u0000abc'],
    ['a newline', 'a\nb'],
    ['hex passed as text', '0x1234'],
    ['an unpaired surrogate', 'a\ud800'],
  ])('rejects %s', (_what, text) => {
    expect(code(() => encodeMetadata(text))).toBe('malformed_metadata');
  });

  it('decodes zero metadata as no text and refuses bytes that are not text', () => {
    expect(decodeMetadata(NULL_METADATA)).toBe('');
    expect(metadataText(NULL_METADATA)).toBeNull();
    const hash = '0x217a1ebbb9834c507bc3cf6bca6e98005aa44ba81572f89a922b83ed3215f122' as Hex;
    expect(code(() => decodeMetadata(hash))).toBe('malformed_metadata');
    expect(metadataText(hash)).toBeNull();
    expect(code(() => decodeMetadata('0x00' as Hex))).toBe('malformed_metadata');
    expect(metadataText(encodeMetadata('hi'))).toBe('hi');
  });

  it('property: accepted text round-trips exactly, and decodable bytes re-encode exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), (text) => {
        let encoded: Hex;
        try {
          encoded = encodeMetadata(text);
        } catch (e) {
          expect(isPlasmaError(e)).toBe(true);
          return;
        }
        expect(decodeMetadata(encoded)).toBe(text);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(32), (bytes, zeros) => {
        bytes.fill(0, 0, zeros);
        const hex = ('0x' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')) as Hex;
        let text: string;
        try {
          text = decodeMetadata(hex);
        } catch (e) {
          expect(isPlasmaError(e)).toBe(true);
          return;
        }
        if (text !== '') expect(encodeMetadata(text)).toBe(hex);
      }),
      { numRuns: 3000 },
    );
  });
});
