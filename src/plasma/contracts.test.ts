import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, hexToBytes } from './hex';
import { depositProof, inclusionProof } from './merkle';
import { standardExitId } from './ids';
import {
  challengeStandardExitTx,
  decodeBlockResult,
  decodeHeapListResult,
  decodeInFlightExitsResult,
  decodeStandardExitsResult,
  depositEthTx,
  depositErc20Tx,
  erc20ApproveTx,
  exitsQueuesCall,
  paymentExitGameInterface,
  piggybackInFlightExitOnOutputTx,
  plasmaFrameworkInterface,
  priorityQueueInterface,
  processExitsTx,
  rootchainCall,
  startInFlightExitTx,
  startStandardExitTx,
  type OmgRootchainInput,
} from './contracts';

const SHARED_ABI = new URL('../../../shared/abi/', import.meta.url);
const OUR_ABI = new URL('./abi/', import.meta.url);

const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
) as { rootchain: { id: string; input: OmgRootchainInput; expected: unknown }[] };

const P1 =
  '0xf8b301e1a0000000000000000000000000000000000000000000000000000000003b9aca00f86cf501f39470997970c51812dc3a010c7d01b50e0d17dc79c894000000000000000000000000000000000000000088058d15e176280000f501f3949c7fc8601655b4e1ef395107217e6ed600f7ba4894000000000000000000000000000000000000000088085013538c75800080a00000000000000000000000000000000000000000000000000000000000000000';
const P2 =
  '0xf9017501f884a0000000000000000000000000000000000000000000000000000000e8d4a51000a0000000000000000000000000000000000000000000000000000000e8d4a51001a00000000000000000000000000000000000000000000000000000000077359400a000000000000000000000000000000000000000000000000000000000b2d05e00f8caf501f3943c44cdddb6a900fa2b585dd299e03d12fa4293bc940000000000000000000000000000000000000000880429d069189e0000ee01ec9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef00000000000000000000000081faf501f3949c7fc8601655b4e1ef395107217e6ed600f7ba48940000000000000000000000000000000000000000880853a0d2313c0000ee01ec9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef00000000000000000000000081fa80a0217a1ebbb9834c507bc3cf6bca6e98005aa44ba81572f89a922b83ed3215f122';
const D1 =
  '0xf85b01c0f6f501f3949c7fc8601655b4e1ef395107217e6ed600f7ba48940000000000000000000000000000000000000000880de0b6b3a764000080a00000000000000000000000000000000000000000000000000000000000000000';
const ALICE_VC2_SIG_P1 =
  '0x843282780705b2c347dd6e9744128a50c8dbd4a07c7f86e7be5b26461fd2b9077d5b98bac44dc030b0e964eb2e4e4fe77b7fd3bda602f15dffb04f3306276e411b';
const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const GAME = '0x3333333333333333333333333333333333333333';
const FRAMEWORK = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const ETH = '0x0000000000000000000000000000000000000000';
const calldataHash = (data: string) => bytesToHex(keccak_256(hexToBytes(data)));

