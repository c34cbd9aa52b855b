// PlasmaFramework (protocol.md §9): getters, block controller, registries with quarantine, exit
// queues, finalization flags and the mutex, with every revert string of Appendix A that a caller
// can reach.
import { ZeroAddress, ZeroHash } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import { deployContract } from '../deploy';
import { increaseTime } from '../testing/anvil';
import {
  ETH,
  MEP,
  contractAt,
  expectRevert,
  expectRevertWithoutReason,
  mined,
  queueKey,
  useFreshChainPerTest,
  type Env,
} from './helpers';

const chain = useFreshChainPerTest();
let env: Env;
beforeEach(() => {
  env = chain();
});

const fn = (name: string) => env.framework.getFunction(name);
const asAuthority = () => env.as(env.framework, env.authority);
const asUser = (i = 0) => env.as(env.framework, env.users[i]!);

describe('constructor and getters', () => {
  it('exposes the constants, roles and initial counters', async () => {
    expect(await fn('CHILD_BLOCK_INTERVAL')()).toBe(1000n);
    expect(await fn('childBlockInterval')()).toBe(1000n);
    expect(await fn('minExitPeriod')()).toBe(MEP);
    expect(await fn('authority')()).toBe(env.authority.address);
    expect(await fn('getMaintainer')()).toBe(env.maintainer.address);
    expect(await fn('isChildChainActivated')()).toBe(true);
    expect(await fn('nextChildBlock')()).toBe(1000n);
    expect(await fn('nextDeposit')()).toBe(1n);
    expect(await fn('nextDepositBlock')()).toBe(1n);
    expect(await fn('version')()).toBe('1.0.5+test000');
    expect(await fn('getVersion')()).toBe('1.0.5+test000');
    const a = env.deployment.addresses;
    expect(await fn('vaults')(1n)).toBe(a.ethVault);
    expect(await fn('vaults')(2n)).toBe(a.erc20Vault);
    expect(await fn('vaults')(3n)).toBe(ZeroAddress);
    expect(await fn('vaultToId')(a.erc20Vault)).toBe(2n);
    expect(await fn('exitGames')(1n)).toBe(a.paymentExitGame);
    expect(await fn('exitGameToTxType')(a.paymentExitGame)).toBe(1n);
    expect(await fn('exitGames')(3n)).toBe(a.feeExitGame);
    expect(await fn('protocols')(1n)).toBe(2n);
    expect(await fn('protocols')(2n)).toBe(0n);
    expect(await fn('isExitGameSafeToUse')(a.paymentExitGame)).toBe(true);
    expect(await fn('isExitGameSafeToUse')(a.ethVault)).toBe(false);
    const [root, ts] = (await fn('blocks')(1000n)) as [string, bigint];
    expect([root, ts]).toEqual([ZeroHash, 0n]);
  });

  it('returns the deployment tx and block of the framework', async () => {
    const receipt = await env.provider.getTransactionReceipt(env.deployment.frameworkDeployTxHash);
    expect(receipt?.contractAddress).toBe(env.deployment.addresses.plasmaFramework);
    expect(receipt?.blockNumber).toBe(env.deployment.frameworkDeployBlock);
  });

  it('setVersion is maintainer-only', async () => {
    await expectRevert(asUser().getFunction('setVersion')('x'), 'Caller address is unauthorized');
    await mined(fn('setVersion')('1.0.5+abcdef0'));
    expect(await fn('getVersion')()).toBe('1.0.5+abcdef0');
  });
});

