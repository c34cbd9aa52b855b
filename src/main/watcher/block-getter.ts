// The block getter (spec/watcher.md §1.4): takes the BlockSubmitted records the Ethereum follower
// stored, downloads each block from the operator (a bounded pipeline of concurrent block.get calls),
// validates it (block-validator.ts: signers recovered as soon as it arrives, executed and written
// slice by slice once it is next in line) and applies it to the store in block order, one SQLite
// transaction per block together with the Ethereum height it completes. A block the operator will
// not serve is a potential withholding whose first failure is persisted, so the clock survives a
// restart; past maximumBlockWithholdingMs it is `block_withholding`. An invalid block is
// `invalid_block`. Both halt the getter for good (events stay open in the store, so a restarted
// getter stays halted); blocks applied before stay applied.
import { inlineBlockWriter, type BlockWrite, type BlockWriter, type WatcherStore } from '../store';
import type { SignatureRecoverer } from '../../plasma/recover';
import { decodeUtxoPos, isDepositBlknum } from '../../plasma/position';
import type { Address, Hex } from '../../plasma/types';
import {
  BlockCheckError,
  blockHeader,
  checkAndExecute,
  startCheck,
  type BlockCheck,
  type BlockInvalid,
  type BlockRequest,
} from './block-validator';
import { isChildChainError, type BlockGetData } from './child-chain-client';
import { SYNCED, type BlockGetterProgress, type WatcherConfig } from './types';

/** The store's byzantine-event kind of a block that failed to download, not yet a withholding. */
export const POTENTIAL_WITHHOLDING = 'potential_block_withholding';
/** Events after which the getter never applies another block. */
const HALTING = ['invalid_block', 'block_withholding'];

export interface BlockSource {
  blockGet(hash: Hex): Promise<BlockGetData>;
}

export type BlockGetterConfig = Pick<
  WatcherConfig,
  'maxConcurrentDownloads' | 'maxUnappliedBlocks' | 'maximumBlockWithholdingMs'
>;

export interface BlockGetterOptions {
  /** The plasma framework (EIP-712 verifying contract). */
  verifyingContract: Address;
  childBlockInterval: bigint;
  /** Most blocks applied in one poll, so the watcher reports progress during a long catch-up. */
  maxBlocksPerPoll?: number;
  /**
   * No download starts after a poll has run this long (those under way are still applied), for the
   * same reason; 3 s by default.
   */
  pollBudgetMs?: number;
  /** Transactions decoded per slice sent to the recoverer. */
  sliceTxs?: number;
  /**
   * Most transactions held in downloaded blocks not yet applied, counting each download under way as
   * big as the last block that arrived (maxUnappliedBlocks alone lets several full blocks, hundreds of
   * megabytes, pile up in a catch-up of big blocks). Two full blocks (131,072) by default, so the next block
   * still downloads and recovers while one is applied; the first download always starts.
   */
  maxUnappliedTransactions?: number;
  /**
   * Where validated blocks are written: the store-writer worker in the app (open.ts), so the main
   * thread stays free while a block commits; the store's own connection by default.
   */
  writer?: BlockWriter;
  now?: () => number;
  log?: (message: string) => void;
}

/** What one download came to. */
type Fetched =
  /** Served: its stateless checks are under way (signers being recovered) or done. */
  | { kind: 'served'; check: BlockCheck }
  /** The operator did not serve it: a potential withholding. */
  | { kind: 'unavailable'; error: string }
  /** Something on our side failed (e.g. the recovery pool): retry later, blame nobody. */
  | { kind: 'failed'; error: string };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A BlockSubmitted record's args, checked (the store returns what the follower wrote). */
export function requestOf(
  ethHeight: number,
  args: Record<string, unknown>,
): BlockRequest | undefined {
  const { blknum, root, timestamp } = args;
  if (typeof blknum !== 'bigint' && typeof blknum !== 'number') return undefined;
  if (typeof root !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(root)) return undefined;
  if (typeof timestamp !== 'number' && typeof timestamp !== 'bigint') return undefined;
  return {
    blknum: BigInt(blknum),
    hash: root.toLowerCase() as Hex,
    ethHeight,
    timestamp: Number(timestamp),
  };
}

