// The Ethereum follower (spec/watcher.md §1.2–§1.3): each poll reads the head, checks that the chain
// it synced is still there, then follows three streams through one `eth_getLogs` per range:
// deposits after the deposit margin, BlockSubmitted at 0 confirmations (never past the deposits'
// height + their margin, re-scanned `blockGetterReorgMargin` back), and the exit-game events after
// the exit margin (never before the deposits of their height). Each range's writes are one SQLite
// transaction with the heights they cover and a checkpoint (height, block hash) of the deposits'
// height; a checkpoint that no longer matches is a reorg deeper than the margins, rolled back to the
// newest checkpoint that still matches. A shallower reorg touches only the 0-confirmation
// submissions: the re-scan records them where they are now and forgets where they no longer are.
import {
  BLOCK_OFFSET,
  decodeUtxoPos,
  isDepositBlknum,
  isValidUtxoPos,
} from '../../plasma/position';
import type { Hex } from '../../plasma/types';
import type { DepositInput, RootChainEventInput, WatcherStore } from '../store';
import {
  RootChainError,
  type BlockHeader,
  type RootChainLog,
  type RootChainReader,
} from './ethereum';
import {
  SYNCED,
  type BlockSubmittedArgs,
  type Deployment,
  type EthereumProgress,
  type WatcherConfig,
} from './types';

type Margins = Pick<
  WatcherConfig,
  'depositFinalityMargin' | 'exitFinalityMargin' | 'blockGetterReorgMargin'
>;

/** The height each stream may sync to at Ethereum height `head` (§1.3.3). */
export function syncTargets(
  head: number,
  config: Margins,
): { deposits: number; exitEvents: number; blockSubmissions: number } {
  const deposits = head - config.depositFinalityMargin;
  return {
    deposits,
    exitEvents: Math.min(head - config.exitFinalityMargin, deposits),
    blockSubmissions: Math.min(head, deposits + config.depositFinalityMargin),
  };
}

/**
 * Whether the follower has caught up: every stream synced as far as its margin allows at `head`
 * (heights below the deployment count as synced: there is nothing to read there).
 */
export function isCaughtUp(
  heights: Readonly<Record<string, number>>,
  head: number,
  config: Margins,
  deploymentHeight: number,
): boolean {
  const t = syncTargets(head, config);
  const base = deploymentHeight - 1;
  const at = (name: string, target: number) => (heights[name] ?? base) >= Math.max(base, target);
  return (
    at(SYNCED.depositor, t.deposits) &&
    at(SYNCED.exitEvents, t.exitEvents) &&
    at(SYNCED.blockSubmissions, t.blockSubmissions)
  );
}

/** Progress before any successful poll: nothing known, the stall clock started at `since`. */
export function initialEthereumProgress(since: number, error?: string): EthereumProgress {
  return {
    headHeight: 0,
    headTimestamp: 0,
    ethSyncing: false,
    lastMinedChildBlock: 0n,
    lastMinedChildBlockTimestamp: 0,
    caughtUp: false,
    lastPollAt: 0,
    lastHeightChangeAt: since,
    error,
  };
}

export interface FollowerOptions {
  now?: () => number;
  /** Checkpoints kept for finding the common ancestor of a reorg (default 256). */
  checkpointsKept?: number;
  /**
   * A poll stops reading new ranges after this long (default 5 s), so that a long catch-up still
   * lets the rest of the watcher run between polls; the next poll carries on.
   */
  pollBudgetMs?: number;
  /** Plain-language notes (a reorg rolled back); the headless watcher prints them. */
  log?: (message: string) => void;
}

/** A deep reorg the follower rolled back. */
export interface ReorgNote {
  /** The checkpoint that no longer matched, and the common ancestor the store went back to. */
  detectedAt: number;
  ancestor: number;
  at: number;
}

interface PendingFinalization {
  utxoPos: bigint;
  exitId: bigint;
  ethHeight: number;
  ethTxHash: Hex;
  logIndex: number;
}

export class EthereumFollower {
  private progress: EthereumProgress;
  private maxHead = -1;
  private readonly now: () => number;
  private readonly keep: number;
  private readonly budgetMs: number;
  private readonly log: (message: string) => void;
  private readonly base: number;
  /** Exit finalizations of outputs in blocks the block getter has not applied yet. */
  private pending: PendingFinalization[] | undefined;
  /** exitId → utxoPos of the recorded ExitStarted events, loaded from the store on first need. */
  private startedExits: Map<bigint, bigint> | undefined;
  private running: Promise<EthereumProgress> | undefined;
  /** The deep reorgs rolled back since start, oldest first. */
  readonly reorgs: ReorgNote[] = [];