describe('block controller', () => {
  it('activateChildChain only by the authority, only once', async () => {
    const fw = await deployContract('PlasmaFramework', env.maintainer, [
      MEP,
      2n,
      2n,
      env.authority.address,
      env.maintainer.address,
    ]);
    const fresh = fw.contract;
    expect(await fresh.getFunction('isChildChainActivated')()).toBe(false);
    await expectRevert(
      env.as(fresh, env.authority).getFunction('submitBlock')(ZeroHash),
      'Child chain has not been activated by authority address yet',
    );
    await expectRevert(
      env.as(fresh, env.users[0]!).getFunction('activateChildChain')(),
      'Caller address is unauthorized',
    );
    const r = await mined(env.as(fresh, env.authority).getFunction('activateChildChain')());
    const ev = fresh.interface.parseLog(r.logs[0]!);
    expect(ev?.name).toBe('ChildChainActivated');
    expect(ev?.args[0]).toBe(env.authority.address);
    await expectRevert(
      env.as(fresh, env.authority).getFunction('activateChildChain')(),
      'Child chain already activated',
    );
  });

  it('submitBlock: only the authority; stores root and timestamp, advances by 1000, emits BlockSubmitted', async () => {
    const root = '0x' + '11'.repeat(32);
    await expectRevert(asUser().getFunction('submitBlock')(root), 'Caller address is unauthorized');
    await expectRevert(fn('submitBlock')(root), 'Caller address is unauthorized');
    const r = await mined(asAuthority().getFunction('submitBlock')(root));
    const ev = env.framework.interface.parseLog(r.logs[0]!);
    expect(ev?.name).toBe('BlockSubmitted');
    expect(ev?.args[0]).toBe(1000n);
    const [storedRoot, ts] = (await fn('blocks')(1000n)) as [string, bigint];
    expect(storedRoot).toBe(root);
    expect(ts).toBe(BigInt((await env.provider.getBlock(r.blockNumber))!.timestamp));
    expect(await fn('nextChildBlock')()).toBe(2000n);
    expect(await fn('isDeposit')(1000n)).toBe(false);
  });

  it('Q17: a zero root is accepted and stored as is', async () => {
    await mined(asAuthority().getFunction('submitBlock')(ZeroHash));
    const [root, ts] = (await fn('blocks')(1000n)) as [string, bigint];
    expect(root).toBe(ZeroHash);
    expect(ts > 0n).toBe(true);
  });

  it('isDeposit reverts for an unknown block', async () => {
    await expectRevert(fn('isDeposit')(5n), 'Block does not exist');
  });

  it('submitDepositBlock only from a registered vault', async () => {
    await expectRevert(
      asUser().getFunction('submitDepositBlock')(ZeroHash),
      'The call is not from a registered vault',
    );
  });

  it('deposit blocks fill the interval; at most 999 between two child blocks; submitBlock resets', async () => {
    // A contract registered as vault 3 (the maintainer may register any contract) submits directly.
    const wallet = await deployContract('TestWallet', env.maintainer);
    await mined(fn('registerVault')(3n, wallet.address));
    // Third vault: quarantined for 2·MEP.
    const data = env.framework.interface.encodeFunctionData('submitDepositBlock', [ZeroHash]);
    const exec = (w = wallet.contract) =>
      w.getFunction('exec')(env.deployment.addresses.plasmaFramework, data);
    await expectRevert(exec(), 'Vault is quarantined');
    await increaseTime(env.provider, 2n * MEP);
    // 999 deposit blocks, sent without automine and mined in as many blocks as the gas limit needs.
    const start = await env.provider.getTransactionCount(env.maintainer.address);
    const to = await wallet.contract.getAddress();
    const execData = wallet.contract.interface.encodeFunctionData('exec', [
      env.deployment.addresses.plasmaFramework,
      data,
    ]);
    await env.provider.send('anvil_setAutomine', [false]);
    try {
      for (let i = 0; i < 999; i++) {
        await env.maintainer.sendTransaction({
          to,
          data: execData,
          nonce: start + i,
          gasLimit: 120_000,
        });
      }
      while ((await env.provider.getTransactionCount(env.maintainer.address)) < start + 999) {
        await env.provider.send('evm_mine', []);
      }
    } finally {
      await env.provider.send('anvil_setAutomine', [true]);
    }
    expect(await fn('nextDeposit')()).toBe(1000n);
    expect(await fn('nextDepositBlock')()).toBe(1000n);
    expect(await fn('isDeposit')(999n)).toBe(true);
    await expectRevert(exec(), 'Exceeded limit of deposits per child block interval');
    await mined(asAuthority().getFunction('submitBlock')(ZeroHash));
    expect(await fn('nextDeposit')()).toBe(1n);
    expect(await fn('nextDepositBlock')()).toBe(1001n);
    await mined(exec());
    expect(await fn('isDeposit')(1001n)).toBe(true);
  });
});

describe('vault registry', () => {
  it('checks and registers, with immunity for the first two only', async () => {
    const wallet = await deployContract('TestWallet', env.maintainer);
    const w = wallet.address;
    await expectRevert(
      asUser().getFunction('registerVault')(3n, w),
      'Caller address is unauthorized',
    );
    await expectRevert(fn('registerVault')(0n, w), 'Should not register with vault ID 0');
    await expectRevert(
      fn('registerVault')(3n, env.users[0]!.address),
      'Should not register with a non-contract address',
    );
    await expectRevert(fn('registerVault')(1n, w), 'The vault ID is already registered');
    await expectRevert(
      fn('registerVault')(3n, env.deployment.addresses.ethVault),
      'The vault contract is already registered',
    );
    const r = await mined(fn('registerVault')(3n, w));
    const ev = env.framework.interface.parseLog(r.logs[0]!);
    expect([ev?.name, ev?.args[0], ev?.args[1]]).toEqual(['VaultRegistered', 3n, w]);
    expect(await fn('vaults')(3n)).toBe(w);
    expect(await fn('vaultToId')(w)).toBe(3n);
  });
});

