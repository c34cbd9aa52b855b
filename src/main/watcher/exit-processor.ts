// The exit processor (spec/watcher.md §1.7, §2.2): tracks every standard exit from the store's
// ExitStarted / ExitChallenged / ExitFinalized records and, after each watcher round, raises
// `invalid_exit` for an active exit whose output was spent in a validated block or never existed
// (judged once the ledger has reached its block),
// and `unchallenged_exit` once such an exit is still unchallenged `exitProcessorSlaMargin` Ethereum
// blocks after it started. Both resolve when the exit is challenged or validly finalized; an invalid
// finalization (the output was already gone) keeps both open for good.
// It also serves what a challenge needs (utxo.get_challenge_data) and what a start needs
// (utxo.get_exit_data), from the store alone: no operator is asked.
import { bytesToHex, hexToBytes } from '../../plasma/hex';
import { depositExitData, standardExitExitableAt } from '../../plasma/ids';
import { decodeUtxoPos, isDepositBlknum, isValidUtxoPos } from '../../plasma/position';
import { decodePayment, decodeSigned, encodeDeposit } from '../../plasma/tx';
import type { Address, Hex } from '../../plasma/types';
import type { RootChainEvent, WatcherStore } from '../store';
import type { ExitStartedArgs } from './types';

export const EXIT_EVENT_KINDS = ['invalid_exit', 'unchallenged_exit'] as const;

/** What the processor reads from Ethereum (timestamps for the scheduled finalization time). */
export interface ExitChainReader {
  /** Seconds: the timestamp of Ethereum block `height`. */
  blockTimestamp(height: number): Promise<number>;
  /** Seconds: the framework's `blocks(blknum).timestamp` (child or deposit block). */
  childBlockTimestamp(blknum: bigint): Promise<number>;
  /**
   * The exit game's record of an exit (`standardExits`): its amount when neither the ledger nor the
   * exit's calldata says what the output held.
   */
  standardExitAmount?(exitId: bigint): Promise<bigint | undefined>;
}

export interface TrackedExit {
  exitId: bigint;
  utxoPos: bigint;
  /** Who gets the funds (the ExitStarted owner). */
  owner: Address;
  /** The output's token and amount, when the output or the exit's calldata is known. */
  token: Address | null;
  amount: bigint | null;
  ethHeight: number;
  ethTxHash: Hex;
  /** Seconds: the scheduled finalization time (exitable-at); null until it could be read. */
  exitableAt: number | null;
  challenged: boolean;
  finalized: boolean;
  /** Finalized although its output was already spent or never existed. */
  invalidFinalization: boolean;
  /** The exit's output transaction (from calldata or the store), when known. */
  outputTx: Hex | null;
  invalid: boolean;
  /** The child-chain transaction that spent the output, when the watcher knows it. */
  spendingTxHash: Hex | null;
}