  constructor(
    private readonly store: WatcherStore,
    private readonly reader: RootChainReader,
    private readonly deployment: Deployment,
    private readonly config: WatcherConfig,
    options: FollowerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.keep = Math.max(2, options.checkpointsKept ?? 256);
    this.budgetMs = options.pollBudgetMs ?? 5_000;
    this.log = options.log ?? (() => undefined);
    this.base = Math.max(0, deployment.deploymentHeight - 1);
    this.progress = initialEthereumProgress(this.now());
  }

  /** The latest progress (of the last poll, failed or not). */
  get lastProgress(): EthereumProgress {
    return this.progress;
  }

  /** One round; never throws: a failure is reported in `error` with the previous numbers kept. */
  poll(): Promise<EthereumProgress> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  close(): void {
    this.reader.close();
  }

  private async round(): Promise<EthereumProgress> {
    try {
      const head = await this.reader.head();
      const ethSyncing = await this.reader.syncing();
      const now = this.now();
      const lastHeightChangeAt =
        head.height > this.maxHead ? now : this.progress.lastHeightChangeAt;
      this.maxHead = Math.max(this.maxHead, head.height);
      await this.checkReorg(head);
      await this.follow(head);
      this.settleFinalizations();
      const interval = this.deployment.childBlockInterval;
      const lastMined = (await this.reader.nextChildBlock(head.height)) - interval;
      const minedTimestamp =
        lastMined > 0n ? (await this.reader.blocks(lastMined, head.height)).timestamp : 0;
      this.progress = {
        headHeight: this.maxHead,
        headTimestamp: Math.max(head.timestamp, this.progress.headTimestamp),
        ethSyncing,
        lastMinedChildBlock: lastMined > 0n ? lastMined : 0n,
        lastMinedChildBlockTimestamp: minedTimestamp,
        caughtUp: isCaughtUp(
          this.store.heights(),
          head.height,
          this.config,
          this.deployment.deploymentHeight,
        ),
        lastPollAt: this.now(),
        lastHeightChangeAt,
        error: undefined,
      };
    } catch (e) {
      this.progress = {
        ...this.progress,
        caughtUp: false,
        error: e instanceof Error ? e.message : String(e),
      };
    }
    return this.progress;
  }

  private synced(name: string): number {
    return Math.max(this.base, this.store.getHeight(name) ?? this.base);
  }

  // ----------------------------------------------------------------------------------------------
  // Reorgs deeper than the margins

  private async matches(cp: { ethHeight: number; blockHash: Hex }): Promise<boolean> {
    return (await this.reader.block(cp.ethHeight))?.hash === cp.blockHash;
  }

