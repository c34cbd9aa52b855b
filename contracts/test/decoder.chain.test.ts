// The on-chain decoder and helpers (protocol.md §3.7, §4.1, §5, §6), run through LibHarness by
// eth_call: each strict-decoding rule reverts with its exact string, and valid data decodes, hashes
// and proves exactly as the TS protocol library computes it.
import fc from 'fast-check';
import { encodeRlp, zeroPadValue, toBeHex } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingDigest } from '../../src/plasma/eip712';
import { allProofs, depositBlockRoot } from '../../src/plasma/merkle';
import { encodePayment } from '../../src/plasma/tx';
import { inFlightExitId } from '../../src/plasma/ids';
import { bytesToHex } from '../../src/plasma/hex';
import type { Address, PaymentTx } from '../../src/plasma/types';
import { expectRevert, hexBytes, setupEnv, type Env } from './helpers';

let env: Env;
beforeAll(async () => {
  env = await setupEnv();
});
afterAll(async () => {
  await env?.anvil.stop();
});

const decode = (tx: string) => env.harness.getFunction('decodePayment')(tx);
const decodeGeneric = (tx: string) => env.harness.getFunction('decodeGeneric')(tx);

const OWNER = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const ZERO20 = '0x' + '00'.repeat(20);
const META = '0x' + '00'.repeat(32);
const POS = zeroPadValue(toBeHex(1_000_000_000n), 32);
const out = (o: { type?: unknown; data?: unknown } = {}) => [
  o.type ?? '0x01',
  o.data ?? [OWNER, ZERO20, '0x64'],
];
type Item = string | Item[];
function tx(
  f: {
    type?: Item;
    inputs?: Item;
    outputs?: Item;
    txData?: Item;
    meta?: Item;
    extra?: Item[];
  } = {},
): string {
  return encodeRlp([
    f.type ?? '0x01',
    f.inputs ?? [POS],
    f.outputs ?? [out() as Item],
    f.txData ?? '0x',
    f.meta ?? META,
    ...(f.extra ?? []),
  ]);
}