describe('exit-game registry and quarantine', () => {
  it('checks and registers; a third exit game is quarantined for 4·MEP (Q6)', async () => {
    const wallet = await deployContract('TestWallet', env.maintainer);
    const w = wallet.address;
    await expectRevert(
      asUser().getFunction('registerExitGame')(5n, w, 2),
      'Caller address is unauthorized',
    );
    await expectRevert(fn('registerExitGame')(0n, w, 2), 'Should not register with tx type 0');
    await expectRevert(
      fn('registerExitGame')(5n, env.users[0]!.address, 2),
      'Should not register with a non-contract address',
    );
    await expectRevert(fn('registerExitGame')(1n, w, 2), 'The tx type is already registered');
    await expectRevert(
      fn('registerExitGame')(5n, env.deployment.addresses.paymentExitGame, 2),
      'The exit game contract is already registered',
    );
    await expectRevert(fn('registerExitGame')(5n, w, 0), 'Invalid protocol value');
    await expectRevert(fn('registerExitGame')(5n, w, 3), 'Invalid protocol value');
    const r = await mined(fn('registerExitGame')(5n, w, 1));
    const ev = env.framework.interface.parseLog(r.logs[0]!);
    expect([ev?.name, ev?.args[0], ev?.args[1], ev?.args[2]]).toEqual([
      'ExitGameRegistered',
      5n,
      w,
      1n,
    ]);
    expect(await fn('protocols')(5n)).toBe(1n);

    expect(await fn('isExitGameSafeToUse')(w)).toBe(false);
    const call = (name: string, args: unknown[]) =>
      wallet.contract.getFunction('exec')(
        env.deployment.addresses.plasmaFramework,
        env.framework.interface.encodeFunctionData(name, args),
      );
    await expectRevert(call('activateNonReentrant', []), 'ExitGame is quarantined');
    await expectRevert(
      call('flagOutputFinalized', ['0x' + '01'.repeat(32), 1n]),
      'ExitGame is quarantined',
    );
    await increaseTime(env.provider, 4n * MEP - 10n);
    expect(await fn('isExitGameSafeToUse')(w)).toBe(false);
    await increaseTime(env.provider, 10n);
    expect(await fn('isExitGameSafeToUse')(w)).toBe(true);

    // Now a registered exit game: the mutex, flags and enqueue work for it.
    const fwAddr = env.deployment.addresses.plasmaFramework;
    const enc = (name: string, args: unknown[] = []) =>
      env.framework.interface.encodeFunctionData(name, args);
    const batch = (data: string[]) => wallet.contract.getFunction('execBatch')(fwAddr, data);
    const act = enc('activateNonReentrant');
    const deact = enc('deactivateNonReentrant');
    await mined(batch([act, deact, act, deact]));
    await expectRevert(batch([act, act]), 'Reentrant call');
    // processExits takes the same mutex.
    await expectRevert(batch([act, enc('processExits', [1n, ETH, 0n, 1n])]), 'Reentrant call');
    // Q15: releasing a mutex that is not held fails without a reason.
    await expectRevertWithoutReason(call('deactivateNonReentrant', []));
    // The mutex is transient: taking it in one transaction does not lock the next one.
    await mined(call('activateNonReentrant', []));
    await expectRevertWithoutReason(call('deactivateNonReentrant', []));
    await expectRevert(
      call('flagOutputFinalized', [ZeroHash, 1n]),
      'Should not flag with empty outputId',
    );
    const o1 = '0x' + 'a1'.repeat(32);
    const o2 = '0x' + 'a2'.repeat(32);
    await mined(call('flagOutputFinalized', [o1, 7n]));
    await mined(call('batchFlagOutputsFinalized', [[o1, o2], 9n]));
    expect(await fn('outputsFinalizations')(o1)).toBe(7n); // first writer wins
    expect(await fn('outputsFinalizations')(o2)).toBe(9n);
    expect(await fn('isOutputFinalized')(o2)).toBe(true);
    expect(await fn('isOutputFinalized')(ZeroHash)).toBe(false);
    await expectRevert(
      call('batchFlagOutputsFinalized', [[o1, ZeroHash], 9n]),
      'Should not flag with empty outputId',
    );
    expect(await fn('isAnyInputFinalizedByOtherExit')([o1, o2], 7n)).toBe(true);
    expect(await fn('isAnyInputFinalizedByOtherExit')([o1], 7n)).toBe(false);
    expect(await fn('isAnyInputFinalizedByOtherExit')(['0x' + 'a3'.repeat(32)], 7n)).toBe(false);
    expect(await fn('isAnyInputFinalizedByOtherExit')([], 7n)).toBe(false);

    const txPos = { blockNum: 1000n, txIndex: 0n, outputIndex: 0n };
    await expectRevert(
      call('enqueue', [3n, ETH, 100n, txPos, 1n, w]),
      'The queue for the (vaultId, token) pair is not yet added to the Plasma framework',
    );
    await expectRevert(
      call('enqueue', [1n, ETH, 100n, { ...txPos, outputIndex: 10000n }, 1n, w]),
      'Invalid output index',
    );
    await expectRevert(
      call('enqueue', [1n, ETH, 100n, { ...txPos, blockNum: 180143985095n }, 1n, w]),
      'Invalid block number',
    );
    const r2 = await mined(
      call('enqueue', [1n, ETH, 100n, { blockNum: 1000n, txIndex: 5n, outputIndex: 3n }, 42n, w]),
    );
    const queued = r2.logs
      .map((l) => {
        try {
          return env.framework.interface.parseLog(l);
        } catch {
          return null;
        }
      })
      .find((l) => l?.name === 'ExitQueued');
    const priority = (100n << 214n) | ((1000n * 100000n + 5n) << 160n) | 42n;
    expect(queued?.args[0]).toBe(42n);
    expect(queued?.args[1]).toBe(priority);
    expect(await fn('getNextExit')(1n, ETH)).toBe(priority);
    await expectRevert(
      call('enqueue', [1n, ETH, 100n, { ...txPos, txIndex: 5n }, 42n, w]),
      'The same priority is already enqueued',
    );
    // Q24: only the low 42 bits of exitableAt survive.
    await expectRevert(
      call('enqueue', [
        1n,
        ETH,
        100n + (1n << 42n),
        { blockNum: 1000n, txIndex: 5n, outputIndex: 0n },
        42n,
        w,
      ]),
      'The same priority is already enqueued',
    );
  });

  it('exit-game-only functions reject everyone else', async () => {
    const txPos = { blockNum: 1000n, txIndex: 0n, outputIndex: 0n };
    const msg = 'The call is not from a registered exit game contract';
    await expectRevert(asUser().getFunction('activateNonReentrant')(), msg);
    await expectRevert(asUser().getFunction('deactivateNonReentrant')(), msg);
    await expectRevert(
      asUser().getFunction('flagOutputFinalized')('0x' + '01'.repeat(32), 1n),
      msg,
    );
    await expectRevert(asUser().getFunction('batchFlagOutputsFinalized')([], 1n), msg);
    await expectRevert(
      asUser().getFunction('enqueue')(1n, ETH, 1n, txPos, 1n, env.users[0]!.address),
      msg,
    );
  });
});

