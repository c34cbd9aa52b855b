// Builds a running-ready Watcher for a network profile from the real services: the Ethereum reader
// and follower, the operator client and block getter, the native recovery pool, and the store file
// of that deployment in `dataDir`. Used by the headless watcher and the app's main process alike.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SignatureRecoverer } from '../../plasma/recover';
import type { Address } from '../../plasma/types';
import type { NetworkProfile } from '../../shared/network-profile';
import { createRecoveryPool } from '../crypto';
import { WatcherStore, workerBlockWriter, type BlockWriter } from '../store';
import { WATCHER_VERSION } from './api';
import { BlockGetter } from './block-getter';
import { ChildChainClient } from './child-chain-client';
import { watcherConfigFor } from './config';
import { openDeployment } from './deployment';
import { EthereumReader } from './ethereum';
import { ExitProcessor } from './exit-processor';
import { EthereumFollower } from './follower';
import type { WatcherConfig } from './types';
import { Watcher } from './watcher';

export interface OpenWatcherOptions {
  profile: NetworkProfile;
  /** The folder for the watcher's database (one file per deployment). */
  dataDir: string;
  config?: Partial<WatcherConfig>;
  /** Supplied by tests and benchmarks; otherwise a native worker pool is started (and closed on stop). */
  recoverer?: SignatureRecoverer;
  /**
   * Supplied by benchmarks that wrap the writer (say, to stop at a block); otherwise the
   * store-writer worker. Closed on stop either way.
   */
  blockWriter?: (store: WatcherStore) => BlockWriter;
  /** Plain-language notes of the services (a reorg rolled back, a block waiting for deposits…). */
  log?: (message: string) => void;
  now?: () => number;
}

/** The database file of a deployment: chain id and framework address keep deployments apart. */
export function databaseFile(dataDir: string, profile: NetworkProfile): string {
  return join(
    dataDir,
    `watcher-${profile.chainId}-${profile.contracts.plasmaFramework.slice(2, 14).toLowerCase()}.sqlite`,
  );
}

/** The Ethereum reader of a profile's deployment. */
export function ethereumReaderFor(
  profile: NetworkProfile,
  requestTimeoutMs: number,
): EthereumReader {
  const c = profile.contracts;
  return new EthereumReader({
    rpcUrl: profile.rpcUrl,
    chainId: BigInt(profile.chainId),
    contracts: {
      plasmaFramework: c.plasmaFramework as Address,
      ethVault: c.ethVault as Address,
      erc20Vault: c.erc20Vault as Address,
      paymentExitGame: c.paymentExitGame as Address,
      childBlockInterval: BigInt(profile.childBlockInterval),
    },
    requestTimeoutMs,
  });
}

/**
 * Resolves the deployment on chain (refusing a database made for another one), then wires the
 * services. Throws with a readable message when Ethereum cannot be reached or the profile does not
 * match the chain; nothing is left open then.
 */
export async function openWatcher(options: OpenWatcherOptions): Promise<Watcher> {
  const { profile } = options;
  const config = watcherConfigFor(profile, options.config);
  const log = options.log ?? (() => undefined);
  const reader = ethereumReaderFor(profile, config.requestTimeoutMs);
  mkdirSync(options.dataDir, { recursive: true });
  let store: WatcherStore | undefined;
  try {
    store = WatcherStore.open(databaseFile(options.dataDir, profile));
    const deployment = await openDeployment(profile, reader, store);
    const clock = options.now ? { now: options.now } : {};
    const follower = new EthereumFollower(store, reader, deployment, config, { log, ...clock });
    const client = new ChildChainClient({
      url: profile.childChainUrl,
      timeoutMs: config.requestTimeoutMs,
      maxResponseBytes: config.maxResponseBytes,
      version: WATCHER_VERSION,
    });
    const pool = options.recoverer ? undefined : createRecoveryPool({ warn: log });
    const writer = (options.blockWriter ?? workerBlockWriter)(store);
    const getter = new BlockGetter(store, client, options.recoverer ?? pool!, config, {
      verifyingContract: deployment.plasmaFramework,
      childBlockInterval: deployment.childBlockInterval,
      writer,
      log,
      ...clock,
    });
    const exits = new ExitProcessor(
      store,
      {
        blockTimestamp: async (height) => {
          const header = await reader.block(height);
          if (!header) throw new Error(`Ethereum has no block ${height}`);
          return header.timestamp;
        },
        childBlockTimestamp: async (blknum) => (await reader.blocks(blknum)).timestamp,
        standardExitAmount: async (exitId) => (await reader.standardExits([exitId]))[0]?.amount,
      },
      {
        childBlockInterval: deployment.childBlockInterval,
        minExitPeriod: deployment.minExitPeriod,
        slaMargin: config.exitProcessorSlaMargin,
        log,
        ...clock,
      },
    );
    return new Watcher({
      profile,
      deployment,
      config,
      store,
      follower,
      getter,
      exits,
      resources: pool ? [writer, pool] : [writer],
      ...clock,
    });
  } catch (error) {
    store?.close();
    reader.close();
    throw error;
  }
}
