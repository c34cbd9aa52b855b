// The follower through Ethereum reorganisations on anvil (evm_snapshot / evm_revert, then other
// content mined in place of what was reverted), and exits it cannot decode the calldata of. A plain
// deployment without the devnet's operator: the test submits blocks itself as the authority, so
// reverting the chain leaves nobody confused.
import type { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployContract } from '../../../contracts/deploy';
import {
  BOND,
  DEPOSIT_PROOF,
  ETH,
  MEP,
  depositBytes,
  depositEth,
  encode,
  mined,
  payment,
  setupEnv,
  submitBlock,
  type Env,
} from '../../../contracts/test/helpers';
import { increaseTime } from '../../../contracts/testing/anvil';
import { ethVaultInterface, paymentExitGameInterface } from '../../plasma/contracts';
import { hexToBytes, normalizeAddress } from '../../plasma/hex';
import { standardExitId } from '../../plasma/ids';
import type { NetworkProfile } from '../../shared/network-profile';
import { WatcherStore } from '../store';
import { watcherConfigFor } from './config';
import { openDeployment } from './deployment';
import { EthereumReader } from './ethereum';
import { EthereumFollower } from './follower';
import type { WatcherConfig } from './types';

let env: Env;
let profile: NetworkProfile;
let config: WatcherConfig;
const closers: (() => void)[] = [];

beforeAll(async () => {
  env = await setupEnv();
  const a = env.deployment.addresses;
  profile = {
    version: 1,
    name: 'Reorg test',
    chainId: 31337,
    rpcUrl: env.anvil.rpcUrl,
    childChainUrl: 'http://127.0.0.1:1',
    contracts: {
      plasmaFramework: a.plasmaFramework,
      ethVault: a.ethVault,
      erc20Vault: a.erc20Vault,
      paymentExitGame: a.paymentExitGame,
    },
    frameworkDeployTx: env.deployment.frameworkDeployTxHash,
    frameworkDeployBlock: env.deployment.frameworkDeployBlock,
    authority: env.authority.address,
    minExitPeriod: Number(MEP),
    childBlockInterval: 1000,
    finality: { deposits: 3, exits: 3 },
    tokens: [],
  };
  config = watcherConfigFor(profile, { blockGetterReorgMargin: 20 });
});

afterAll(async () => {
  closers.reverse().forEach((close) => close());
  await env?.anvil.stop();
});

async function newFollower() {
  const store = WatcherStore.open(':memory:');
  const reader = new EthereumReader({
    rpcUrl: profile.rpcUrl,
    chainId: 31337n,
    contracts: {
      ...profile.contracts,
      childBlockInterval: 1000n,
    } as ConstructorParameters<typeof EthereumReader>[0]['contracts'],
  });
  const deployment = await openDeployment(profile, reader, store);
  const follower = new EthereumFollower(store, reader, deployment, config);
  closers.push(() => {
    follower.close();
    store.close();
  });
  return { store, follower };
}

const mine = async (n: number) => {
  await env.provider.send('anvil_mine', [`0x${n.toString(16)}`]);
};

async function pollOk(follower: EthereumFollower) {
  const p = await follower.poll();
  expect(p.error).toBeUndefined();
  return p;
}

