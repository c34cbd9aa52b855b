// One call that brings up the whole local network: anvil, the contracts (deployed and wired by the
// deploy module), a test ERC20, funded dev accounts, the operator and its HTTP API, and a network
// profile. Resumes an existing network from its data directory unless told to start fresh.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Wallet, keccak256, toUtf8Bytes, parseEther } from 'ethers';
import {
  ETH_TOKEN,
  normalizeAddress,
  type Address,
  type FeeTable,
  type Hex,
  type SignatureRecoverer,
} from '../src/plasma';
import { depositEthTx } from '../src/plasma/contracts';
import type { NetworkProfile } from '../src/shared/network-profile';
import { readNetworkProfile, writeNetworkProfile } from '../src/main/network/profile';
import { ensureContractsBuilt } from '../contracts/build';
import { ANVIL_DEV_KEYS } from '../contracts/testing/anvil';
import { attach, deployContract, deployPlasma } from '../contracts/deploy';
import { startGuardedAnvil, type GuardedAnvil } from './anvil';
import { Operator } from './operator/operator';
import { devnetProvider } from './operator/root-chain';
import { startOperatorServer } from './operator/server';
import type { RunningRpcServer } from '../src/main/api/http-rpc';

/** The operator's key: a fixed devnet-only key, never one of anvil's shared dev accounts. */
export const DEVNET_AUTHORITY_KEY = keccak256(toUtf8Bytes('vigil devnet authority')) as Hex;
export const DEVNET_CHAIN_ID = 31337;

export interface DevnetOptions {
  dataDir: string;
  fresh?: boolean;
  anvilPort?: number;
  operatorPort?: number;
  /** Operator block formation interval. */
  blockIntervalMs?: number;
  minExitPeriod?: number;
  depositFinalityMargin?: number;
  exitFinalityMargin?: number;
  /** Mine an empty Ethereum block this often so finality margins advance (0: only on transactions). */
  ethBlockMs?: number;
  /** Fee per token for a payment; defaults to 1 gwei-unit of ETH and of the test token. */
  fees?: FeeTable;
  recoverer?: SignatureRecoverer;
  feeClaims?: 'none' | 'elixir';
  log?: (message: string) => void;
}

export interface Devnet {
  profile: NetworkProfile;
  profilePath: string;
  operator: Operator;
  server: RunningRpcServer;
  anvil: GuardedAnvil;
  /** anvil's funded dev keys (account 0 deployed the contracts and is the maintainer). */
  devKeys: readonly Hex[];
  stop(): Promise<void>;
}

