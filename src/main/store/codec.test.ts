import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UTXO_POS, encodeUtxoPos } from '../../plasma/position';
import {
  amountText,
  decodeJson,
  encodeJson,
  hexBytes,
  joinPosition,
  splitPosition,
  toHex,
} from './codec';
import { StoreError } from './errors';

describe('positions', () => {
  it('split into the three key columns and join back, for every v1 position', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 180_143_985_094n }),
        fc.bigInt({ min: 0n, max: 65_535n }),
        fc.bigInt({ min: 0n, max: 9_999n }),
        (blknum, txindex, oindex) => {
          const p = encodeUtxoPos({ blknum, txindex, oindex });
          const parts = splitPosition(p)!;
          expect(parts).toEqual([Number(blknum), Number(txindex), Number(oindex)]);
          expect(joinPosition(...parts)).toBe(p);
        },
      ),
    );
  });

  it('have no columns outside the v1 bounds', () => {
    expect(splitPosition(MAX_UTXO_POS)).toEqual([180_143_985_094, 65_535, 9_999]);
    for (const p of [
      -1n,
      0n,
      999_999_999n,
      MAX_UTXO_POS + 1n,
      1_000_000_000n + 65_536n * 10_000n,
    ]) {
      expect(splitPosition(p)).toBeUndefined();
    }
  });
});

describe('amounts', () => {
  it('are canonical decimal text between 1 and 2^256 − 1', () => {
    expect(amountText(1n)).toBe('1');
    expect(amountText((1n << 256n) - 1n)).toHaveLength(78);
    for (const bad of [0n, -1n, 1n << 256n]) expect(() => amountText(bad)).toThrow(StoreError);
  });
});

describe('hex', () => {
  it('converts exactly-sized 0x hex to bytes and back in lowercase', () => {
    expect(toHex(hexBytes('0xABcd', 2, 'thing'))).toBe('0xabcd');
    expect(toHex(new Uint8Array([1, 2]).subarray(1))).toBe('0x02');
  });

  it('refuses wrong lengths, missing 0x and non-hex digits, naming the value', () => {
    for (const bad of ['0xabc', 'abcd', '0xzzzz', '0xab', 12 as unknown as string]) {
      expect(() => hexBytes(bad, 2, 'block hash')).toThrow(
        /The block hash must be 0x followed by 4 hex digits/,
      );
    }
  });
});

describe('event JSON', () => {
  it('keeps bigints exact and writes bytes as hex', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }), fc.string(), (n, text) => {
        const back = decodeJson<{ n: bigint; nested: { list: bigint[] }; text: string }>(
          encodeJson({ n, nested: { list: [n, 0n] }, text }),
        );
        expect(back.n).toBe(n);
        expect(back.nested.list).toEqual([n, 0n]);
        if (!/^-?\d+n$/.test(text)) expect(back.text).toBe(text);
      }),
    );
    expect(
      decodeJson(encodeJson({ b: Buffer.from([0xde, 0xad]), u: new Uint8Array([1]) })),
    ).toEqual({
      b: '0xdead',
      u: '0x01',
    });
  });
});
