import { Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { paymentExitGameInterface, plasmaFrameworkInterface } from '../../plasma/contracts';
import { senderData } from '../../plasma/ids';
import { ETH_TOKEN } from '../../plasma/types';
import { signEthereumTx } from './ethereum-tx';
import { challengeExitStep, planStandardExit, processExitsStep } from './exit-tx';
import { isWalletError } from './errors';
import { createVault } from './vault';

const FRAMEWORK = '0x1111111111111111111111111111111111111111';
const GAME = '0x2222222222222222222222222222222222222222';
const TOKEN = '0x3333333333333333333333333333333333333333';
const ME = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const TX_BYTES = '0xf8c0aabbcc';
const PROOF = '0x' + '00'.repeat(32 * 16);

const exitArgs = (over: Partial<Parameters<typeof planStandardExit>[0]> = {}) => ({
  framework: FRAMEWORK,
  exitGame: GAME,
  token: ETH_TOKEN,
  hasExitQueue: true,
  utxoPos: 3_000_000_000n,
  txBytes: TX_BYTES,
  proof: PROOF,
  bond: 14_000_000_000_000_000n,
  ...over,
});

describe('planStandardExit', () => {
  it('starts the exit with the bond as value and the exit data as the call', () => {
    const steps = planStandardExit(exitArgs());
    expect(steps.map((s) => s.kind)).toEqual(['start_standard_exit']);
    const { request } = steps[0]!;
    expect(request.to).toBe(GAME);
    expect(request.value).toBe(14_000_000_000_000_000n);
    const [args] = paymentExitGameInterface.decodeFunctionData('startStandardExit', request.data);
    expect(args[0]).toBe(3_000_000_000n);
    expect(args[1]).toBe(TX_BYTES);
    expect(args[2]).toBe(PROOF);
  });

  it('opens a missing exit queue first, for the token’s vault', () => {
    const steps = planStandardExit(exitArgs({ token: TOKEN, hasExitQueue: false }));
    expect(steps.map((s) => s.kind)).toEqual(['add_exit_queue', 'start_standard_exit']);
    expect(steps[0]!.request.to).toBe(FRAMEWORK);
    expect(steps[0]!.request.value).toBeUndefined();
    const [vaultId, token] = plasmaFrameworkInterface.decodeFunctionData(
      'addExitQueue',
      steps[0]!.request.data,
    );
    expect(vaultId).toBe(2n);
    expect(String(token).toLowerCase()).toBe(TOKEN);
  });

  it('refuses a zero bond, a bad token and malformed exit data with the wallet’s error', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isWalletError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => planStandardExit(exitArgs({ bond: 0n })))).toBe('invalid_amount');
    expect(code(() => planStandardExit(exitArgs({ token: 'eth' })))).toBe('invalid_address');
    expect(code(() => planStandardExit(exitArgs({ txBytes: '0xabc' })))).toBe('invalid_argument');
    expect(code(() => planStandardExit(exitArgs({ utxoPos: -1n })))).toBe('invalid_argument');
  });
});

describe('challengeExitStep', () => {
  it('encodes the challenge with the sender’s senderData and no value', () => {
    const step = challengeExitStep({
      exitGame: GAME,
      exitId: 123n,
      exitingTx: '0x01',
      challengeTx: '0x02',
      inputIndex: 1,
      sig: '0x' + 'ab'.repeat(65),
      sender: ME,
    });
    expect(step.request.to).toBe(GAME);
    expect(step.request.value).toBeUndefined();
    const [args] = paymentExitGameInterface.decodeFunctionData(
      'challengeStandardExit',
      step.request.data,
    );
    expect(args[0]).toBe(123n);
    expect(args[1]).toBe('0x01');
    expect(args[2]).toBe('0x02');
    expect(args[3]).toBe(1n);
    expect(args[4]).toBe('0x' + 'ab'.repeat(65));
    expect(args[5]).toBe(senderData(ME));
  });

  it('refuses an input index outside 0..4', () => {
    expect(() =>
      challengeExitStep({
        exitGame: GAME,
        exitId: 1n,
        exitingTx: '0x01',
        challengeTx: '0x02',
        inputIndex: 5,
        sig: '0x',
        sender: ME,
      }),
    ).toThrow(/input index/);
  });
});

describe('processExitsStep', () => {
  it('processes from the head of the token’s queue, as many as asked', () => {
    const step = processExitsStep({ framework: FRAMEWORK, token: TOKEN, count: 3 });
    const [vaultId, token, top, max] = plasmaFrameworkInterface.decodeFunctionData(
      'processExits',
      step.request.data,
    );
    expect([vaultId, String(token).toLowerCase(), top, max]).toEqual([2n, TOKEN, 0n, 3n]);
    expect(() => processExitsStep({ framework: FRAMEWORK, token: TOKEN, count: 0 })).toThrow();
  });

  it('signs like any renderer transaction: the bond travels as the value', async () => {
    const vault = await createVault('exit tx password', { scryptN: 1 << 4 });
    const me = vault.importPrivateKey(KEY, 'Me').address;
    const [step] = planStandardExit(exitArgs());
    const signed = signEthereumTx(vault.signer(me), step!.request, {
      fee: { chainId: 31337, maxFeePerGas: '2000000000', maxPriorityFeePerGas: '1000000000' },
      nonce: 4,
      gasLimit: 300_000n,
    });
    const parsed = Transaction.from(signed.raw);
    expect(parsed.from!.toLowerCase()).toBe(me);
    expect(parsed.value).toBe(14_000_000_000_000_000n);
    expect(parsed.to!.toLowerCase()).toBe(GAME);
    expect(parsed.data).toBe(step!.request.data);
  });
});
