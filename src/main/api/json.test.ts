import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './json';

describe('exact JSON', () => {
  it('prints bigints as bare integers and parses them back without rounding', () => {
    const utxoPos = 180143985094000000000n;
    const amount = 2n ** 256n - 1n;
    const text = stringifyJson({ utxo_pos: utxoPos, amount, small: 5, note: 'x' });
    expect(text).toBe(`{"utxo_pos":${utxoPos},"amount":${amount},"small":5,"note":"x"}`);
    expect(parseJson(text)).toEqual({ utxo_pos: utxoPos, amount, small: 5, note: 'x' });
  });

  it('leaves strings that look like the marker alone', () => {
    const tricky = { s: 'bigint-abc:12', t: '\u0000bigint:12' };
    expect(parseJson(stringifyJson(tricky))).toEqual(tricky);
  });

  it('keeps safe integers and floats as numbers', () => {
    expect(parseJson('[9007199254740991, 1.5, -3, 1e3]')).toEqual([
      9007199254740991, 1.5, -3, 1000,
    ]);
    expect(parseJson('9007199254740993')).toBe(9007199254740993n);
  });

  it('throws SyntaxError on malformed input', () => {
    expect(() => parseJson('{"a":')).toThrow(SyntaxError);
  });
});
