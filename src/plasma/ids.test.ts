import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError } from './errors';
import { hexToBytes } from './hex';
import {
  VAULT_ID_ERC20,
  VAULT_ID_ETH,
  delegationKey,
  depositExitData,
  exitPriority,
  exitQueueKey,
  inFlightExitExitableAt,
  inFlightExitId,
  isStandardExitId,
  outputId,
  parseExitPriority,
  senderData,
  standardExitExitableAt,
  standardExitId,
  vaultIdForToken,
} from './ids';

// vectors-public.md §5, §7–§10
const D1 = hexToBytes(
  '0xf85b01c0f6f501f3949c7fc8601655b4e1ef395107217e6ed600f7ba48940000000000000000000000000000000000000000880de0b6b3a764000080a00000000000000000000000000000000000000000000000000000000000000000',
);
const D2 = hexToBytes(
  '0xf85501c0f0ef01ed9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef0000000000000000000000008201f480a00000000000000000000000000000000000000000000000000000000000000000',
);
const P1 = hexToBytes(
  '0xf8b301e1a0000000000000000000000000000000000000000000000000000000003b9aca00f86cf501f39470997970c51812dc3a010c7d01b50e0d17dc79c894000000000000000000000000000000000000000088058d15e176280000f501f3949c7fc8601655b4e1ef395107217e6ed600f7ba4894000000000000000000000000000000000000000088085013538c75800080a00000000000000000000000000000000000000000000000000000000000000000',
);
const P2 = hexToBytes(
  '0xf9017501f884a0000000000000000000000000000000000000000000000000000000e8d4a51000a0000000000000000000000000000000000000000000000000000000e8d4a51001a00000000000000000000000000000000000000000000000000000000077359400a000000000000000000000000000000000000000000000000000000000b2d05e00f8caf501f3943c44cdddb6a900fa2b585dd299e03d12fa4293bc940000000000000000000000000000000000000000880429d069189e0000ee01ec9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef00000000000000000000000081faf501f3949c7fc8601655b4e1ef395107217e6ed600f7ba48940000000000000000000000000000000000000000880853a0d2313c0000ee01ec9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef00000000000000000000000081fa80a0217a1ebbb9834c507bc3cf6bca6e98005aa44ba81572f89a922b83ed3215f122',
);
const ETH = '0x0000000000000000000000000000000000000000';

describe('output ids (§7.1)', () => {
  it('matches the public vectors, deposit and normal formulas', () => {
    expect(outputId(D1, 0n, 1000000000n, true)).toBe(
      '0xc24a53e24b5db14315e0ec30ea45e67e3c87e09fddc39577ec314b2f7f757bc4',
    );
    expect(outputId(D1, 0n, undefined, false)).toBe(
      '0x21274b8f3155a8d35bef650ab8bf99623225b4caf5209f0e60cef9d0a632a233',
    );
    expect(outputId(D2, 0n, 2000000000n, true)).toBe(
      '0x5e5018a1907068fdb53807d3c9a0c4a7d2335f9fb83ad4c3cd477b7201a0425b',
    );
    expect(outputId(P1, 0n, 1000000000000n, false)).toBe(
      '0x3e34227039784950783fd7cd4f95bff7e3c53f7364ac5804ee0a413e437b6e55',
    );
    expect(outputId(P1, 1n, undefined, false)).toBe(
      '0x49cbbb07175c8ff1e510c1590557513a8c053c9a291858f82ecb7e58c50e9b71',
    );
    expect(outputId(P2, 3n, undefined, false)).toBe(
      '0x2226d8889e8722c78b493ff85c3beec6b98f23410ea708d287b81a58822c4044',
    );
  });
  it('needs the position of a deposit output', () => {
    expect(() => outputId(D1, 0n, undefined, true)).toThrow(/pass the utxoPos/);
  });
});

