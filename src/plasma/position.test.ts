import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError, REVERT, type PlasmaError } from './errors';
import { bytesToHex } from './hex';
import {
  CHILD_BLOCK_INTERVAL,
  decodeUtxoPos,
  encodeUtxoPos,
  isDepositBlknum,
  isValidUtxoPos,
  MAX_BLKNUM,
  MAX_OINDEX,
  MAX_TXINDEX,
  MAX_UTXO_POS,
  splitPositionInto,
  txPos,
  utxoPosToWord,
} from './position';

interface PosVector {
  id: string;
  quirk?: string;
  input: { blknum: number | string; txindex: number; oindex: number };
  expected: {
    utxoPos: string;
    utxoPosHex32: string;
    decoded: { blknum: number; txindex: number; oindex: number } | { error: string };
  };
}
const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
  ) as { utxoPos: PosVector[] }
).utxoPos;
const publicMd = readFileSync(
  new URL('../../../shared/spec/vectors-public.md', import.meta.url),
  'utf8',
);

const parts = (v: PosVector['input']) => ({
  blknum: BigInt(v.blknum),
  txindex: BigInt(v.txindex),
  oindex: BigInt(v.oindex),
});

function failure(f: () => unknown): PlasmaError {
  try {
    f();
  } catch (e) {
    if (isPlasmaError(e)) return e;
    throw e;
  }
  throw new Error('expected a PlasmaError');
}

// Vectors omg-js computes arithmetically but the v1 contracts cannot decode: txindex above 65535
// (utxoPos-fixed-3, not marked as a quirk) and block numbers beyond 180143985094 (the quirks).
const inBounds = (v: PosVector) => {
  const p = parts(v.input);
  return p.blknum <= MAX_BLKNUM && p.txindex <= MAX_TXINDEX && p.oindex <= MAX_OINDEX;
};

describe('utxoPos vectors', () => {
  it.each(vectors.filter(inBounds).map((v) => [v.id, v] as const))('%s bit-exact', (_id, v) => {
    const pos = encodeUtxoPos(parts(v.input));
    expect(pos.toString()).toBe(v.expected.utxoPos);
    expect(bytesToHex(utxoPosToWord(pos))).toBe(v.expected.utxoPosHex32);
    const d = decodeUtxoPos(pos);
    expect({
      blknum: Number(d.blknum),
      txindex: Number(d.txindex),
      oindex: Number(d.oindex),
    }).toEqual(v.expected.decoded);
  });

  it.each(vectors.filter((v) => !inBounds(v)).map((v) => [v.id, v] as const))(
    '%s is outside the v1 bounds and rejected with the contract revert string',
    (_id, v) => {
      const p = parts(v.input);
      const expectedRevert = p.blknum > MAX_BLKNUM ? REVERT.POS_BLKNUM : REVERT.POS_TXINDEX;
      for (const f of [
        () => encodeUtxoPos(p),
        () => decodeUtxoPos(BigInt(v.expected.utxoPos)),
        () => utxoPosToWord(BigInt(v.expected.utxoPos)),
      ]) {
        const e = failure(f);
        expect(e.code).toBe('invalid_position');
        expect(e.revert).toBe(expectedRevert);
        expect(e.message).toMatch(/180143985094|65535/);
      }
    },
  );

  it('the quirk cases are among the rejected ones', () => {
    const quirks = vectors.filter((v) => v.quirk);
    expect(quirks.length).toBeGreaterThan(0);
    for (const q of quirks) expect(inBounds(q)).toBe(false);
  });
});

describe('spec/vectors-public.md §4 positions', () => {
  const rows = [
    ...publicMd.matchAll(/^\| \((\d+), (\d+), (\d+)\) \| (\d+) \| `(0x[0-9a-f]{64})` \|$/gm),
  ];
  it('parsed the table', () => expect(rows).toHaveLength(9));
  it.each(rows.map((m) => [m[0], m] as const))('%s', (_row, m) => {
    const pos = encodeUtxoPos({
      blknum: BigInt(m[1]!),
      txindex: BigInt(m[2]!),
      oindex: BigInt(m[3]!),
    });
    expect(pos).toBe(BigInt(m[4]!));
    expect(bytesToHex(utxoPosToWord(pos))).toBe(m[5]);
  });
  it('the largest decodable position is MAX_UTXO_POS', () => {
    expect(MAX_UTXO_POS).toBe(180143985094655359999n);
  });
});