const DEFAULTS = {
  blockIntervalMs: 1000,
  minExitPeriod: 20,
  depositFinalityMargin: 2,
  exitFinalityMargin: 2,
  ethBlockMs: 1000,
};

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const o = { ...DEFAULTS, ...options };
  const log = o.log ?? (() => undefined);
  if (o.minExitPeriod < 2) throw new Error('minExitPeriod must be at least 2 seconds (spec Q16).');
  if (o.fresh) rmSync(o.dataDir, { recursive: true, force: true });
  mkdirSync(o.dataDir, { recursive: true });
  const profilePath = join(o.dataDir, 'network.json');
  const stateFile = join(o.dataDir, 'anvil-state.json');
  const operatorFile = join(o.dataDir, 'operator.sqlite');
  const resuming = existsSync(profilePath) && existsSync(stateFile) && existsSync(operatorFile);

  ensureContractsBuilt();
  const anvil = await startGuardedAnvil({
    port: o.anvilPort ?? 0,
    stateFile,
    chainId: DEVNET_CHAIN_ID,
  });
  const cleanups: (() => Promise<void>)[] = [() => anvil.stop()];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const provider = devnetProvider(anvil.rpcUrl);
    cleanups.push(async () => provider.destroy());
    const authority = new Wallet(DEVNET_AUTHORITY_KEY, provider);

    let profile: NetworkProfile;
    if (resuming) {
      const saved = readNetworkProfile(profilePath);
      if ((await provider.getCode(saved.contracts.plasmaFramework)) === '0x') {
        throw new Error(
          `The saved devnet in ${o.dataDir} does not match anvil's state; start over with --fresh.`,
        );
      }
      profile = { ...saved, rpcUrl: anvil.rpcUrl };
      log(`resuming the devnet in ${o.dataDir}`);
    } else {
      profile = await deployFresh(
        anvil.rpcUrl,
        authority,
        o.minExitPeriod,
        o.depositFinalityMargin,
        o.exitFinalityMargin,
        log,
      );
    }

    const token = profile.tokens[0]?.address as Address | undefined;
    const fees: FeeTable =
      o.fees ??
      new Map<Address, bigint>([
        [ETH_TOKEN, 1_000_000_000n],
        ...(token ? ([[normalizeAddress(token), 1_000_000_000n]] as [Address, bigint][]) : []),
      ]);
    const operator = new Operator({
      dataFile: operatorFile,
      rpcUrl: anvil.rpcUrl,
      addresses: {
        plasmaFramework: normalizeAddress(profile.contracts.plasmaFramework),
        ethVault: normalizeAddress(profile.contracts.ethVault),
        erc20Vault: normalizeAddress(profile.contracts.erc20Vault),
        paymentExitGame: normalizeAddress(profile.contracts.paymentExitGame),
      },
      frameworkDeployBlock: profile.frameworkDeployBlock,
      authorityKey: DEVNET_AUTHORITY_KEY,
      fees,
      blockIntervalMs: o.blockIntervalMs,
      pollIntervalMs: Math.min(500, o.blockIntervalMs),
      depositFinalityMargin: o.depositFinalityMargin,
      exitFinalityMargin: o.exitFinalityMargin,
      feeClaims: o.feeClaims ?? 'none',
      ...(o.recoverer ? { recoverer: o.recoverer } : {}),
      log,
    });
    cleanups.push(() => operator.stop());
    await operator.start();
    const server = await startOperatorServer(operator, o.operatorPort ?? 0, log);
    cleanups.push(() => server.close());

    if (o.ethBlockMs > 0) {
      const timer = setInterval(
        () => void provider.send('evm_mine', []).catch(() => undefined),
        o.ethBlockMs,
      );
      cleanups.push(async () => clearInterval(timer));
    }

    profile = { ...profile, rpcUrl: anvil.rpcUrl, childChainUrl: server.url };
    writeNetworkProfile(profilePath, profile);
    // For tools and tests that must make sure anvil is gone after the devnet stops.
    writeFileSync(join(o.dataDir, 'anvil.pid'), `${anvil.anvilPid}\n`);
    return {
      profile,
      profilePath,
      operator,
      server,
      anvil,
      devKeys: ANVIL_DEV_KEYS as readonly Hex[],
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

async function deployFresh(
  rpcUrl: string,
  authority: Wallet,
  minExitPeriod: number,
  deposits: number,
  exits: number,
  log: (m: string) => void,
): Promise<NetworkProfile> {
  const provider = authority.provider!;
  const maintainer = new Wallet(ANVIL_DEV_KEYS[0], provider);
  // The authority pays for block submissions: fund it from the maintainer.
  await (
    await maintainer.sendTransaction({ to: authority.address, value: parseEther('1000') })
  ).wait();
  log('deploying the test token and the Plasma contracts');
  const tokenDeployment = await deployContract('TestERC20', maintainer, [
    'Vigil Test Token',
    'VTT',
  ]);
  const tokenAddress = normalizeAddress(tokenDeployment.address);
  const deployment = await deployPlasma({
    provider,
    authority,
    maintainer,
    minExitPeriod: BigInt(minExitPeriod),
    erc20Tokens: [tokenAddress],
  });
  const token = attach('TestERC20', tokenAddress, maintainer);
  for (const key of ANVIL_DEV_KEYS) {
    await (await token.getFunction('mint')(new Wallet(key).address, parseEther('1000000'))).wait();
  }
  // The operator keeps some ETH on its own chain (the cheats that spend or exit its outputs need it).
  const fund = depositEthTx(deployment.addresses.ethVault, {
    owner: authority.address,
    amount: parseEther('1'),
  });
  await (
    await authority.sendTransaction({ to: fund.to, data: fund.data, value: fund.value ?? 0n })
  ).wait();
  return {
    version: 1,
    name: 'Vigil devnet',
    chainId: DEVNET_CHAIN_ID,
    rpcUrl,
    childChainUrl: 'http://127.0.0.1:1',
    contracts: {
      plasmaFramework: deployment.addresses.plasmaFramework,
      ethVault: deployment.addresses.ethVault,
      erc20Vault: deployment.addresses.erc20Vault,
      paymentExitGame: deployment.addresses.paymentExitGame,
    },
    frameworkDeployTx: deployment.frameworkDeployTxHash,
    frameworkDeployBlock: deployment.frameworkDeployBlock,
    authority: normalizeAddress(authority.address),
    minExitPeriod,
    childBlockInterval: 1000,
    finality: { deposits, exits },
    tokens: [{ address: tokenAddress, symbol: 'VTT', decimals: 18 }],
  };
}