describe('exit queues', () => {
  it('addExitQueue creates a PriorityQueue owned by the framework; hasExitQueue; errors', async () => {
    const token = '0x' + '77'.repeat(20);
    expect(await fn('hasExitQueue')(2n, token)).toBe(false);
    await expectRevert(asUser().getFunction('addExitQueue')(0n, token), 'Vault ID must not be 0');
    const r = await mined(asUser().getFunction('addExitQueue')(2n, token));
    const ev = env.framework.interface.parseLog(r.logs[0]!);
    expect([ev?.name, ev?.args[0], (ev?.args[1] as string).toLowerCase()]).toEqual([
      'ExitQueueAdded',
      2n,
      token,
    ]);
    expect(await fn('hasExitQueue')(2n, token)).toBe(true);
    expect(await fn('hasExitQueue')(1n, token)).toBe(false);
    await expectRevert(asUser().getFunction('addExitQueue')(2n, token), 'Exit queue exists');
    // The vault id and token are not otherwise validated.
    await mined(asUser().getFunction('addExitQueue')(77n, token));

    const q = contractAt(
      'PriorityQueue',
      (await fn('exitsQueues')(queueKey(2n, token))) as string,
      env.provider,
    );
    expect(await q.getFunction('framework')()).toBe(env.deployment.addresses.plasmaFramework);
    expect(await q.getFunction('heapList')()).toEqual([0n]);
    expect(await q.getFunction('currentSize')()).toBe(0n);
    await expectRevert(fn('getNextExit')(2n, token), 'Queue is empty');
  });

  it('Q20: getNextExit of a missing queue fails without a reason', async () => {
    await expectRevertWithoutReason(fn('getNextExit')(9n, ETH));
  });

  it('processExits errors: unknown queue, empty queue, wrong top exit id', async () => {
    await expectRevert(
      asUser().getFunction('processExits')(9n, ETH, 0n, 1n),
      'The token is not yet added to the Plasma framework',
    );
    await expectRevert(
      asUser().getFunction('processExits')(1n, ETH, 0n, 1n),
      'Exit queue is empty',
    );
  });
});