export class BlockGetter {
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private halted: boolean;
  private appliedBlocks = 0;
  private appliedTransactions = 0;
  private last: BlockGetterProgress;
  private running: Promise<BlockGetterProgress> | undefined;
  /** Transactions in the last block downloaded (0: none yet): the size expected of the next. */
  private lastBlockTxs = 0;
  private readonly writer: BlockWriter;

  constructor(
    private readonly store: WatcherStore,
    private readonly client: BlockSource,
    private readonly recoverer: SignatureRecoverer,
    private readonly config: BlockGetterConfig,
    private readonly options: BlockGetterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    this.writer = options.writer ?? inlineBlockWriter(store);
    this.halted = this.store.byzantineEvents().some((e) => HALTING.includes(e.kind));
    this.last = this.progressWith(0, undefined);
  }

  /** The progress of the last round (before the first: from the store). */
  progress(): BlockGetterProgress {
    return this.last;
  }

  private progressWith(pendingBlocks: number, error: string | undefined): BlockGetterProgress {
    return {
      lastAppliedBlock: this.store.lastAppliedBlock(),
      pendingBlocks,
      appliedBlocks: this.appliedBlocks,
      appliedTransactions: this.appliedTransactions,
      halted: this.halted,
      error,
    };
  }

  /**
   * Submitted child blocks above the last applied one: `run` in order up to the first gap (blocks
   * apply only in order), `all` sorted by number.
   */
  private submissionsToApply(): { run: BlockRequest[]; all: BlockRequest[] } {
    const last = this.store.lastAppliedBlock();
    const fromEthHeight = last > 0n ? (this.store.getBlock(last)?.ethHeight ?? 0) : 0;
    const byBlknum = new Map<bigint, BlockRequest>();
    for (const e of this.store.events({ names: ['BlockSubmitted'], fromEthHeight })) {
      const r = requestOf(e.ethHeight, e.args);
      if (!r) {
        this.log(`ignoring a malformed BlockSubmitted record at Ethereum height ${e.ethHeight}`);
        continue;
      }
      if (r.blknum > last && !isDepositBlknum(r.blknum, this.options.childBlockInterval))
        byBlknum.set(r.blknum, r); // a later record of the same number replaces an earlier one
    }
    const run: BlockRequest[] = [];
    let next = byBlknum.get(last + this.options.childBlockInterval);
    while (next) {
      run.push(next);
      next = byBlknum.get(next.blknum + this.options.childBlockInterval);
    }
    const all = [...byBlknum.values()].sort((a, b) => (a.blknum < b.blknum ? -1 : 1));
    return { run, all };
  }

  /**
   * The Ethereum height the getter has synced once every block up to `applied` is applied: just
   * below the first submission still to apply, else as far as the submissions were followed.
   */
  private syncedHeightAfter(applied: bigint, all: readonly BlockRequest[]): number | undefined {
    const next = all.find((r) => r.blknum > applied);
    if (next) return next.ethHeight - 1;
    return this.store.getHeight(SYNCED.blockSubmissions);
  }

  /** The getter's height to write: only ever forward. */
  private heightsFor(height: number | undefined): Record<string, number> {
    if (height === undefined || height < 0) return {};
    const current = this.store.getHeight(SYNCED.blockGetter);
    return current === undefined || height > current ? { [SYNCED.blockGetter]: height } : {};
  }

  /** One round: download, validate and apply what can be; a call during a round joins it. */
  poll(): Promise<BlockGetterProgress> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<BlockGetterProgress> {
    if (this.halted) return (this.last = this.progressWith(0, undefined));
    const { run, all } = this.submissionsToApply();
    if (run.length === 0) {
      const heights = this.heightsFor(this.syncedHeightAfter(this.store.lastAppliedBlock(), all));
      if (Object.keys(heights).length > 0) this.store.setHeights(heights);
      return (this.last = this.progressWith(all.length, undefined));
    }
    const limit = Math.max(1, this.options.maxBlocksPerPoll ?? 500);
    const round = run.slice(0, limit);
    const fetched = this.pipeline(round, performance.now() + (this.options.pollBudgetMs ?? 3_000));
    let error: string | undefined;
    let applied = 0;
    try {
      for (let i = 0; i < round.length && i < fetched.started(); i++) {
        const request = round[i]!;
        const outcome = await fetched.next(i);
        // Known before the block is written, so that nothing can fail between its execution and
        // its commit (the writer holds the store's write lock meanwhile).
        const heights = this.heightsFor(this.syncedHeightAfter(request.blknum, all));
        const verdict = await this.handle(request, outcome);
        if (verdict.stop) {
          error = verdict.error;
          break;
        }
        // Awaited: block n+1 executes against the UTXO set only once n is committed (its download
        // and signer recovery go on meanwhile).
        await this.apply(verdict.txCount, verdict.write, heights);
        applied++;
        fetched.release();
      }
    } finally {
      fetched.stop();
    }
    return (this.last = this.progressWith(all.length - applied, error));
  }