describe('ABIs', () => {
  it('are byte-identical copies of shared/abi, so the app never drifts from the contracts', () => {
    const shared = readdirSync(SHARED_ABI)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const ours = readdirSync(OUR_ABI)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(ours).toEqual(shared);
    expect(shared).toHaveLength(5);
    for (const f of shared) {
      expect(readFileSync(new URL(f, OUR_ABI), 'utf8'), f).toBe(
        readFileSync(new URL(f, SHARED_ABI), 'utf8'),
      );
    }
  });

  it('give the selectors of protocol.md §14', () => {
    const sel = (i: typeof plasmaFrameworkInterface, name: string) => i.getFunction(name)!.selector;
    expect(sel(paymentExitGameInterface, 'startStandardExit')).toBe('0x70e01462');
    expect(sel(paymentExitGameInterface, 'challengeStandardExit')).toBe('0xdf2933e2');
    expect(sel(paymentExitGameInterface, 'startInFlightExit')).toBe('0x5a528514');
    expect(sel(paymentExitGameInterface, 'piggybackInFlightExitOnInput')).toBe('0xe5bc60c7');
    expect(sel(paymentExitGameInterface, 'piggybackInFlightExitOnOutput')).toBe('0xa4a25441');
    expect(sel(paymentExitGameInterface, 'challengeInFlightExitNotCanonical')).toBe('0xe8362298');
    expect(sel(paymentExitGameInterface, 'respondToNonCanonicalChallenge')).toBe('0x36660de4');
    expect(sel(paymentExitGameInterface, 'challengeInFlightExitInputSpent')).toBe('0xb9a3a28e');
    expect(sel(paymentExitGameInterface, 'challengeInFlightExitOutputSpent')).toBe('0x2c3bad95');
    expect(sel(paymentExitGameInterface, 'deleteNonPiggybackedInFlightExit')).toBe('0xb3c2ec76');
    expect(sel(paymentExitGameInterface, 'inFlightExits')).toBe('0xcec9e1a7');
    expect(sel(plasmaFrameworkInterface, 'processExits')).toBe('0xd9aa4b24');
    expect(sel(plasmaFrameworkInterface, 'flagOutputFinalized')).toBe('0x72d72e38');
    expect(sel(plasmaFrameworkInterface, 'outputsFinalizations')).toBe('0x77672b5e');
    expect(sel(priorityQueueInterface, 'heapList')).toBe('0x446b2f88');
    expect(plasmaFrameworkInterface.getEvent('ExitQueued')!.topicHash).toBe(
      '0xe15a4f223f922b625f5fdd941101a23fa0c097e522233d47a7cbea2167e92701',
    );
  });
});

describe('call data of vectors-public.md §13', () => {
  it('processExits(1, 0x0, 0, 10)', () => {
    expect(
      processExitsTx(FRAMEWORK, { token: ETH, topExitId: 0n, maxExitsToProcess: 10n }).data,
    ).toBe('0xd9aa4b24' + '1'.padStart(64, '0') + '0'.repeat(128) + 'a'.padStart(64, '0'));
  });
  it('piggybackInFlightExitOnOutput((P1, 0))', () => {
    const r = piggybackInFlightExitOnOutputTx(GAME, {
      inFlightTx: P1,
      outputIndex: 0n,
      bond: 28000000000000000n,
    });
    expect(r.value).toBe(28000000000000000n);
    expect(r.data).toBe(
      '0xa4a2544100000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000b5' +
        P1.slice(2) +
        '0'.repeat(22),
    );
  });
  it('startStandardExit, challengeStandardExit and startInFlightExit accepted by the v1.0.5 deployment', () => {
    const proofP1 = inclusionProof([hexToBytes(P1), hexToBytes(P2)], 0);
    const se = startStandardExitTx(GAME, {
      utxoPos: 1000000000000n,
      outputTx: P1,
      outputTxInclusionProof: proofP1,
      bond: 14000000000000000n,
    });
    expect((se.data.length - 2) / 2).toBe(900);
    expect(calldataHash(se.data)).toBe(
      '0x1ea4b4775ee12b4cf22c89a60b41d9632984c15ab77bb493648a6d9dd02f0e3d',
    );
    const ch = challengeStandardExitTx(GAME, {
      exitId: standardExitId(hexToBytes(D1), 1000000000n, true),
      exitingTx: D1,
      challengeTx: P1,
      inputIndex: 0n,
      witness: ALICE_VC2_SIG_P1,
      sender: BOB,
    });
    expect((ch.data.length - 2) / 2).toBe(708);
    expect(calldataHash(ch.data)).toBe(
      '0x67c107741dce6214735b3dd5ccaceecf7facab5dc3403aacec023b9fce8fab6d',
    );
    const ife = startInFlightExitTx(GAME, {
      inFlightTx: P1,
      inputTxs: [D1],
      inputUtxosPos: [1000000000n],
      inputTxsInclusionProofs: [depositProof()],
      inFlightTxWitnesses: [ALICE_VC2_SIG_P1],
      bond: 37000000000000000n,
    });
    expect((ife.data.length - 2) / 2).toBe(1476);
    expect(calldataHash(ife.data)).toBe(
      '0x54741c854fbacad8db46684fbb7ee6d6e3883228ff27f7a9819b98019d888a87',
    );
  });
  it('deposits, approve and queue lookups', () => {
    const eth = depositEthTx('0x1111111111111111111111111111111111111111', {
      owner: BOB,
      amount: 5n,
    });
    expect(eth.value).toBe(5n);
    expect(eth.data.startsWith('0x98b1e06a')).toBe(true);
    expect(
      depositErc20Tx('0x2222222222222222222222222222222222222222', {
        owner: BOB,
        token: '0x0123456789abcdef000000000000000000000000',
        amount: 500n,
      }).value,
    ).toBeUndefined();
    expect(() =>
      depositErc20Tx('0x2222222222222222222222222222222222222222', {
        owner: BOB,
        token: ETH,
        amount: 1n,
      }),
    ).toThrow(/EthVault/);
    expect(() =>
      depositEthTx('0x1111111111111111111111111111111111111111', { owner: BOB, amount: 0n }),
    ).toThrow(/greater than zero/);
    expect(erc20ApproveTx('0x0123456789abcdef000000000000000000000000', GAME, 1n).to).toBe(
      '0x0123456789abcdef000000000000000000000000',
    );
    expect(exitsQueuesCall(FRAMEWORK, ETH).data).toBe(
      '0x3701b5ca6ac1b981b4452354ad8bd156fe151bcb91252dea9ed7232af4d0e64b50c09dcf',
    );
  });
});