  private async checkReorg(head: BlockHeader): Promise<void> {
    // Checkpoints above the node's head cannot be compared yet (a node catching up, or a shorter
    // fork); the newest one it has decides, and the rest is compared once the node is there.
    const cps = this.store.checkpoints(this.keep).filter((c) => c.ethHeight <= head.height);
    if (cps.length === 0 || (await this.matches(cps[0]!))) return;
    // Checkpoints are newest first and a match at one height means a match at every lower one (each
    // block commits to its parent), so the newest match is found by bisection.
    let lo = 1;
    let hi = cps.length; // cps[hi] would be "below every checkpoint": the deployment
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (await this.matches(cps[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    const ancestor = lo < cps.length ? cps[lo]!.ethHeight : this.base;
    const summary = this.store.rollbackTo(ancestor);
    this.pending = undefined;
    this.startedExits = undefined;
    this.reorgs.push({ detectedAt: cps[0]!.ethHeight, ancestor, at: this.now() });
    this.log(
      `Ethereum reorganised below height ${cps[0]!.ethHeight}, deeper than the finality margins: ` +
        `went back to height ${ancestor} (removed ${summary.depositsRemoved} deposits, ` +
        `${summary.eventsRemoved} events, ${summary.blocksRemoved} child blocks) and re-reading.`,
    );
  }

  // ----------------------------------------------------------------------------------------------
  // Following

  private async follow(head: BlockHeader): Promise<void> {
    const targets = syncTargets(head.height, this.config);
    let deposits = this.synced(SYNCED.depositor);
    let exits = this.synced(SYNCED.exitEvents);
    let submissions = this.synced(SYNCED.blockSubmissions);
    const rescanFrom = Math.max(this.base, submissions - this.config.blockGetterReorgMargin) + 1;
    const end = Math.max(targets.deposits, targets.exitEvents, targets.blockSubmissions);
    let from = Math.min(deposits + 1, exits + 1, rescanFrom);
    const started = this.now();
    while (from <= end && this.now() - started <= this.budgetMs) {
      const to = Math.min(end, from + this.config.maxLogRange - 1);
      const nextDeposits = Math.max(deposits, Math.min(to, targets.deposits));
      // The deposits' height is checkpointed; its hash must be the same before and after reading,
      // or the logs may come from a chain that was being replaced while we read.
      const top = nextDeposits > this.base ? nextDeposits : undefined;
      const before = top === undefined ? undefined : await this.reader.block(top);
      const logs = await this.fetchLogs(from, to);
      const dropped = this.dropVanishedSubmissions(logs, Math.max(from, deposits + 1), to);
      if (dropped !== undefined) submissions = Math.min(submissions, dropped);
      const next = {
        deposits: nextDeposits,
        exits: Math.max(exits, Math.min(to, targets.exitEvents, nextDeposits)),
        submissions: Math.max(
          submissions,
          Math.min(to, targets.blockSubmissions, nextDeposits + this.config.depositFinalityMargin),
        ),
      };
      const rescanStart = Math.min(rescanFrom, dropped === undefined ? rescanFrom : dropped + 1);
      const batch = await this.prepare(
        logs,
        { deposits, exits, submissions: Math.max(from, rescanStart) - 1 },
        next,
      );
      if (top !== undefined) {
        const after = await this.reader.block(top);
        if (!before || !after || before.hash !== after.hash)
          throw new RootChainError(
            'ethereum_bad_response',
            `Ethereum reorganised at height ${top} while it was being read; reading it again next time.`,
          );
      }
      this.commit(batch, next, top === undefined ? undefined : before!.hash);
      deposits = next.deposits;
      exits = next.exits;
      submissions = next.submissions;
      from = to + 1;
    }
  }

  /**
   * BlockSubmitted is followed at 0 confirmations, so a reorg shallower than the margins can take a
   * recorded submission away or move it to another height. Records in [from, to] (all above the
   * deposits' height, so nothing finalized is touched) that the fresh logs no longer show are
   * rolled back from their height, with any child block applied from them; the fresh logs record
   * them again where they are now. Returns the height rolled back to, if any.
   */
  private dropVanishedSubmissions(
    logs: readonly RootChainLog[],
    from: number,
    to: number,
  ): number | undefined {
    if (from > to) return undefined;
    const key = (e: { ethTxHash: Hex; logIndex: number; ethHeight: number }) =>
      `${e.ethTxHash}:${e.logIndex}:${e.ethHeight}`;
    const present = new Set(logs.filter((l) => l.name === 'BlockSubmitted').map(key));
    const vanished = this.store
      .events({ names: ['BlockSubmitted'], fromEthHeight: from, toEthHeight: to })
      .filter((e) => !present.has(key(e)));
    if (vanished.length === 0) return undefined;
    const height = Math.min(...vanished.map((e) => e.ethHeight)) - 1;
    const summary = this.store.rollbackTo(height);
    this.pending = undefined;
    this.startedExits = undefined;
    this.log(
      `Ethereum reorganised above height ${height}, within the margins: ` +
        `${vanished.length} block submission(s) moved or vanished; forgot them and ` +
        `${summary.blocksRemoved} child block(s) applied from them, and reading again.`,
    );
    return height;
  }

  /** Logs of [from, to]; a node that refuses a wide range (too many results) is asked in halves. */
  private async fetchLogs(from: number, to: number): Promise<RootChainLog[]> {
    try {
      return await this.reader.logs(from, to);
    } catch (e) {
      if (!(e instanceof RootChainError) || e.code !== 'ethereum_rpc_error' || from === to) throw e;
      const mid = Math.floor((from + to) / 2);
      return [...(await this.fetchLogs(from, mid)), ...(await this.fetchLogs(mid + 1, to))];
    }
  }

  /** What one range adds to each stream, with the reads it needs done before the transaction. */
  private async prepare(
    logs: readonly RootChainLog[],
    synced: { deposits: number; exits: number; submissions: number },
    next: { deposits: number; exits: number; submissions: number },
  ): Promise<Batch> {
    const within = (l: RootChainLog, after: number, upTo: number) =>
      l.ethHeight > after && l.ethHeight <= upTo;
    const interval = this.deployment.childBlockInterval;
    const batch: Batch = { deposits: [], exitEvents: [], submissions: [], finalizations: [] };

    for (const l of logs) {
      if (l.name !== 'DepositCreated' || !within(l, synced.deposits, next.deposits)) continue;
      const blknum = l.args['blknum'] as bigint;
      if (!isDepositBlknum(blknum, interval) || blknum === 0n)
        throw this.odd(l, `deposit block number ${blknum} is not a deposit block`);
      const amount = l.args['amount'] as bigint;
      // A zero deposit creates nothing anybody could spend or exit.
      if (amount === 0n) continue;
      batch.deposits.push({
        blknum,
        owner: l.args['depositor'] as DepositInput['owner'],
        token: l.args['token'] as DepositInput['token'],
        amount,
        ethHeight: l.ethHeight,
        ethTxHash: l.ethTxHash,
        logIndex: l.logIndex,
      });
    }

    const known = new Set(
      this.store
        .events({
          names: ['BlockSubmitted'],
          fromEthHeight: synced.submissions + 1,
          toEthHeight: next.submissions,
        })
        .map((e) => `${e.ethTxHash}:${e.logIndex}`),
    );
    for (const l of logs) {
      if (l.name !== 'BlockSubmitted' || !within(l, synced.submissions, next.submissions)) continue;
      if (known.has(`${l.ethTxHash}:${l.logIndex}`)) continue;
      const blknum = l.args['blknum'] as bigint;
      if (blknum === 0n || blknum % interval !== 0n)
        throw this.odd(l, `block number ${blknum} is not a multiple of ${interval}`);
      const { root, timestamp } = await this.submittedBlock(blknum, l.ethHeight);
      if (/^0x0+$/.test(root))
        throw new RootChainError(
          'ethereum_bad_response',
          `The framework has no root for block ${blknum} at height ${l.ethHeight}, where it was ` +
            `submitted; Ethereum is reorganising. Reading it again next time.`,
        );
      const args: BlockSubmittedArgs = { blknum, root, timestamp };
      batch.submissions.push(this.event(l, { ...args }));
    }

    for (const l of logs) {
      if (l.name === 'DepositCreated' || l.name === 'BlockSubmitted') continue;
      if (!within(l, synced.exits, next.exits)) continue;
      const args = { ...l.args, ...(await this.reader.enrichment(l)) };
      if (l.name === 'ExitStarted' && args['utxoPos'] === undefined) {
        const pos = await this.exitPosition(args['exitId'] as bigint, l.ethHeight);
        if (pos !== undefined) args['utxoPos'] = pos;
      }
      if (l.name === 'ExitFinalized') {
        const exitId = args['exitId'] as bigint;
        const pos =
          this.startedPosition(exitId, batch.exitEvents) ??
          (await this.exitPosition(exitId, l.ethHeight - 1));
        if (pos !== undefined) args['utxoPos'] = pos;
        if (pos !== undefined && isOutputPosition(pos)) {
          batch.finalizations.push({
            utxoPos: pos,
            exitId,
            ethHeight: l.ethHeight,
            ethTxHash: l.ethTxHash,
            logIndex: l.logIndex,
          });
        }
      }
      batch.exitEvents.push(this.event(l, args));
    }
    return batch;
  }

  /**
   * `blocks(blknum)` at the submission's height; a node without the state of old heights (not an
   * archive node) is asked at the head instead, which gives the same answer: the framework never
   * rewrites a submitted block.
   */
  private async submittedBlock(blknum: bigint, height: number) {
    try {
      return await this.reader.blocks(blknum, height);
    } catch (e) {
      if (!(e instanceof RootChainError) || e.code !== 'ethereum_rpc_error') throw e;
      return this.reader.blocks(blknum);
    }
  }

  private event(l: RootChainLog, args: Record<string, unknown>): RootChainEventInput {
    return {
      ethHeight: l.ethHeight,
      logIndex: l.logIndex,
      ethTxHash: l.ethTxHash,
      name: l.name,
      args,
    };
  }

  private odd(l: RootChainLog, what: string): RootChainError {
    return new RootChainError(
      'ethereum_bad_response',
      `A ${l.name} log at height ${l.ethHeight} (transaction ${l.ethTxHash}) is impossible: ${what}. ` +
        `The contract at ${l.address} is not a v1 Plasma contract.`,
    );
  }

  /** The position of a standard exit from its ExitStarted record (this range's, or the store's). */
  private startedPosition(
    exitId: bigint,
    inBatch: readonly RootChainEventInput[],
  ): bigint | undefined {
    const mine = (args: Record<string, unknown>) =>
      args['exitId'] === exitId && typeof args['utxoPos'] === 'bigint';
    const fresh = inBatch.find((e) => e.name === 'ExitStarted' && mine(e.args));
    if (fresh) return fresh.args['utxoPos'] as bigint;
    return this.exitsStarted().get(exitId);
  }

  private exitsStarted(): Map<bigint, bigint> {
    if (!this.startedExits) {
      this.startedExits = new Map();
      for (const e of this.store.events({ names: ['ExitStarted'] })) this.rememberExit(e.args);
    }
    return this.startedExits;
  }

  private rememberExit(args: Record<string, unknown>): void {
    const { exitId, utxoPos } = args;
    if (typeof exitId === 'bigint' && typeof utxoPos === 'bigint')
      this.startedExits?.set(exitId, utxoPos);
  }

  /** `standardExits(exitId).utxoPos` at a height; undefined if the node cannot say (no archive state). */
  private async exitPosition(exitId: bigint, height: number): Promise<bigint | undefined> {
    try {
      const [record] = await this.reader.standardExits([exitId], height);
      return record && record.utxoPos > 0n ? record.utxoPos : undefined;
    } catch (e) {
      if (e instanceof RootChainError && e.code === 'ethereum_unreachable') throw e;
      return undefined;
    }
  }

  private commit(
    batch: Batch,
    next: { deposits: number; exits: number; submissions: number },
    checkpointHash: Hex | undefined,
  ): void {
    const applied = this.store.lastAppliedBlock();
    const deferred: PendingFinalization[] = [];
    const now = this.now();
    this.store.atomically(() => {
      this.store.applyDeposits(batch.deposits, { [SYNCED.depositor]: next.deposits });
      this.store.recordEvents(batch.exitEvents, { [SYNCED.exitEvents]: next.exits }, now);
      this.store.recordEvents(
        batch.submissions,
        { [SYNCED.blockSubmissions]: next.submissions },
        now,
      );
      for (const f of batch.finalizations) {
        if (this.outputApplied(f.utxoPos, applied)) this.markExited(f);
        else deferred.push(f);
      }
      if (checkpointHash !== undefined) {
        this.store.putCheckpoints([{ ethHeight: next.deposits, blockHash: checkpointHash }]);
        this.store.pruneCheckpoints(this.keep);
      }
    });
    this.pending?.push(...deferred);
    for (const e of batch.exitEvents) if (e.name === 'ExitStarted') this.rememberExit(e.args);
  }

  // ----------------------------------------------------------------------------------------------
  // Exit finalizations: the exited output leaves the UTXO set once the block that created it is
  // applied (spec: finalizations never before the blocks that could create the UTXO).

  private outputApplied(utxoPos: bigint, lastApplied: bigint): boolean {
    const { blknum } = decodeUtxoPos(utxoPos);
    return isDepositBlknum(blknum, this.deployment.childBlockInterval) || blknum <= lastApplied;
  }

  private markExited(f: PendingFinalization): void {
    this.store.markSpentByExit(f.utxoPos, {
      ethHeight: f.ethHeight,
      ethTxHash: f.ethTxHash,
      logIndex: f.logIndex,
      exitId: f.exitId,
    });
  }

  /** Finalizations recorded but not yet applied to the UTXO set (after a restart: from the store). */
  private pendingFinalizations(): PendingFinalization[] {
    if (this.pending) return this.pending;
    this.pending = [];
    for (const e of this.store.events({ names: ['ExitFinalized'] })) {
      const utxoPos = e.args['utxoPos'];
      // Already out of the UTXO set (by this exit, or spent before it): nothing left to do.
      if (typeof utxoPos !== 'bigint' || !isOutputPosition(utxoPos) || this.store.spendOf(utxoPos))
        continue;
      this.pending.push({
        utxoPos,
        exitId: e.args['exitId'] as bigint,
        ethHeight: e.ethHeight,
        ethTxHash: e.ethTxHash,
        logIndex: e.logIndex,
      });
    }
    return this.pending;
  }

  private settleFinalizations(): void {
    const pending = this.pendingFinalizations();
    if (pending.length === 0) return;
    const applied = this.store.lastAppliedBlock();
    const ready = pending.filter((f) => this.outputApplied(f.utxoPos, applied));
    if (ready.length === 0) return;
    this.store.atomically(() => ready.forEach((f) => this.markExited(f)));
    this.pending = pending.filter((f) => !ready.includes(f));
  }
}

/** A position an output can have (a contract's record of a nonsense position marks nothing). */
function isOutputPosition(pos: bigint): boolean {
  return isValidUtxoPos(pos) && pos >= BLOCK_OFFSET;
}

interface Batch {
  deposits: DepositInput[];
  exitEvents: RootChainEventInput[];
  submissions: RootChainEventInput[];
  finalizations: PendingFinalization[];
}