  private async apply(
    txCount: number,
    write: BlockWrite,
    heights: Record<string, number>,
  ): Promise<void> {
    await write.commit(heights);
    this.appliedBlocks++;
    this.appliedTransactions += txCount;
  }

  /**
   * Turns one download outcome into a block written and ready to commit, or a reason to stop the
   * round. Called for the block next in line only (it executes against the stored UTXO set).
   */
  private async handle(
    request: BlockRequest,
    outcome: Fetched,
  ): Promise<
    { stop: false; txCount: number; write: BlockWrite } | { stop: true; error: string | undefined }
  > {
    const key = String(request.blknum);
    switch (outcome.kind) {
      case 'failed':
        return { stop: true, error: outcome.error };
      case 'unavailable':
        return { stop: true, error: this.withheld(request, outcome.error) };
      case 'served': {
        this.store.resolveByzantineEvent(POTENTIAL_WITHHOLDING, key, this.now());
        // Checked, executed and stored at once: each slice is executed as soon as its signers are
        // recovered, and the writer takes its transactions and effects right away.
        const { check } = outcome;
        if (check.early) {
          this.invalidBlock(request, check.early);
          return { stop: true, error: undefined };
        }
        const write = this.writer.begin(blockHeader(request, check.txCount));
        let result: BlockInvalid | { ok: true };
        try {
          result = await checkAndExecute(request, check, this.store, write);
        } catch (e) {
          await write.abort();
          if (e instanceof BlockCheckError) return { stop: true, error: e.message };
          throw e;
        }
        if (result.ok) return { stop: false, txCount: check.txCount, write };
        await write.abort();
        if (this.depositMayBeUnknown(request, result))
          return {
            stop: true,
            error: undefined, // not the operator's fault (yet): the depositor is behind
          };
        this.invalidBlock(request, result);
        return { stop: true, error: undefined };
      }
    }
  }

  /**
   * A block may spend a deposit this watcher has not recorded yet only while the depositor has not
   * synced past the block's submission height: the operator can only have accepted a deposit buried
   * under its finality margin before it submitted the block, and the depositor's synced height is
   * already that margin below Ethereum's head. Until then `utxo_not_found` on a deposit means wait.
   */
  private depositMayBeUnknown(request: BlockRequest, invalid: BlockInvalid): boolean {
    if (invalid.reason !== 'utxo_not_found' || invalid.missingInput === undefined) return false;
    const { blknum } = decodeUtxoPos(invalid.missingInput);
    if (!isDepositBlknum(blknum, this.options.childBlockInterval)) return false;
    const depositor = this.store.getHeight(SYNCED.depositor) ?? -1;
    if (depositor >= request.ethHeight) return false;
    this.log(
      `block ${request.blknum} spends deposit ${blknum}, not known yet; waiting for the depositor ` +
        `(synced to ${depositor}, needs ${request.ethHeight})`,
    );
    return true;
  }

  private invalidBlock(request: BlockRequest, invalid: BlockInvalid): void {
    this.halted = true;
    this.store.upsertByzantineEvent(
      'invalid_block',
      String(request.blknum),
      {
        name: 'invalid_block',
        blknum: request.blknum,
        hash: request.hash,
        error_type: invalid.errorType,
        ...(invalid.reason !== invalid.errorType ? { reason: invalid.reason } : {}),
        ...(invalid.txindex !== undefined ? { txindex: invalid.txindex } : {}),
      },
      this.now(),
    );
    this.log(`invalid_block ${request.blknum} (${invalid.errorType}): ${invalid.message}`);
  }