describe('reorgs', () => {
  it('a reorg shallower than the margins changes nothing', async () => {
    const [alice, bob, carol] = env.users as [Wallet, Wallet, Wallet];
    const { store, follower } = await newFollower();
    await depositEth(env, alice, 10n ** 18n);
    await mine(config.depositFinalityMargin);
    await pollOk(follower);
    const snap = await env.snapshot();
    const d = await depositEth(env, bob, 5n); // inside the margin
    const txs = [encode(payment([1n], [[bob, ETH, 1n]]))];
    const submitted = await submitBlock(env, txs); // recorded at once (0 confirmations)
    await pollOk(follower);
    expect(store.getDeposit(d.blknum)).toBeUndefined();
    const recorded = () =>
      store
        .events({ names: ['BlockSubmitted'] })
        .filter((e) => e.args['blknum'] === submitted.blknum)
        .map((e) => e.ethHeight);
    const before = recorded();
    expect(before).toHaveLength(1);

    await env.revert(snap);
    const other = await depositEth(env, carol, 7n); // the same height, other content
    expect(other.blknum).toBe(d.blknum);
    await mine(1);
    const again = await submitBlock(env, txs); // the same block, one Ethereum block later
    expect(again.blknum).toBe(submitted.blknum);
    await pollOk(follower);
    expect(recorded()).toEqual([before[0]! + 1]);
    await mine(config.depositFinalityMargin);
    await pollOk(follower);
    expect(follower.reorgs).toEqual([]);
    expect(store.getDeposit(d.blknum)).toMatchObject({
      owner: normalizeAddress(carol.address),
      amount: 7n,
    });

    const fresh = await newFollower();
    expect((await pollOk(fresh.follower)).caughtUp).toBe(true);
    expect(store.stateDigest()).toBe(fresh.store.stateDigest());
  });

  it('detects a deeper reorg that removes a deposit and a submission, and rolls it back', async () => {
    const [, , , dave, erin] = env.users as Wallet[];
    const { store, follower } = await newFollower();
    await pollOk(follower);
    const snap = await env.snapshot();
    const forkHeight = await env.provider.getBlockNumber();
    const d = await depositEth(env, dave!, 9n);
    const block = await submitBlock(env, [encode(payment([d.utxoPos], [[dave!, ETH, 9n]]))]);
    await mine(config.depositFinalityMargin + 2);
    await pollOk(follower);
    expect(store.getDeposit(d.blknum)?.owner).toBe(normalizeAddress(dave!.address));
    expect(store.events({ names: ['BlockSubmitted'] }).map((e) => e.args['blknum'])).toContain(
      block.blknum,
    );

    await env.revert(snap);
    await mine(1);
    const replaced = await depositEth(env, erin!, 4n);
    expect(replaced.blknum).toBe(d.blknum);
    await mine(config.depositFinalityMargin + 4); // the new chain is longer than the old one
    await pollOk(follower);

    expect(follower.reorgs).toHaveLength(1);
    expect(follower.reorgs[0]!.ancestor).toBeLessThanOrEqual(forkHeight);
    expect(store.getDeposit(d.blknum)).toMatchObject({
      owner: normalizeAddress(erin!.address),
      amount: 4n,
    });
    expect(store.events({ names: ['BlockSubmitted'] }).map((e) => e.args['blknum'])).not.toContain(
      block.blknum,
    );
    const fresh = await newFollower();
    await pollOk(fresh.follower);
    expect(store.stateDigest()).toBe(fresh.store.stateDigest());
  });
});

describe('exits through another contract', () => {
  it('records the exit without calldata, takes utxoPos from the contract, and marks it exited once finalized', async () => {
    const { store, follower } = await newFollower();
    const wallet: Contract = (await deployContract('TestWallet', env.maintainer)).contract;
    const owner = normalizeAddress(await wallet.getAddress());
    const amount = 10n ** 16n;
    const txBytes = depositBytes(owner, ETH, amount);
    const deposit = await mined(
      wallet.getFunction('exec')(
        env.deployment.addresses.ethVault,
        ethVaultInterface.encodeFunctionData('deposit', [txBytes]),
        { value: amount },
      ),
    );
    const blknum = BigInt(
      deposit.logs.find((l) => l.address === env.deployment.addresses.ethVault)!.topics[2]!,
    );
    const utxoPos = blknum * 1_000_000_000n;
    const exit = await mined(
      wallet.getFunction('exec')(
        env.deployment.addresses.paymentExitGame,
        paymentExitGameInterface.encodeFunctionData('startStandardExit', [
          { utxoPos, rlpOutputTx: txBytes, outputTxInclusionProof: DEPOSIT_PROOF() },
        ]),
        { value: BOND },
      ),
    );
    await mine(config.exitFinalityMargin);
    await pollOk(follower);
    const exitId = standardExitId(hexToBytes(txBytes), utxoPos, true);
    const [started] = store.events({ names: ['ExitStarted'] });
    expect(started).toMatchObject({ ethTxHash: exit.hash, ethHeight: exit.blockNumber });
    expect(started!.args).toEqual({ owner, exitId, utxoPos });
    expect(store.getUtxo(utxoPos)?.amount).toBe(amount);

    await increaseTime(env.provider, 2n * MEP + 1n);
    const processed = await mined(env.framework.getFunction('processExits')(1n, ETH, 0n, 10n));
    await mine(config.exitFinalityMargin);
    await pollOk(follower);
    const [finalized] = store.events({ names: ['ExitFinalized'] });
    expect(finalized).toMatchObject({ ethHeight: processed.blockNumber });
    expect(finalized!.args).toEqual({ exitId, utxoPos });
    expect(store.getUtxo(utxoPos)).toBeUndefined();
    expect(store.spendOf(utxoPos)).toMatchObject({ by: 'exit', exitId, ethTxHash: processed.hash });
  });
});
