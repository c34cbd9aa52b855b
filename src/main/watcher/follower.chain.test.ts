// The Ethereum side of the watcher against the real devnet: the deployment check and the store's
// binding to it, deposits after the margin, every BlockSubmitted with the framework's root, a
// standard exit with its calldata, and Ethereum going away and coming back. Ethereum blocks are mined
// by hand here (ethBlockMs 0), so "after the margin" is exact rather than a matter of timing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, parseEther, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_DEV_KEYS } from '../../../contracts/testing/anvil';
import { startDevnet, type Devnet } from '../../../devnet/network';
import { devnetProvider } from '../../../devnet/operator/root-chain';
import {
  blocksCall,
  decodeBlockResult,
  decodeUintResult,
  depositEthTx,
  nextChildBlockCall,
  startStandardExitBondSizeCall,
  startStandardExitTx,
} from '../../plasma/contracts';
import { createPaymentTx } from '../../plasma/build';
import { signPayment } from '../../plasma/eip712';
import { bytesToHex, normalizeAddress } from '../../plasma/hex';
import { standardExitId } from '../../plasma/ids';
import { depositProof } from '../../plasma/merkle';
import { encodeDeposit, encodeSigned } from '../../plasma/tx';
import { ETH_TOKEN, type Address, type Hex } from '../../plasma/types';
import type { NetworkProfile } from '../../shared/network-profile';
import { WatcherStore } from '../store';
import { watcherConfigFor } from './config';
import {
  DeploymentError,
  deploymentIdentity,
  openDeployment,
  resolveDeployment,
} from './deployment';
import { EthereumReader } from './ethereum';
import { EthereumFollower } from './follower';
import { TEST_DEPLOYMENT } from './testing';
import type { Deployment, EthereumProgress, WatcherConfig } from './types';

const KEY = (i: number): Hex => ANVIL_DEV_KEYS[i] as Hex;
let dir: string;
let devnet: Devnet;
let provider: JsonRpcProvider;
let profile: NetworkProfile;
let config: WatcherConfig;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-follower-'));
  devnet = await startDevnet({
    dataDir: join(dir, 'devnet'),
    fresh: true,
    ethBlockMs: 0,
    // Not 500 or less: the operator's poll interval would then equal its block interval, and
    // its two timers fire in lockstep so that forming a block is always skipped as "busy".
    blockIntervalMs: 700,
  });
  profile = devnet.profile;
  provider = devnetProvider(profile.rpcUrl);
  config = watcherConfigFor(profile);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  provider?.destroy();
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function readerFor(rpcUrl: string, deployment?: Deployment): EthereumReader {
  const reader = new EthereumReader({
    rpcUrl,
    chainId: BigInt(profile.chainId),
    contracts: deployment ?? {
      plasmaFramework: normalizeAddress(profile.contracts.plasmaFramework),
      ethVault: normalizeAddress(profile.contracts.ethVault),
      erc20Vault: normalizeAddress(profile.contracts.erc20Vault),
      paymentExitGame: normalizeAddress(profile.contracts.paymentExitGame),
      childBlockInterval: BigInt(profile.childBlockInterval),
    },
    requestTimeoutMs: 5_000,
  });
  closers.push(() => reader.close());
  return reader;
}

function openStore(): WatcherStore {
  const store = WatcherStore.open(join(dir, `watcher-${closers.length}.sqlite`));
  closers.push(() => store.close());
  return store;
}

const mine = async (n: number) => {
  await provider.send('anvil_mine', [`0x${n.toString(16)}`]);
};
const height = async () => provider.getBlockNumber();