  /** Records a failed download; returns the error to report. Past the limit: block_withholding. */
  private withheld(request: BlockRequest, error: string): string {
    const key = String(request.blknum);
    const now = this.now();
    this.store.upsertByzantineEvent(
      POTENTIAL_WITHHOLDING,
      key,
      { blknum: request.blknum, hash: request.hash, last_error: error },
      now,
    );
    const open = this.store
      .byzantineEvents()
      .find((e) => e.kind === POTENTIAL_WITHHOLDING && e.key === key);
    const since = open?.firstSeenAt ?? now;
    if (now - since >= this.config.maximumBlockWithholdingMs) {
      this.halted = true;
      this.store.upsertByzantineEvent(
        'block_withholding',
        key,
        { name: 'block_withholding', blknum: request.blknum, hash: request.hash },
        now,
      );
      this.log(
        `block_withholding ${request.blknum}: the operator has not served it for ${now - since} ms`,
      );
    }
    return `Block ${request.blknum} could not be downloaded: ${error}`;
  }

  /**
   * Starts downloads in block order, at most maxConcurrentDownloads at a time, at most
   * maxUnappliedBlocks ahead of the block being applied and within maxUnappliedTransactions; each
   * is validated statelessly as soon as it arrives. `next(i)` hands block i over (the pipeline keeps
   * no reference to it afterwards); `release()` frees its buffer slot once applied.
   */
  private pipeline(round: readonly BlockRequest[], deadline: number) {
    const results: (Promise<Fetched> | undefined)[] = [];
    const sizes: number[] = [];
    let started = 0;
    let released = 0;
    let downloading = 0;
    let unapplied = 0;
    /** Transactions of the downloaded blocks not applied yet. */
    let buffered = 0;
    let stopped = false;
    const maxDownloads = Math.max(1, this.config.maxConcurrentDownloads);
    const maxAhead = Math.max(1, this.config.maxUnappliedBlocks);
    const maxTxs = Math.max(1, this.options.maxUnappliedTransactions ?? 2 * 65_536);
    const fits = (): boolean =>
      unapplied === 0 ||
      (this.lastBlockTxs > 0 && buffered + (downloading + 1) * this.lastBlockTxs <= maxTxs);
    const pump = (): void => {
      while (
        !stopped &&
        started < round.length &&
        downloading < maxDownloads &&
        unapplied < maxAhead &&
        fits() &&
        (started === 0 || performance.now() < deadline)
      ) {
        const index = started++;
        downloading++;
        unapplied++;
        results.push(
          this.fetch(round[index]!, (transactions) => {
            downloading--;
            if (transactions !== undefined) {
              sizes[index] = transactions;
              buffered += transactions;
              this.lastBlockTxs = Math.max(1, transactions);
            }
            pump();
          }),
        );
      }
    };
    pump();
    return {
      started: (): number => started,
      next: (i: number): Promise<Fetched> => {
        const result = results[i]!;
        results[i] = undefined; // applied blocks must not stay in memory until the round ends
        return result;
      },
      release: (): void => {
        buffered -= sizes[released] ?? 0;
        sizes[released++] = 0;
        unapplied--;
        pump();
      },
      stop: (): void => {
        stopped = true;
      },
    };
  }

  /** Downloads one block and starts its stateless checks; never rejects. */
  private async fetch(
    request: BlockRequest,
    /** Called once the download is over: with the block's transaction count, or undefined. */
    downloaded: (transactions: number | undefined) => void,
  ): Promise<Fetched> {
    let response: BlockGetData;
    try {
      response = await this.client.blockGet(request.hash);
    } catch (e) {
      downloaded(undefined);
      return isChildChainError(e)
        ? { kind: 'unavailable', error: e.message }
        : { kind: 'failed', error: message(e) };
    }
    downloaded(response.transactions.length);
    return {
      kind: 'served',
      check: startCheck(request, response, {
        verifyingContract: this.options.verifyingContract,
        recoverer: this.recoverer,
        ...(this.options.sliceTxs ? { sliceTxs: this.options.sliceTxs } : {}),
      }),
    };
  }
}