describe('result decoders', () => {
  it('decode blocks, heapList, standardExits and full in-flight exit records', () => {
    const root = '0x' + 'ab'.repeat(32);
    expect(
      decodeBlockResult(
        plasmaFrameworkInterface.encodeFunctionResult('blocks', [root, 1700000000n]),
      ),
    ).toEqual({
      root,
      timestamp: 1700000000n,
    });
    expect(
      decodeHeapListResult(priorityQueueInterface.encodeFunctionResult('heapList', [[0n, 5n, 3n]])),
    ).toEqual([5n, 3n]);
    const alice = '0x9c7fc8601655b4e1ef395107217e6ed600f7ba48';
    const se = paymentExitGameInterface.encodeFunctionResult('standardExits', [
      [[true, 1000000000n, root, alice, 10n ** 18n, 14000000000000000n]],
    ]);
    expect(decodeStandardExitsResult(se)).toEqual([
      {
        exitable: true,
        utxoPos: 1000000000n,
        outputId: root,
        exitTarget: alice,
        amount: 10n ** 18n,
        bondSize: 14000000000000000n,
      },
    ]);
    const empty = ['0x' + '00'.repeat(32), ETH, ETH, 0n, 0n];
    const slot = [root, alice, ETH, 10n ** 18n, 28000000000000000n];
    const record = [
      true,
      1700200000n,
      17n,
      1000000000n,
      [slot, empty, empty, empty],
      [slot, empty, empty, empty],
      alice,
      37000000000000000n,
      0n,
    ];
    const ife = paymentExitGameInterface.encodeFunctionResult('inFlightExits', [[record, record]]);
    expect((ife.length - 2) / 64).toBe(2 + 2 * 47);
    const decoded = decodeInFlightExitsResult(ife);
    expect(decoded).toHaveLength(2);
    expect(decoded[1]!.exitMap).toBe(17n);
    expect(decoded[1]!.outputs[0]!.piggybackBondSize).toBe(28000000000000000n);
    expect(decoded[1]!.bondOwner).toBe(alice);
    expect(() => decodeBlockResult('0x')).toThrow(/does not decode/);
  });
});

describe('omg-js RootChain vectors', () => {
  for (const c of vectors.rootchain) {
    it(`reproduces ${c.id} bit-exact`, () => {
      expect(rootchainCall(c.input)).toEqual(c.expected);
    });
  }
  it('rejects an unknown method', () => {
    expect(() => rootchainCall({ ...vectors.rootchain[0]!.input, method: 'nope' })).toThrow(
      /Unknown omg-js/,
    );
  });
});