describe('exit ids (§7.2)', () => {
  it('matches the public vectors', () => {
    expect(standardExitId(D1, 1000000000n, true)).toBe(
      1796747428487000569901315342540741943973999649n,
    );
    expect(standardExitId(D2, 2000000000n, true)).toBe(
      2823283913829463348150372443428653510534281052n,
    );
    expect(standardExitId(P1, 1000000000000n, false)).toBe(
      1361419231268259566821973814940183140866458095n,
    );
    expect(standardExitId(P1, 1000000000001n, false)).toBe(
      7070410002092099091055117692738163686397444591n,
    );
    expect(standardExitId(P2, 1000000010003n, false)).toBe(
      19465441881332107545601160799100679456617390470n,
    );
    expect(inFlightExitId(P1)).toBe(4215914616680179328938545753839173413631951343n);
    expect(inFlightExitId(P2)).toBe(5192964954272508735018301104605728092789924230n);
  });
  it('matches the plasma-contracts ExitId.test.js known answers', () => {
    // RLP[1, [input], [[1, [32 bytes of 0x11, 20 zero bytes, 100]]], 0, 32 zero bytes], built by hand
    const tx = (input: string) =>
      hexToBytes(
        '0xf88201e1a0' +
          input +
          'f83bf83901f7a0' +
          '11'.repeat(32) +
          '94' +
          '00'.repeat(20) +
          '6480a0' +
          '00'.repeat(32),
      );
    expect(standardExitId(tx('00'.repeat(32)), 1000000000n, true)).toBe(
      2618471380620942351245816409477262963327922870n,
    );
    const withPos = tx('00'.repeat(28) + '3b9aca00');
    expect(standardExitId(withPos, 123n, false)).toBe(
      702208493532374679784918666435922091245195446034n,
    );
    expect(inFlightExitId(withPos)).toBe(2857124106454338066358541405669474417649600274n);
  });
  it('shares bits 150…0 between a standard exit of a non-deposit output and the in-flight exit', () => {
    const mask = (1n << 151n) - 1n;
    expect(standardExitId(P1, 1000000000001n, false) & mask).toBe(inFlightExitId(P1) & mask);
    expect(isStandardExitId(standardExitId(P1, 1000000000001n, false))).toBe(true);
    expect(isStandardExitId(inFlightExitId(P1))).toBe(false);
  });
  it('reverts "ExitId overflows" above oindex 255 and rejects undecodable positions', () => {
    expect(standardExitId(P1, 1000000000255n, false) >> 152n).toBe(255n);
    try {
      standardExitId(P1, 1000000000256n, false);
      throw new Error('no error');
    } catch (e) {
      expect(isPlasmaError(e) && e.revert).toBe('ExitId overflows');
    }
    expect(() => standardExitId(P1, 180143985095n * 1000000000n, false)).toThrow(/180143985094/);
  });
});

describe('priorities (§7.3) and exitable timestamps (§7.4)', () => {
  const MEP = 604800n;
  const T1000 = 1700000000n;
  const now1 = 1700100000n;
  it('matches the scenario of vectors-public.md §9', () => {
    const p1 = standardExitExitableAt({
      isDeposit: false,
      blockTimestamp: T1000,
      now: now1,
      minExitPeriod: MEP,
    });
    expect(p1).toBe(1701209600n);
    expect(exitPriority(p1, 1000000000000n, standardExitId(P1, 1000000000000n, false))).toBe(
      0x001959998000000005f5e100003d0c5389e46b5430ac2951da839a08424001efn,
    );
    const d2 = standardExitExitableAt({
      isDeposit: true,
      blockTimestamp: 0n,
      now: now1,
      minExitPeriod: MEP,
    });
    expect(d2).toBe(1700704800n);
    expect(exitPriority(d2, 2000000000n, standardExitId(D2, 2000000000n, true))).toBe(
      44776279984928804123203635252327260963175205175736578083845015066171324252n,
    );
    // a utxoPos works as well as its tx position
    expect(exitPriority(p1, 1000000010003n, standardExitId(P2, 1000000010003n, false))).toBe(
      0x001959998000000005f5e1010368dc506b5eb116ad4dd2204ff78fcae5f7e186n,
    );
    const ife = inFlightExitExitableAt({
      youngestInputBlockTimestamp: T1000,
      now: 1700200000n,
      minExitPeriod: MEP,
    });
    expect(ife).toBe(1701209600n);
    expect(exitPriority(ife, 1000000000001n, inFlightExitId(P2))).toBe(
      44789570396137376186022775915414732448904641428729101404524451482796810630n,
    );
    // executed flow: D1 at 1700100001, bob's piggyback at 1700200010 on P1's IFE (input (1,0,0), block ts 1690001000)
    expect(exitPriority(1700704801n, 1000000000n, standardExitId(D1, 1000000000n, true))).toBe(
      0x001957ac88400000000186a0005091a6214e634717f2aada71bb5e66b9317421n,
    );
    const pb = inFlightExitExitableAt({
      youngestInputBlockTimestamp: 1690001000n,
      now: 1700200010n,
      minExitPeriod: MEP,
    });
    expect(pb).toBe(1700804810n);
    expect(exitPriority(pb, 1000000000n, inFlightExitId(P1))).toBe(
      0x0019580e32800000000186a000bd0c5389e46b5430ac2951da839a08424001efn,
    );
  });

  it('round-trips pack/unpack at the bounds', () => {
    const maxTxPos = 180143985094n * 1000000000n + 65535n * 10000n;
    const cases: [bigint, bigint, bigint][] = [
      [0n, 0n, 0n],
      [(1n << 42n) - 1n, maxTxPos, (1n << 160n) - 1n],
      [1n, 1000000000n, 1n << 151n],
    ];
    for (const [at, pos, id] of cases) {
      expect(parseExitPriority(exitPriority(at, pos, id))).toEqual({
        exitableAt: at,
        txPos: pos,
        exitId: id,
      });
    }
    expect(parseExitPriority((1n << 256n) - 1n)).toEqual({
      exitableAt: (1n << 42n) - 1n,
      txPos: ((1n << 54n) - 1n) * 10000n,
      exitId: (1n << 160n) - 1n,
    });
    expect(() => exitPriority(1n << 42n, 0n, 0n)).toThrow(/exitableAt/);
    expect(() => exitPriority(0n, 0n, 1n << 160n)).toThrow(/exit id/);
    expect(() => exitPriority(0n, (1n << 54n) * 10000n, 0n)).toThrow(/tx position/);
    expect(() => parseExitPriority(1n << 256n)).toThrow(/priority/);
  });

  it('round-trips random priorities', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 42n) - 1n }),
        fc.bigInt({ min: 0n, max: 180143985094n }),
        fc.bigInt({ min: 0n, max: 65535n }),
        fc.bigInt({ min: 0n, max: 9999n }),
        fc.bigInt({ min: 0n, max: (1n << 160n) - 1n }),
        (at, blk, tx, o, id) => {
          const pos = blk * 1000000000n + tx * 10000n + o;
          const parsed = parseExitPriority(exitPriority(at, pos, id));
          expect(parsed).toEqual({ exitableAt: at, txPos: pos - o, exitId: id });
        },
      ),
    );
  });

  it('round-trips random exit ids through the in-flight flag and oindex bits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.bigInt({ min: 0n, max: 255n }), (tx, o) => {
        const id = standardExitId(tx, 1000000000000n + o, false);
        expect(id >> 152n).toBe(o);
        expect(isStandardExitId(id)).toBe(true);
        expect(id < 1n << 160n).toBe(true);
        const ife = inFlightExitId(tx);
        expect(ife >> 151n).toBe(1n);
        expect(ife & ((1n << 151n) - 1n)).toBe(id & ((1n << 151n) - 1n));
      }),
    );
  });
});