export class ExitDataError extends Error {
  constructor(
    /** `exit:invalid`, `challenge:exit_not_found`, `challenge:utxo_not_spent` (spec §3.3). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExitDataError';
  }
}

export interface ChallengeDataResult {
  exitId: bigint;
  exitingTx: Hex;
  txBytes: Hex;
  inputIndex: number;
  sig: Hex;
}

export interface ExitDataResult {
  utxoPos: bigint;
  txBytes: Hex;
  proof: Hex;
  root: Hex;
  token: Address;
  amount: bigint;
  owner: Address;
}

export interface ExitProcessorOptions {
  childBlockInterval: bigint;
  minExitPeriod: number;
  slaMargin: number;
  now?: () => number;
  log?: (message: string) => void;
}

/** The exit event names the processor reads. */
const EXIT_EVENT_NAMES = ['ExitStarted', 'ExitChallenged', 'ExitFinalized'] as const;

/** The newest exit event applied, to read only newer ones and to notice that a rollback removed it. */
interface EventMark {
  id: number;
  ethHeight: number;
  ethTxHash: Hex;
  logIndex: number;
  firstSeenAt: number;
}

/**
 * The same stored record. Row ids are reused after a rollback deletes the newest rows, so the log's
 * identity and its first-seen time are compared too: a record written again is seen anew.
 */
const sameEvent = (a: EventMark, b: EventMark): boolean =>
  a.id === b.id &&
  a.ethHeight === b.ethHeight &&
  a.ethTxHash === b.ethTxHash &&
  a.logIndex === b.logIndex &&
  a.firstSeenAt === b.firstSeenAt;

export class ExitProcessor {
  private readonly exits = new Map<bigint, TrackedExit>();
  private readonly timestamps = new Map<bigint, number>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  /** The newest applied exit event, and the ids applied at its height (a height may hold several). */
  private mark: EventMark | undefined;
  private readonly appliedAtMark = new Set<number>();
  /** How often the exit table was rebuilt because a rollback took applied events away. */
  rebuilds = 0;

  constructor(
    private readonly store: WatcherStore,
    private readonly reader: ExitChainReader,
    private readonly options: ExitProcessorOptions,
  ) {
    if (options.slaMargin >= options.minExitPeriod)
      throw new RangeError(
        `exitProcessorSlaMargin (${options.slaMargin}) must be below minExitPeriod ` +
          `(${options.minExitPeriod}): the alarm must come while there is still time to exit.`,
      );
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
  }

  /** Every tracked standard exit, oldest start first. */
  list(): TrackedExit[] {
    return [...this.exits.values()].sort(
      (a, b) => a.ethHeight - b.ethHeight || (a.exitId < b.exitId ? -1 : 1),
    );
  }

  byPosition(utxoPos: bigint): TrackedExit | undefined {
    return this.list()
      .reverse()
      .find((e) => e.utxoPos === utxoPos);
  }

  /**
   * Applies the exit records stored since the last round, evaluates every open exit against the
   * ledger and updates the byzantine events. `headHeight` is the latest Ethereum height (for
   * lateness). Exits above the ledger's height are judged in a later round.
   *
   * Incremental: each round reads only the exit records from the height of the newest one applied
   * (the follower stores a height's records together, in chain order). If that record is gone, a
   * rollback (store.rollbackTo, a reorg) took applied records away: the table is rebuilt from the
   * records that remain, and the evaluation resolves the events of exits that no longer exist.
   */
  async poll(headHeight: number): Promise<TrackedExit[]> {
    let events = this.store.events({
      names: EXIT_EVENT_NAMES,
      fromEthHeight: this.mark?.ethHeight ?? 0,
    });
    const mark = this.mark;
    if (mark && !events.some((e) => sameEvent(e, mark))) {
      this.log(
        `exit records above Ethereum height ${mark.ethHeight} were rolled back: rebuilding the exits`,
      );
      this.exits.clear();
      this.mark = undefined;
      this.appliedAtMark.clear();
      this.rebuilds += 1;
      events = this.store.events({ names: EXIT_EVENT_NAMES });
    }
    for (const e of events) {
      if (this.mark && e.ethHeight === this.mark.ethHeight && this.appliedAtMark.has(e.id))
        continue;
      await this.apply(e);
      if (this.mark?.ethHeight !== e.ethHeight) this.appliedAtMark.clear();
      this.appliedAtMark.add(e.id);
      this.mark = e;
    }
    await this.retryTimestamps();
    this.evaluate(headHeight);
    return this.list();
  }

  private async apply(e: RootChainEvent): Promise<void> {
    if (e.name === 'ExitStarted') await this.track(e);
    else if (e.name === 'ExitChallenged') {
      const pos = e.args['utxoPos'] as bigint | undefined;
      // A challenge names a position: it ends the newest active exit of it.
      const exit = this.list()
        .reverse()
        .find((x) => x.utxoPos === pos && !x.challenged && !x.finalized);
      if (exit) exit.challenged = true;
    } else if (e.name === 'ExitFinalized') {
      const exit = this.exits.get(e.args['exitId'] as bigint);
      if (exit) this.finalize(exit);
    }
  }

  /** Exits whose exitable-at Ethereum could not give yet (it was unreachable) are asked again. */
  private async retryTimestamps(): Promise<void> {
    for (const exit of this.exits.values())
      if (exit.exitableAt === null) exit.exitableAt = await this.exitableAt(exit);
  }

  private async track(e: RootChainEvent): Promise<void> {
    const args = e.args as unknown as ExitStartedArgs;
    // A position the exit game would never accept (hostile or garbled data) is not tracked.
    if (
      typeof args.exitId !== 'bigint' ||
      args.utxoPos === undefined ||
      !isValidUtxoPos(args.utxoPos)
    )
      return;
    // The same output exited again (after a challenge) has the same exit id: the new start replaces it.
    const output = this.outputOf(args.utxoPos, args.rlpOutputTx);
    const exit: TrackedExit = {
      exitId: args.exitId,
      utxoPos: args.utxoPos,
      owner: args.owner,
      token: output?.token ?? null,
      amount: output?.amount ?? null,
      ethHeight: e.ethHeight,
      ethTxHash: e.ethTxHash,
      exitableAt: null,
      challenged: false,
      finalized: false,
      invalidFinalization: false,
      outputTx: args.rlpOutputTx ?? this.creatingTx(args.utxoPos) ?? null,
      invalid: false,
      spendingTxHash: null,
    };
    if (exit.amount === null && this.reader.standardExitAmount) {
      try {
        exit.amount = (await this.reader.standardExitAmount(exit.exitId)) ?? null;
      } catch (error) {
        this.log(`the amount of exit ${exit.exitId} could not be read: ${String(error)}`);
      }
    }
    exit.exitableAt = await this.exitableAt(exit);
    this.exits.set(exit.exitId, exit);
  }

  private finalize(exit: TrackedExit): void {
    exit.finalized = true;
    const spend = this.store.spendOf(exit.utxoPos);
    exit.invalidFinalization = !(spend?.by === 'exit' && spend.exitId === exit.exitId);
  }

  /** The scheduled finalization time of spec §1.7; null (retried next round) if Ethereum fails. */
  private async exitableAt(exit: TrackedExit): Promise<number | null> {
    try {
      const { blknum } = decodeUtxoPos(exit.utxoPos);
      let utxoTs = this.timestamps.get(blknum);
      if (utxoTs === undefined) {
        utxoTs = await this.reader.childBlockTimestamp(blknum);
        this.timestamps.set(blknum, utxoTs);
      }
      const exitTs = await this.reader.blockTimestamp(exit.ethHeight);
      return Number(
        standardExitExitableAt({
          isDeposit: isDepositBlknum(blknum, this.options.childBlockInterval),
          blockTimestamp: BigInt(utxoTs),
          now: BigInt(exitTs),
          minExitPeriod: BigInt(this.options.minExitPeriod),
        }),
      );
    } catch (error) {
      this.log(`the exit ${exit.exitId} waits for its timestamps: ${String(error)}`);
      return null;
    }
  }

  private evaluate(headHeight: number): void {
    const ledgerHeight = this.store.lastAppliedBlock();
    const open = { invalid_exit: new Set<string>(), unchallenged_exit: new Set<string>() };
    const at = this.now();
    for (const exit of this.exits.values()) {
      // The follower records a finalization's exit spend only once the output's block is applied:
      // a finalization that looked invalid is looked at again until the spend is there.
      if (exit.invalidFinalization) this.finalize(exit);
      const active = (!exit.challenged && !exit.finalized) || exit.invalidFinalization;
      // A challenged or validly finalized exit is settled: no store reads for it any more.
      if (!active) {
        exit.invalid = false;
        continue;
      }
      const { blknum } = decodeUtxoPos(exit.utxoPos);
      exit.invalid = false;
      exit.spendingTxHash = null;
      const spend = this.store.spendOf(exit.utxoPos);
      if (spend?.by === 'tx') exit.spendingTxHash = spend.txHash;
      if (blknum > ledgerHeight) continue;
      const missing = this.store.getOutput(exit.utxoPos) === undefined;
      if (!missing && !exit.invalidFinalization) continue;
      exit.invalid = true;
      const key = exit.utxoPos.toString();
      this.store.upsertByzantineEvent('invalid_exit', key, this.details(exit, 'invalid_exit'), at);
      open.invalid_exit.add(key);
      const late = exit.ethHeight + this.options.slaMargin <= headHeight;
      if (late || exit.invalidFinalization) {
        const details = this.details(exit, 'unchallenged_exit');
        this.store.upsertByzantineEvent('unchallenged_exit', key, details, at);
        open.unchallenged_exit.add(key);
      }
    }
    for (const event of this.store.byzantineEvents()) {
      const kind = event.kind as (typeof EXIT_EVENT_KINDS)[number];
      if (!EXIT_EVENT_KINDS.includes(kind) || open[kind].has(event.key)) continue;
      this.store.resolveByzantineEvent(kind, event.key, at);
      this.log(`${kind} at ${event.key} resolved (challenged or finalized)`);
    }
  }

  /** The event details of spec §2.2, in its JSON field names. */
  private details(exit: TrackedExit, name: string): Record<string, unknown> {
    return {
      name,
      eth_height: exit.ethHeight,
      utxo_pos: exit.utxoPos,
      owner: exit.owner,
      currency: exit.token,
      amount: exit.amount,
      root_chain_txhash: exit.ethTxHash,
      scheduled_finalization_time: exit.exitableAt,
      spending_txhash: exit.spendingTxHash,
    };
  }

  /** The output at a position: from the ledger (spent or not), else from the exit's calldata. */
  private outputOf(
    utxoPos: bigint,
    outputTx: Hex | undefined,
  ): { token: Address; amount: bigint } | undefined {
    const stored = this.store.getOutput(utxoPos) ?? this.store.spendOf(utxoPos)?.output;
    if (stored) return stored;
    if (!outputTx) return undefined;
    try {
      const out = decodePayment(hexToBytes(outputTx)).outputs[
        Number(decodeUtxoPos(utxoPos).oindex)
      ];
      return out ? { token: out.token, amount: out.amount } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The unsigned bytes of the transaction that created the output at `utxoPos`, from the store. */
  creatingTx(utxoPos: bigint): Hex | undefined {
    const { blknum } = decodeUtxoPos(utxoPos);
    if (isDepositBlknum(blknum, this.options.childBlockInterval)) {
      const d = this.store.getDeposit(blknum);
      return d ? bytesToHex(encodeDeposit(d.owner, d.token, d.amount)) : undefined;
    }
    const output = this.store.getOutput(utxoPos) ?? this.store.spendOf(utxoPos)?.output;
    const tx = output ? this.store.getTransaction(output.txHash) : undefined;
    return tx ? bytesToHex(tx.txBytes) : undefined;
  }

  /** utxo.get_challenge_data (spec §3.3): the spending tx, the input index and the owner's signature. */
  challengeData(utxoPos: bigint): ChallengeDataResult {
    const exit = this.byPosition(utxoPos);
    if (!exit)
      throw new ExitDataError(
        'challenge:exit_not_found',
        `No standard exit of position ${utxoPos} is known.`,
      );
    const spend = this.store.spendOf(utxoPos);
    if (spend?.by !== 'tx')
      throw new ExitDataError(
        'challenge:utxo_not_spent',
        `The output ${utxoPos} is not spent by any transaction this watcher validated.`,
      );
    const spending = this.store.getTransaction(spend.txHash);
    const exitingTx = exit.outputTx ?? this.creatingTx(utxoPos);
    if (!spending || !exitingTx)
      throw new ExitDataError(
        'challenge:utxo_not_spent',
        `The transactions around output ${utxoPos} are missing from the store.`,
      );
    const signed = decodeSigned(spending.signedBytes);
    const inputIndex = signed.tx.inputs.findIndex((i) => i === utxoPos);
    const sig = signed.sigs[inputIndex];
    if (inputIndex < 0 || !sig)
      throw new ExitDataError(
        'challenge:utxo_not_spent',
        `The spending transaction ${spend.txHash} does not carry a signature for output ${utxoPos}.`,
      );
    return {
      exitId: exit.exitId,
      exitingTx,
      txBytes: bytesToHex(spending.txBytes),
      inputIndex,
      sig,
    };
  }

  /**
   * utxo.get_exit_data (spec §3.3) from the store: deposits from the deposit record (Ethereum data
   * alone), block outputs from the stored block (spent or not, as the spec says).
   */
  exitData(utxoPos: bigint): ExitDataResult {
    if (!isValidUtxoPos(utxoPos))
      throw new ExitDataError('exit:invalid', `${utxoPos} is not an output position.`);
    const output = this.store.getOutput(utxoPos) ?? this.store.spendOf(utxoPos)?.output;
    const { blknum } = decodeUtxoPos(utxoPos);
    if (isDepositBlknum(blknum, this.options.childBlockInterval)) {
      const d = this.store.getDeposit(blknum);
      if (!d || !this.store.getOutput(utxoPos) || utxoPos % 1_000_000_000n !== 0n)
        throw new ExitDataError('exit:invalid', `No unspent deposit at position ${utxoPos}.`);
      const data = depositExitData(encodeDeposit(d.owner, d.token, d.amount), blknum);
      return { ...data, token: d.token, amount: d.amount, owner: d.owner };
    }
    const proof = output ? this.store.inclusionProof(output.txHash) : undefined;
    if (!output || !proof)
      throw new ExitDataError('exit:invalid', `No output at position ${utxoPos} is known.`);
    return {
      utxoPos,
      txBytes: bytesToHex(proof.txBytes),
      proof: bytesToHex(proof.proof),
      root: proof.root,
      token: output.token,
      amount: output.amount,
      owner: output.owner,
    };
  }
}