describe('strict RLP layer (R1–R6)', () => {
  it('the walk-through tx of §3.2 decodes', async () => {
    const t = tx();
    expect(t.slice(0, 6)).toBe('0xf874');
    const [txType, inputs, outputs, txData, meta] = (await decode(t)) as [
      bigint,
      string[],
      unknown[][],
      bigint,
      string,
    ];
    expect([txType, inputs, txData, meta]).toEqual([1n, [POS], 0n, META]);
    expect(outputs.map((o) => [...o])).toEqual([
      [1n, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', ZERO20, 100n],
    ]);
  });

  const cases: [string, string, string][] = [
    ['R1 empty input', '0x', 'Item is not a list'],
    ['R1 a string', '0x80', 'Item is not a list'],
    ['R2 trailing byte', tx() + '00', 'Decoded RLP length for list is invalid'],
    ['R2 truncated', tx().slice(0, -2), 'Decoded RLP length for list is invalid'],
    [
      'R3 item runs past the list',
      '0xc28201',
      'Invalid decoded length of RLP item found during counting items in a list',
    ],
    ['R4 81 05', '0xc28105', 'Invalid short string encoding'],
    [
      'R5 leading zero length',
      '0xc2b800',
      'Invalid leading zeros in length of the length for a long string',
    ],
    ['R5 short long string', '0xc3b80500', 'Invalid length for a long string'],
    [
      'R6 leading zero length',
      '0xf900030102',
      'Invalid leading zeros in length of the length for a long list',
    ],
    ['R6 short long list', '0xf803010203', 'Invalid length for a long list'],
  ];
  for (const [name, bytes, reason] of cases) {
    it(name, async () => {
      await expectRevert(decode(bytes), reason);
    });
  }
});

describe('payment field rules (F1–F20)', () => {
  const long34 = '0x' + '01'.repeat(34);
  const cases: [string, () => string, string][] = [
    [
      'F1 four items',
      () => encodeRlp(['0x01', [POS], [out() as Item], '0x']),
      'Invalid encoding of transaction',
    ],
    ['F1 six items', () => tx({ extra: ['0x'] }), 'Invalid encoding of transaction'],
    ['F2 txType is a list', () => tx({ type: [] }), 'Item must not be a list'],
    [
      'F3 txType of 34 bytes',
      () => tx({ type: long34 }),
      'Item length must be between 1 and 33 bytes',
    ],
    ['F4 zero as 00', () => tx({ type: '0x00' }), 'Scalar 0 should be encoded as 0x80'],
    ['F5 leading zeros', () => tx({ type: '0x0001' }), 'Leading zeros are invalid'],
    ['F6 txType 0', () => tx({ type: '0x' }), 'Transaction type must not be 0'],
    ['F7 outputs not a list', () => tx({ outputs: '0x01' }), 'Item is not a list'],
    ['F7 output not a list', () => tx({ outputs: ['0x01'] }), 'Item is not a list'],
    [
      'F7 output with 3 items',
      () => tx({ outputs: [[...(out() as Item[]), '0x']] }),
      'Output must have 2 items',
    ],
    [
      'F8 output type 0',
      () => tx({ outputs: [out({ type: '0x' }) as Item] }),
      'Output type must not be 0',
    ],
    [
      'F9 metadata of 31 bytes',
      () => tx({ meta: '0x' + '00'.repeat(31) }),
      'Item length must be 33',
    ],
    ['F9 metadata as a list', () => tx({ meta: [[]] }), 'Item length must be 33'],
    ['F10 inputs not a list', () => tx({ inputs: POS }), 'Item is not a list'],
    [
      'F11 five inputs',
      () => tx({ inputs: [POS, POS, POS, POS, POS] }),
      'Transaction inputs num exceeds limit',
    ],
    ['F12 no outputs', () => tx({ outputs: [] }), 'Transaction cannot have 0 outputs'],
    [
      'F13 five outputs',
      () => tx({ outputs: Array(5).fill(out()) as Item[] }),
      'Transaction outputs num exceeds limit',
    ],
    [
      'F14 input of 31 bytes',
      () => tx({ inputs: ['0x' + '01'.repeat(31)] }),
      'Item length must be 33',
    ],
    ['F15 null input', () => tx({ inputs: [META] }), 'Null input not allowed'],
    [
      'F16 output data not a list',
      () => tx({ outputs: [out({ data: '0x01' }) as Item] }),
      'Item is not a list',
    ],
    [
      'F16 output data of 2 items',
      () => tx({ outputs: [out({ data: [OWNER, ZERO20] }) as Item] }),
      'Output data must have 3 items',
    ],
    [
      'F17 guard of 19 bytes',
      () => tx({ outputs: [out({ data: [OWNER.slice(0, -2), ZERO20, '0x64'] }) as Item] }),
      'Item length must be 21',
    ],
    [
      'F17 ETH as empty string',
      () => tx({ outputs: [out({ data: [OWNER, '0x', '0x64'] }) as Item] }),
      'Item length must be 21',
    ],
    [
      'F18 amount 0',
      () => tx({ outputs: [out({ data: [OWNER, ZERO20, '0x'] }) as Item] }),
      'Output amount must not be 0',
    ],
    [
      'F19 guard 0',
      () => tx({ outputs: [out({ data: [ZERO20, ZERO20, '0x64'] }) as Item] }),
      'Output outputGuard must not be 0',
    ],
    ['F20 txData 1', () => tx({ txData: '0x01' }), 'txData must be 0'],
    ['F20 txData a list', () => tx({ txData: [] }), 'Item must not be a list'],
  ];
  for (const [name, bytes, reason] of cases) {
    it(name, async () => {
      await expectRevert(decode(bytes()), reason);
    });
  }

  it('the generic decoder stops after F9 (any input list, any output data)', async () => {
    const t = tx({
      type: '0x03',
      inputs: [POS, POS, POS, POS, POS],
      outputs: [out({ type: '0x02', data: '0x01' }) as Item],
      txData: '0x05',
    });
    expect(((await decodeGeneric(t)) as unknown[]).slice(0, 2)).toEqual([3n, 1n]);
    await expectRevert(decodeGeneric(tx({ meta: '0x01' })), 'Item length must be 33');
  });
});

describe('positions, Merkle proofs, ids and EIP-712 against the TS library', () => {
  it('position limits', async () => {
    const pos = env.harness.getFunction('decodePos');
    expect(await pos(4000050001n)).toEqual([4n, 5n, 1n]);
    expect(await pos(180143985094n * 1_000_000_000n + 65535n * 10_000n + 9999n)).toEqual([
      180143985094n,
      65535n,
      9999n,
    ]);
    await expectRevert(
      pos(180143985095n * 1_000_000_000n),
      'blockNum exceeds max size allowed in PlasmaFramework',
    );
    await expectRevert(pos(65536n * 10_000n), 'txIndex exceeds the size of uint16');
  });

  const addrArb = fc
    .uint8Array({ minLength: 20, maxLength: 20 })
    .map((b) => bytesToHex(b) as Address);
  const nonZeroAddr = addrArb.filter((a) => !/^0x0{40}$/.test(a));
  const paymentArb: fc.Arbitrary<PaymentTx> = fc.record({
    txType: fc.constant(1n),
    inputs: fc.array(
      fc
        .record({
          b: fc.bigInt({ min: 1n, max: 180143985094n }),
          t: fc.bigInt({ min: 0n, max: 65535n }),
          o: fc.bigInt({ min: 0n, max: 3n }),
        })
        .map(({ b, t, o }) => b * 1_000_000_000n + t * 10_000n + o),
      { maxLength: 4 },
    ),
    outputs: fc.array(
      fc.record({
        outputType: fc.constant(1n),
        outputGuard: nonZeroAddr,
        token: addrArb,
        amount: fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    txData: fc.constant(0n),
    metadata: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b)),
  });

  it('EIP-712 digests equal the library (§5)', async () => {
    await fc.assert(
      fc.asyncProperty(paymentArb, addrArb, async (p, verifyingContract) => {
        const bytes = bytesToHex(encodePayment(p));
        expect(await env.harness.getFunction('paymentDigest')(bytes, verifyingContract)).toBe(
          bytesToHex(signingDigest(p, verifyingContract)),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('Merkle proofs of the library verify on-chain, and only at their index and root (§6)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(paymentArb, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        async (txs, pick) => {
          const encoded = txs.map((t) => encodePayment(t));
          const { root, proofs } = allProofs(encoded);
          const i = pick % encoded.length;
          const check = env.harness.getFunction('checkMembership');
          const t = bytesToHex(encoded[i]!);
          expect(await check(t, i, bytesToHex(root), bytesToHex(proofs[i]!))).toBe(true);
          expect(await check(t, i + 1, bytesToHex(root), bytesToHex(proofs[i]!))).toBe(false);
          expect(await check(t, i, '0x' + '00'.repeat(32), bytesToHex(proofs[i]!))).toBe(false);
          expect(await env.harness.getFunction('depositRoot')(t)).toBe(
            bytesToHex(depositBlockRoot(encoded[i]!)),
          );
        },
      ),
      { numRuns: 15 },
    );
    const check = env.harness.getFunction('checkMembership');
    await expectRevert(check('0xc0', 0, META, '0x'), 'Merkle proof must not be empty');
    await expectRevert(
      check('0xc0', 0, META, '0x' + '00'.repeat(33)),
      'Length of Merkle proof must be a multiple of 32',
    );
    await expectRevert(
      check('0xc0', 2, META, '0x' + '00'.repeat(32)),
      'Index does not match the length of the proof',
    );
  });

  it('ExitId overflows for an output index above 255', async () => {
    const t = tx();
    await expectRevert(
      env.exitGame.getFunction('getStandardExitId')(false, t, 1_000_000_256n),
      'ExitId overflows',
    );
    expect(
      await env.exitGame.getFunction('getStandardExitId')(false, t, 1_000_000_255n),
    ).toBeTypeOf('bigint');
    expect(await env.exitGame.getFunction('getInFlightExitId')(t)).toBe(
      inFlightExitId(hexBytes(t)),
    );
  });
});
