import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError, REVERT } from './errors';
import { bytesToHex, hexToBytes } from './hex';
import { decodeRlp, encodeRlp, rootList, type RlpItem } from './rlp';

const h = hexToBytes;

function rlpFailure(bytes: Uint8Array): { code: string; revert: string | undefined } {
  try {
    decodeRlp(bytes);
  } catch (e) {
    if (!isPlasmaError(e)) throw e;
    return { code: e.code, revert: e.revert };
  }
  throw new Error(`expected ${bytesToHex(bytes)} to be rejected`);
}

const rlpItem: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('item'), { maxLength: 5 }),
  ),
})).item;

describe('RLP encoder', () => {
  it('encodes the textbook examples', () => {
    const dog = new Uint8Array([0x64, 0x6f, 0x67]);
    expect(bytesToHex(encodeRlp(dog))).toBe('0x83646f67');
    expect(bytesToHex(encodeRlp([]))).toBe('0xc0');
    expect(bytesToHex(encodeRlp(new Uint8Array(0)))).toBe('0x80');
    expect(bytesToHex(encodeRlp(h('0x00')))).toBe('0x00');
    expect(bytesToHex(encodeRlp(h('0x7f')))).toBe('0x7f');
    expect(bytesToHex(encodeRlp(h('0x80')))).toBe('0x8180');
    expect(bytesToHex(encodeRlp([[], [[]], [[], [[]]]]))).toBe('0xc7c0c1c0c3c0c1c0');
    const long = new Uint8Array(56).fill(0x61);
    expect(bytesToHex(encodeRlp(long)).slice(0, 6)).toBe('0xb838');
    expect(bytesToHex(encodeRlp(new Uint8Array(1024))).slice(0, 8)).toBe('0xb90400');
  });
});

describe('strict RLP decoder', () => {
  it('round-trips any item and re-encodes what it accepts byte for byte', () => {
    fc.assert(
      fc.property(rlpItem, (item) => {
        const bytes = encodeRlp(item);
        const decoded = decodeRlp(bytes);
        expect(encodeRlp(decoded)).toEqual(bytes);
        expect(decoded).toEqual(item);
      }),
      { numRuns: 500 },
    );
  });

  it('on random bytes only throws PlasmaError, and accepts only canonical encodings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          const item = decodeRlp(bytes);
          expect(encodeRlp(item)).toEqual(bytes);
        } catch (e) {
          expect(isPlasmaError(e)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects each non-canonical form with the contract revert string', () => {
    expect(rlpFailure(h('0x8164'))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R4,
    });
    expect(rlpFailure(h('0xb80161'))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R5_LENGTH,
    });
    expect(rlpFailure(h('0xb90038' + '61'.repeat(56)))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R5_LEADING_ZEROS,
    });
    expect(rlpFailure(h('0xf803010203'))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R6_LENGTH,
    });
    expect(rlpFailure(h('0xf90003010203'))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R6_LEADING_ZEROS,
    });
    expect(rlpFailure(h('0xc28201'))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R3,
    });
    expect(rlpFailure(h('0xc101ff'))).toMatchObject({ code: 'malformed_transaction_rlp' });
    expect(rlpFailure(h('0xc20101ff')).code).toBe('malformed_transaction_rlp');
    expect(rlpFailure(h('0x83646f')).code).toBe('malformed_transaction_rlp');
    expect(rlpFailure(new Uint8Array(0))).toEqual({
      code: 'malformed_transaction_rlp',
      revert: REVERT.R1,
    });
  });

  it('returns strings as views into the input, not copies', () => {
    const bytes = h('0xc483646f67');
    const item = decodeRlp(bytes) as Uint8Array[];
    expect(item[0]!.buffer).toBe(bytes.buffer);
  });
});

describe('rootList (the contract toList of a whole tx)', () => {
  it('reports R1 and R2 as the contract does', () => {
    const fail = (hex: string) => {
      try {
        rootList(h(hex));
      } catch (e) {
        if (isPlasmaError(e)) return [e.code, e.revert];
      }
      return null;
    };
    expect(fail('0x80')).toEqual(['malformed_transaction', REVERT.R1]);
    expect(fail('0x8164')).toEqual(['malformed_transaction_rlp', REVERT.R1]);
    expect(fail('0xc10100')).toEqual(['malformed_transaction_rlp', REVERT.R2]);
    expect(fail('0xc201')).toEqual(['malformed_transaction_rlp', REVERT.R2]);
    expect(rootList(h('0xc20102'))).toHaveLength(2);
  });
});
