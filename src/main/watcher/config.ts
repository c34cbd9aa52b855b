// Default tunables: the public-network values of spec/watcher.md §5, or fast ones for the local devnet
// (where blocks come every second and a test must see a withholding within seconds).
import { availableParallelism } from 'node:os';
import type { NetworkProfile } from '../../shared/network-profile';
import type { WatcherConfig } from './types';

const PUBLIC: Omit<WatcherConfig, 'maxConcurrentDownloads'> = {
  pollIntervalMs: 8_000,
  depositFinalityMargin: 10,
  exitFinalityMargin: 12,
  blockGetterReorgMargin: 200,
  maxLogRange: 1_000,
  maximumBlockWithholdingMs: 15 * 3600 * 1000,
  stalledSyncThresholdMs: 20_000,
  // Enough blocks ahead to keep the recovery workers busy, few enough that catching up over small
  // blocks stays under 400 MB: with the WebAssembly keccak the main thread outruns the workers, and
  // at 50 ahead the decoded blocks waiting for them took the catch-up's peak RSS from ~370 to 400+ MB
  // (bench/watcher-catchup.ts, 200 × 1,000: 6 ahead, 371 MB and 4,428 tx/s; 16, 401 MB; 50, 409 MB inline).
  maxUnappliedBlocks: 6,
  // A full block of 4-in/4-out payments is ~90 MB of hex JSON; leave room above that.
  maxResponseBytes: 128 * 1024 * 1024,
  requestTimeoutMs: 20_000,
  exitProcessorSlaMargin: 5_520,
};

/** The devnet's chain id (anvil's default); a profile on it gets the fast defaults. */
const LOCAL_CHAIN_ID = 31337;

export function watcherConfigFor(
  profile: Pick<NetworkProfile, 'chainId' | 'finality' | 'minExitPeriod'>,
  overrides: Partial<WatcherConfig> = {},
): WatcherConfig {
  const local = profile.chainId === LOCAL_CHAIN_ID;
  const base: WatcherConfig = {
    ...PUBLIC,
    maxConcurrentDownloads: Math.max(2, availableParallelism()),
    depositFinalityMargin: profile.finality.deposits,
    exitFinalityMargin: profile.finality.exits,
    ...(local
      ? {
          pollIntervalMs: 300,
          blockGetterReorgMargin: 20,
          maximumBlockWithholdingMs: 3_000,
          stalledSyncThresholdMs: 60_000,
          requestTimeoutMs: 10_000,
          // One Ethereum block per second on the devnet; keep the SLA well inside minExitPeriod.
          exitProcessorSlaMargin: Math.max(1, Math.floor(profile.minExitPeriod / 2)),
        }
      : {}),
  };
  const config = { ...base, ...overrides };
  for (const [key, value] of Object.entries(config)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`Watcher setting ${key} must be a whole number ≥ 0, not ${value}.`);
  }
  if (config.maxConcurrentDownloads < 1 || config.maxLogRange < 1 || config.pollIntervalMs < 1)
    throw new RangeError('Watcher poll interval, log range and downloads must be at least 1.');
  return config;
}