describe('keys', () => {
  it('computes senderData (§10 of vectors-public.md)', () => {
    expect(senderData('0x9c7fc8601655b4e1ef395107217e6ed600f7ba48')).toBe(
      '0x51372d1b034cf5f51d084fcb23b7b953391bf86928c702e15514fcede10205d3',
    );
    expect(senderData('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')).toBe(
      '0x00314e565e0574cb412563df634608d76f5c59d9f817e85966100ec1d48005c0',
    );
    expect(senderData('0x2258a5279850f6fb78888a7e45ea2a5eb1b3c436')).toBe(
      '0xf6bbe4ecc96d537f03f3d5d2e43f7bb134954bc36997dc5085ba63b6d0f4eafc',
    );
  });
  it('computes exit queue keys as omg-js does (rootchain getExitQueue vectors)', () => {
    expect(vaultIdForToken(ETH)).toBe(VAULT_ID_ETH);
    expect(vaultIdForToken('0xd26114cd6ee289accf82350c8d8487fedb8a0c07')).toBe(VAULT_ID_ERC20);
    expect(exitQueueKey(VAULT_ID_ETH, ETH)).toBe(
      '0x6ac1b981b4452354ad8bd156fe151bcb91252dea9ed7232af4d0e64b50c09dcf',
    );
    expect(exitQueueKey(VAULT_ID_ERC20, '0xd26114cd6ee289accf82350c8d8487fedb8a0c07')).toBe(
      '0x65f6bf6d979cef62285ffaa04c97a70048e383d37ac3a1c014084a8e7d3e3306',
    );
    expect(delegationKey(1n, 1n, ETH)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe('deposit exit data', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
  ) as {
    deposit: {
      id: string;
      input: { blknum: number };
      expected: { txBytes: string; exitData: Record<string, string> };
    }[];
  };
  for (const c of vectors.deposit) {
    it(`reproduces ${c.id}.exitData`, () => {
      const data = depositExitData(hexToBytes(c.expected.txBytes), BigInt(c.input.blknum));
      expect({
        txbytes: data.txBytes,
        proof: data.proof,
        root: data.root,
        utxo_pos: data.utxoPos.toString(),
      }).toEqual(c.expected.exitData);
    });
  }
});
