// Test fixtures for the watcher's services: a profile and deployment that need no chain, and
// scripted stand-ins for the follower and block getter, so the Watcher, its status and its API can
// be tested without anvil. The real services are tested against the devnet in *.chain.test.ts.
import type { NetworkProfile } from '../../shared/network-profile';
import { WatcherStore } from '../store';
import { watcherConfigFor } from './config';
import type { BlockGetterProgress, Deployment, EthereumProgress, WatcherConfig } from './types';
import { Watcher, type Pollable } from './watcher';

export const TEST_PROFILE: NetworkProfile = {
  version: 1,
  name: 'Test net',
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:1',
  childChainUrl: 'http://127.0.0.1:2',
  contracts: {
    plasmaFramework: '0x1111111111111111111111111111111111111111',
    ethVault: '0x2222222222222222222222222222222222222222',
    erc20Vault: '0x3333333333333333333333333333333333333333',
    paymentExitGame: '0x4444444444444444444444444444444444444444',
  },
  frameworkDeployTx: `0x${'ab'.repeat(32)}`,
  frameworkDeployBlock: 3,
  authority: '0x5555555555555555555555555555555555555555',
  minExitPeriod: 20,
  childBlockInterval: 1000,
  finality: { deposits: 2, exits: 2 },
  tokens: [],
};

export const TEST_DEPLOYMENT: Deployment = {
  chainId: 31337n,
  plasmaFramework: TEST_PROFILE.contracts.plasmaFramework as Deployment['plasmaFramework'],
  ethVault: TEST_PROFILE.contracts.ethVault as Deployment['ethVault'],
  erc20Vault: TEST_PROFILE.contracts.erc20Vault as Deployment['erc20Vault'],
  paymentExitGame: TEST_PROFILE.contracts.paymentExitGame as Deployment['paymentExitGame'],
  authority: TEST_PROFILE.authority as Deployment['authority'],
  deploymentTxHash: TEST_PROFILE.frameworkDeployTx as Deployment['deploymentTxHash'],
  deploymentHeight: 3,
  childBlockInterval: 1000n,
  minExitPeriod: 20,
  contractSemver: '1.0.5+vigil',
};

export function ethereumProgress(partial: Partial<EthereumProgress> = {}): EthereumProgress {
  return {
    headHeight: 100,
    headTimestamp: 1_700_000_000,
    ethSyncing: false,
    lastMinedChildBlock: 0n,
    lastMinedChildBlockTimestamp: 0,
    caughtUp: true,
    lastPollAt: 1,
    lastHeightChangeAt: 1,
    error: undefined,
    ...partial,
  };
}

export function getterProgress(partial: Partial<BlockGetterProgress> = {}): BlockGetterProgress {
  return {
    lastAppliedBlock: 0n,
    pendingBlocks: 0,
    appliedBlocks: 0,
    appliedTransactions: 0,
    halted: false,
    error: undefined,
    ...partial,
  };
}

/** A service whose every poll returns (or throws) what the test last set. */
export class ScriptedService<P> implements Pollable<P> {
  polls = 0;
  closed = false;
  constructor(public next: () => P) {}
  poll(): Promise<P> {
    this.polls += 1;
    return Promise.resolve().then(() => this.next());
  }
  close(): void {
    this.closed = true;
  }
}

export interface TestWatcher {
  watcher: Watcher;
  store: WatcherStore;
  follower: ScriptedService<EthereumProgress>;
  getter: ScriptedService<BlockGetterProgress>;
  clock: { now: number };
}

export function testWatcher(config: Partial<WatcherConfig> = {}): TestWatcher {
  const store = WatcherStore.open(':memory:');
  const clock = { now: 1_000_000 };
  const follower = new ScriptedService(() =>
    ethereumProgress({ lastPollAt: clock.now, lastHeightChangeAt: clock.now }),
  );
  const getter = new ScriptedService(() => getterProgress());
  const watcher = new Watcher({
    profile: TEST_PROFILE,
    deployment: TEST_DEPLOYMENT,
    config: watcherConfigFor(TEST_PROFILE, { pollIntervalMs: 5, ...config }),
    store,
    follower,
    getter,
    now: () => clock.now,
  });
  return { watcher, store, follower, getter, clock };
}