describe('bounds', () => {
  it('round-trips at the bounds and rejects just past them', () => {
    const max = { blknum: MAX_BLKNUM, txindex: MAX_TXINDEX, oindex: MAX_OINDEX };
    expect(decodeUtxoPos(encodeUtxoPos(max))).toEqual(max);
    expect(decodeUtxoPos(0n)).toEqual({ blknum: 0n, txindex: 0n, oindex: 0n });
    expect(failure(() => encodeUtxoPos({ ...max, blknum: MAX_BLKNUM + 1n })).revert).toBe(
      REVERT.POS_BLKNUM,
    );
    expect(failure(() => encodeUtxoPos({ ...max, txindex: MAX_TXINDEX + 1n })).revert).toBe(
      REVERT.POS_TXINDEX,
    );
    expect(failure(() => encodeUtxoPos({ ...max, oindex: MAX_OINDEX + 1n })).revert).toBe(
      REVERT.POS_OINDEX,
    );
    expect(failure(() => encodeUtxoPos({ ...max, oindex: -1n })).code).toBe('invalid_position');
    expect(failure(() => decodeUtxoPos(MAX_UTXO_POS + 1n)).revert).toBe(REVERT.POS_TXINDEX);
    expect(failure(() => decodeUtxoPos((MAX_BLKNUM + 1n) * 1_000_000_000n)).revert).toBe(
      REVERT.POS_BLKNUM,
    );
    expect(failure(() => decodeUtxoPos(-1n)).code).toBe('invalid_position');
    expect(failure(() => decodeUtxoPos(1_000_000_000n + 65_536n * 10_000n)).revert).toBe(
      REVERT.POS_TXINDEX,
    );
    expect(failure(() => encodeUtxoPos({ blknum: 1, txindex: 0n, oindex: 0n } as never)).code).toBe(
      'invalid_position',
    );
  });

  it('property: every in-bound triple round-trips; every out-of-bound one is rejected', () => {
    const inRange = fc.record({
      blknum: fc.bigInt({ min: 0n, max: MAX_BLKNUM }),
      txindex: fc.bigInt({ min: 0n, max: MAX_TXINDEX }),
      oindex: fc.bigInt({ min: 0n, max: MAX_OINDEX }),
    });
    fc.assert(
      fc.property(inRange, (p) => {
        const pos = encodeUtxoPos(p);
        expect(decodeUtxoPos(pos)).toEqual(p);
        expect(isValidUtxoPos(pos)).toBe(true);
        expect(txPos(pos)).toBe(encodeUtxoPos({ ...p, oindex: 0n }));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (pos) => {
        let ok = true;
        try {
          decodeUtxoPos(pos);
        } catch (e) {
          expect(isPlasmaError(e) && e.code === 'invalid_position').toBe(true);
          ok = false;
        }
        expect(ok).toBe(isValidUtxoPos(pos));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('block numbers', () => {
  it('tells deposit blocks from child blocks', () => {
    expect(CHILD_BLOCK_INTERVAL).toBe(1000n);
    expect(isDepositBlknum(1n)).toBe(true);
    expect(isDepositBlknum(999n)).toBe(true);
    expect(isDepositBlknum(1000n)).toBe(false);
    expect(isDepositBlknum(1001n)).toBe(true);
    expect(isDepositBlknum(2000n)).toBe(false);
    expect(isDepositBlknum(20n, 10n)).toBe(false);
  });
});

describe('splitPositionInto', () => {
  const split = (pos: bigint): number[] => {
    const out = [0, 0, 0, 0, 0];
    splitPositionInto(pos, out, 1);
    expect(out[0]).toBe(0);
    expect(out[4]).toBe(0);
    return out.slice(1, 4);
  };
  const parts = (pos: bigint): number[] => {
    const p = decodeUtxoPos(pos);
    return [Number(p.blknum), Number(p.txindex), Number(p.oindex)];
  };

  it('agrees with decodeUtxoPos on either side of 2^53 and around every multiple of 10^9 there', () => {
    const edge = BigInt(Number.MAX_SAFE_INTEGER);
    for (const base of [0n, 1_000_000_000n, edge - 3_000_000_000n, edge - 1_000_000_000n, edge])
      for (const delta of [-2n, -1n, 0n, 1n, 2n, 999_999_999n, 1_000_000_000n, 1_000_000_001n]) {
        const pos = base + delta;
        if (pos < 0n || pos > MAX_UTXO_POS || !isValidUtxoPos(pos)) continue;
        expect(split(pos)).toEqual(parts(pos));
      }
    // The last output position of every block near 2^53.
    for (let blknum = 9_007_000n; blknum <= 9_007_200n; blknum++) {
      const pos = encodeUtxoPos({ blknum, txindex: 65_535n, oindex: 9_999n });
      expect(split(pos)).toEqual(parts(pos));
    }
    expect(split(MAX_UTXO_POS)).toEqual(parts(MAX_UTXO_POS));
  });

  it('property: agrees with decodeUtxoPos over the whole v1 range', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_BLKNUM }),
        fc.bigInt({ min: 0n, max: MAX_TXINDEX }),
        fc.bigInt({ min: 0n, max: MAX_OINDEX }),
        (blknum, txindex, oindex) => {
          const pos = encodeUtxoPos({ blknum, txindex, oindex });
          expect(split(pos)).toEqual([Number(blknum), Number(txindex), Number(oindex)]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
