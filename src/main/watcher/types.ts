// The seams between the watcher's services (spec/watcher.md §1). Each service owns one concern and
// talks to the others through the store (src/main/store) and these types:
//
//   EthereumFollower (follower.ts)   Ethereum → store: deposits, BlockSubmitted, exit-game events,
//                                    after the finality margins; detects and rolls back deep reorgs.
//   BlockGetter (block-getter.ts)    BlockSubmitted in the store → operator's block.get → validate →
//                                    store.applyBlock; raises invalid_block / block_withholding.
//   Watcher (watcher.ts)             runs both, derives the chain status, emits events for the app.
//
// Nothing here imports electron: the same services run in the app's main process and headless.
import type { Address, Hex } from '../../plasma/types';

/** Tunables of one watcher; `watcherConfigFor` picks public-network or devnet defaults. */
export interface WatcherConfig {
  /** Between polls of Ethereum and of the operator (spec §5: 8 s public, 500 ms dev). */
  pollIntervalMs: number;
  /** Confirmations before a deposit is applied (must equal the operator's). */
  depositFinalityMargin: number;
  /** Confirmations before an exit-game event is recorded. */
  exitFinalityMargin: number;
  /** BlockSubmitted logs are re-scanned this far back, so a re-mined submission is still found. */
  blockGetterReorgMargin: number;
  /** Widest `eth_getLogs` range per request. */
  maxLogRange: number;
  /** How long a submitted block may stay unobtainable before it is `block_withholding`. */
  maximumBlockWithholdingMs: number;
  /** Ethereum's height not moving for this long raises `ethereum_stalled_sync`. */
  stalledSyncThresholdMs: number;
  /** Concurrent block downloads (default: CPU cores). */
  maxConcurrentDownloads: number;
  /** Downloaded-but-unapplied blocks kept at most. */
  maxUnappliedBlocks: number;
  /** Largest operator response body accepted, in bytes (a full block is 20–90 MB of hex JSON). */
  maxResponseBytes: number;
  /** Timeout of one HTTP request to Ethereum or the operator. */
  requestTimeoutMs: number;
  /** Ethereum blocks after an exit's start before an invalid one becomes `unchallenged_exit`. */
  exitProcessorSlaMargin: number;
}

/** Names under which each follower persists its synced Ethereum height (store `heights`). */
export const SYNCED = {
  depositor: 'depositor',
  blockSubmissions: 'block_submissions',
  exitEvents: 'exit_events',
  /** Highest Ethereum height whose BlockSubmitted blocks are all applied. */
  blockGetter: 'block_getter',
} as const;

/**
 * How the follower stores a `BlockSubmitted` log (store.recordEvents, name 'BlockSubmitted'): the
 * log's `blockNumber` enriched with the framework's `blocks(blknum)` root and timestamp, read at the
 * same Ethereum height. The block getter works only from these records.
 */
export interface BlockSubmittedArgs {
  blknum: bigint;
  root: Hex;
  /** `blocks(blknum).timestamp`, seconds. */
  timestamp: number;
}

/**
 * How the follower stores an `ExitStarted` log (name 'ExitStarted'): the log's `owner` and `exitId`,
 * and the exited output's `utxoPos`. `rlpOutputTx` and `outputTxInclusionProof` are the decoded
 * `startStandardExit` calldata, present only when the transaction called the exit game directly and
 * its arguments hash to `exitId`; without them `utxoPos` comes from `standardExits(exitId)` at the
 * log's height, and is absent if even that could not be read.
 */
export interface ExitStartedArgs {
  owner: Address;
  exitId: bigint;
  utxoPos?: bigint;
  rlpOutputTx?: Hex;
  outputTxInclusionProof?: Hex;
}

/** An `ExitFinalized` record: the log's `exitId` and, when known, the position it took out. */
export interface ExitFinalizedArgs {
  exitId: bigint;
  utxoPos?: bigint;
}

/** The chain's health as the rest of the app gates on it (issue 6, DESIGN.md). */
export type ChainStatusKind = 'syncing' | 'valid' | 'invalid' | 'unknown';

export interface ChainStatus {
  kind: ChainStatusKind;
  /** One sentence in plain words: why this status. */
  reason: string;
}

/** An alarm (spec §3.3 `alarm.get` names): a condition of this watcher, not of the chain. */
export type AlarmName =
  | 'boot_in_progress'
  | 'ethereum_connection_error'
  | 'ethereum_stalled_sync'
  | 'operator_unreachable';

/** What the Ethereum follower knows after its latest poll. */
export interface EthereumProgress {
  /** Latest Ethereum height seen (never decreases), and that block's timestamp (seconds). */
  headHeight: number;
  headTimestamp: number;
  /** The node's `eth_syncing` is not `false` (it is still catching up itself). */
  ethSyncing: boolean;
  /** `nextChildBlock() - childBlockInterval` at `headHeight`, with its `blocks()` timestamp. */
  lastMinedChildBlock: bigint;
  lastMinedChildBlockTimestamp: number;
  /** Whether every follower is synced as far as its margin allows (head − margin). */
  caughtUp: boolean;
  /** Milliseconds since the epoch of the last successful poll, and of the last height increase. */
  lastPollAt: number;
  lastHeightChangeAt: number;
  /** The last poll's failure, if it failed. */
  error: string | undefined;
}

/** What the block getter knows after its latest round. */
export interface BlockGetterProgress {
  lastAppliedBlock: bigint;
  /** Submitted blocks known but not yet applied. */
  pendingBlocks: number;
  /** Blocks applied since start, and transactions in them (for blocks/s on a terminal). */
  appliedBlocks: number;
  appliedTransactions: number;
  /** Set once the chain is invalid: the getter stops applying. */
  halted: boolean;
  /** The last round's operator failure, if it failed. */
  error: string | undefined;
}

/** The deployment the watcher follows, resolved from a network profile and checked on chain. */
export interface Deployment {
  chainId: bigint;
  plasmaFramework: Address;
  ethVault: Address;
  erc20Vault: Address;
  paymentExitGame: Address;
  authority: Address;
  deploymentTxHash: Hex;
  /** Ethereum height of the framework's deployment: no log is ever read below it. */
  deploymentHeight: number;
  childBlockInterval: bigint;
  minExitPeriod: number;
  contractSemver: string;
}