async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Gave up waiting for ${what}.`);
}

async function send(key: Hex, request: { to: Address; data: Hex; value?: bigint }) {
  const wallet = new Wallet(key, provider);
  const receipt = await (
    await wallet.sendTransaction({ ...request, value: request.value ?? 0n })
  ).wait();
  if (!receipt || receipt.status !== 1) throw new Error('transaction failed');
  return receipt;
}

describe('the deployment check', () => {
  it('reads the devnet deployment from its profile and checks it on chain', async () => {
    const d = await resolveDeployment(profile, readerFor(profile.rpcUrl));
    expect(d).toMatchObject({
      chainId: 31337n,
      plasmaFramework: normalizeAddress(profile.contracts.plasmaFramework),
      paymentExitGame: normalizeAddress(profile.contracts.paymentExitGame),
      ethVault: normalizeAddress(profile.contracts.ethVault),
      erc20Vault: normalizeAddress(profile.contracts.erc20Vault),
      authority: normalizeAddress(profile.authority),
      deploymentHeight: profile.frameworkDeployBlock,
      childBlockInterval: 1000n,
      minExitPeriod: profile.minExitPeriod,
    });
    expect(d.contractSemver).toMatch(/^1\.0\.5\+/);
  });

  it('refuses a profile that does not describe this chain, saying what is wrong', async () => {
    const reader = readerFor(profile.rpcUrl);
    const refused = async (p: NetworkProfile) => {
      try {
        await resolveDeployment(p, reader);
      } catch (e) {
        expect(e).toBeInstanceOf(DeploymentError);
        return e as DeploymentError;
      }
      throw new Error('accepted a wrong profile');
    };
    const swapped = await refused({
      ...profile,
      contracts: {
        ...profile.contracts,
        ethVault: profile.contracts.erc20Vault,
        erc20Vault: profile.contracts.ethVault,
      },
    });
    expect(swapped.code).toBe('contracts_mismatch');
    expect(swapped.message).toMatch(/ETH vault \(vaults\(1\)\) is 0x[0-9a-f]{40} on chain but/);
    const missing = await refused({ ...profile, frameworkDeployTx: `0x${'12'.repeat(32)}` });
    expect(missing.code).toBe('deployment_tx_not_found');
    const deposit = await send(
      devnet.devKeys[5]!,
      depositEthTx(profile.contracts.ethVault, {
        owner: new Wallet(devnet.devKeys[5]!).address,
        amount: 1n,
      }),
    );
    const notADeployment = await refused({ ...profile, frameworkDeployTx: deposit.hash });
    expect(notADeployment.code).toBe('wrong_contract_address');
    expect((await refused({ ...profile, chainId: 1 })).message).toMatch(
      /is on chain 31337, but the profile .* is for chain 1/,
    );
    expect((await refused({ ...profile, minExitPeriod: profile.minExitPeriod + 1 })).code).toBe(
      'profile_mismatch',
    );
  });

  it('binds a store to the deployment and refuses a store of another deployment', async () => {
    const reader = readerFor(profile.rpcUrl);
    const store = openStore();
    const d = await openDeployment(profile, reader, store);
    expect(store.deployment()).toEqual(deploymentIdentity(d));
    await openDeployment(profile, reader, store); // the same deployment again: fine

    const other = openStore();
    other.assertDeployment(deploymentIdentity(TEST_DEPLOYMENT));
    await expect(openDeployment(profile, reader, other)).rejects.toThrow(
      /belongs to another deployment/,
    );
    expect(other.deployment()).toEqual(deploymentIdentity(TEST_DEPLOYMENT));
  });
});

describe('following the devnet', () => {
  let deployment: Deployment;
  let store: WatcherStore;
  let follower: EthereumFollower;
  const alice = new Wallet(KEY(2));
  const aliceAddress = normalizeAddress(alice.address);
  let depositBlknum = 0n;

  beforeAll(async () => {
    const reader = readerFor(profile.rpcUrl);
    store = openStore();
    deployment = await openDeployment(profile, reader, store);
    follower = new EthereumFollower(store, reader, deployment, config);
  });

  it('applies a deposit only once it is buried under the deposit margin', async () => {
    expect(config.depositFinalityMargin).toBe(2);
    const receipt = await send(
      KEY(2),
      depositEthTx(profile.contracts.ethVault, { owner: aliceAddress, amount: parseEther('3') }),
    );
    const log = receipt.logs.find((l) => l.address.toLowerCase() === deployment.ethVault)!;
    depositBlknum = BigInt(log.topics[2]!);
    let p = await follower.poll();
    expect(p.error).toBeUndefined();
    expect(p.headHeight).toBe(receipt.blockNumber);
    expect(store.getDeposit(depositBlknum)).toBeUndefined();
    await mine(1);
    p = await follower.poll();
    expect(store.getDeposit(depositBlknum)).toBeUndefined();
    await mine(1);
    p = await follower.poll();
    expect(p.caughtUp).toBe(true);
    expect(store.getDeposit(depositBlknum)).toMatchObject({
      owner: aliceAddress,
      token: ETH_TOKEN,
      amount: parseEther('3'),
      ethHeight: receipt.blockNumber,
      ethTxHash: receipt.hash,
    });
    expect(store.getUtxo(depositBlknum * 1_000_000_000n)?.amount).toBe(parseEther('3'));
  });

  it('records every BlockSubmitted with the root the framework holds for it', async () => {
    const chain = devnet.operator.chain;
    // The operator recognises the deposit after its own margin; then alice pays bob twice.
    await until('the operator to see the deposit', () => chain.utxosOf(aliceAddress).length > 0);
    for (const amount of [parseEther('1'), parseEther('0.5')]) {
      const utxos = chain.utxosOf(aliceAddress).map((u) => ({
        utxoPos: u.utxoPos,
        owner: aliceAddress,
        token: u.utxo.token,
        amount: u.utxo.amount,
      }));
      const tx = createPaymentTx({
        from: aliceAddress,
        utxos,
        payments: [
          { owner: normalizeAddress(new Wallet(KEY(3)).address), token: ETH_TOKEN, amount },
        ],
        fee: { token: ETH_TOKEN, amount: devnet.operator.fees.get(ETH_TOKEN)! },
      });
      const sigs = signPayment(
        tx,
        tx.inputs.map(() => KEY(2)),
        deployment.plasmaFramework,
      );
      const { blknum } = await chain.submit(encodeSigned({ tx, sigs }));
      const onChain = async () =>
        decodeUintResult(await provider.call(nextChildBlockCall(deployment.plasmaFramework)));
      await until(`block ${blknum} on chain`, async () => (await onChain()) > blknum);
    }
    const next = decodeUintResult(
      await provider.call(nextChildBlockCall(deployment.plasmaFramework)),
    );
    expect(next).toBeGreaterThanOrEqual(3000n);
    const p = await follower.poll();
    expect(p.lastMinedChildBlock).toBe(next - 1000n);
    const recorded = store.events({ names: ['BlockSubmitted'] });
    expect(recorded.map((e) => e.args['blknum'])).toEqual(
      Array.from({ length: Number(next / 1000n) - 1 }, (_, i) => BigInt(i + 1) * 1000n),
    );
    for (const e of recorded) {
      const blknum = e.args['blknum'] as bigint;
      const onChain = decodeBlockResult(
        await provider.call(blocksCall(deployment.plasmaFramework, blknum)),
      );
      expect(e.args).toEqual({ blknum, root: onChain.root, timestamp: Number(onChain.timestamp) });
      const formed = devnet.operator.state.blocks().find((b) => b.blknum === blknum);
      expect(formed?.hash).toBe(onChain.root);
    }
    expect(p.lastMinedChildBlockTimestamp).toBe(recorded.at(-1)!.args['timestamp']);
  });

  it('records a standard exit with the decoded startStandardExit calldata, after the exit margin', async () => {
    const owner = normalizeAddress(new Wallet(KEY(1)).address);
    const amount = parseEther('2');
    const receipt = await send(KEY(1), depositEthTx(profile.contracts.ethVault, { owner, amount }));
    const blknum = BigInt(
      receipt.logs.find((l) => l.address.toLowerCase() === deployment.ethVault)!.topics[2]!,
    );
    const utxoPos = blknum * 1_000_000_000n;
    const outputTx = encodeDeposit(owner, ETH_TOKEN, amount);
    const bond = decodeUintResult(
      await provider.call(startStandardExitBondSizeCall(deployment.paymentExitGame)),
    );
    const exit = await send(
      KEY(1),
      startStandardExitTx(deployment.paymentExitGame, {
        utxoPos,
        outputTx,
        outputTxInclusionProof: depositProof(),
        bond,
      }),
    );
    await follower.poll();
    expect(store.events({ names: ['ExitStarted'] })).toHaveLength(0);
    await mine(config.exitFinalityMargin);
    await follower.poll();
    const [started] = store.events({ names: ['ExitStarted'] });
    expect(started).toMatchObject({ ethHeight: exit.blockNumber, ethTxHash: exit.hash });
    expect(started!.args).toEqual({
      owner,
      exitId: standardExitId(outputTx, utxoPos, true),
      utxoPos,
      rlpOutputTx: bytesToHex(outputTx),
      outputTxInclusionProof: bytesToHex(depositProof()),
    });
  });
});

/** A TCP proxy in front of anvil that can be taken away and brought back on the same port. */
async function proxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  await open();
  return { url: () => `http://127.0.0.1:${port}`, open, close };
}

describe('Ethereum going away', () => {
  it('gives an error in the progress without throwing, keeps the numbers and resumes', async () => {
    const p = await proxy(devnet.anvil.port);
    closers.push(() => p.close().catch(() => undefined));
    const store = openStore();
    const reader = readerFor(p.url());
    const deployment = await openDeployment(profile, reader, store);
    const follower = new EthereumFollower(store, reader, deployment, config);
    const first = await follower.poll();
    expect(first).toMatchObject({ error: undefined, caughtUp: true });

    await p.close();
    await mine(3);
    const down: EthereumProgress = await follower.poll();
    expect(down.error).toMatch(/does not answer/);
    expect(down).toMatchObject({
      headHeight: first.headHeight,
      lastPollAt: first.lastPollAt,
      caughtUp: false,
    });

    await p.open();
    const back = await until('the follower to recover', async () => {
      const q = await follower.poll();
      return q.error === undefined ? q : undefined;
    });
    expect(back.headHeight).toBe(await height());
    expect(back.caughtUp).toBe(true);
    expect(store.getHeight('depositor')).toBe(back.headHeight - config.depositFinalityMargin);
  });
});
