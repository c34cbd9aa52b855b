// The wallet's standard exits (issue 8): the account's exits with their state and queue place, what
// starting an exit of an own output needs (from the watcher's store, or an imported proof bundle when
// the store does not have it), what challenging an invalid exit needs, processExits, and the plan to
// exit everything. Main never signs: it answers unsigned calls the renderer checks, signs and relays.
import type { JsonRpcProvider } from 'ethers';
import {
  addExitQueueTx,
  challengeStandardExitTx,
  decodeAddressResult,
  decodeBlockResult,
  decodeBoolResult,
  decodeHeapListResult,
  decodeStandardExitsResult,
  decodeUintResult,
  exitsQueuesCall,
  hasExitQueueCall,
  heapListCall,
  processExitsTx,
  startStandardExitBondSizeCall,
  startStandardExitTx,
  blocksCall,
  standardExitsCall,
  type CallRequest,
  type TxRequest,
} from '../../plasma/contracts';
import { hexToBytes } from '../../plasma/hex';
import {
  exitPriority,
  parseExitPriority,
  standardExitExitableAt,
  standardExitId,
} from '../../plasma/ids';
import { decodeUtxoPos, isDepositBlknum } from '../../plasma/position';
import { ETH_TOKEN, type Address } from '../../plasma/types';
import type {
  ChallengeData,
  ExitData,
  ExitPlan,
  ExitState,
  ExitView,
  UnsignedCall,
} from '../../shared/exits';
import type { NetworkProfile } from '../../shared/network-profile';
import { HandlerError } from '../ipc/router';
import {
  ExitDataError,
  type ExitDataResult,
  type ExitProcessor,
  type TrackedExit,
} from '../watcher/exit-processor';
import type { Watcher } from '../watcher/watcher';

/**
 * Gas per call when the node cannot estimate (measured on the devnet's contracts, with margin):
 * deploying a token's priority queue is the expensive one.
 */
export const GAS = {
  addExitQueue: 2_500_000n,
  startStandardExit: 400_000n,
  challengeStandardExit: 300_000n,
  processExits: 200_000n,
} as const;

const ZERO_ADDRESS = ETH_TOKEN;

/** An exit-data source beside the store: the entries of imported proof bundles. */
export interface ImportedExitData {
  get(utxoPos: bigint): ExitDataResult | undefined;
  all(owner: Address): ExitDataResult[];
}

function unsigned(request: TxRequest, gas: bigint | null): UnsignedCall {
  return {
    to: request.to.toLowerCase(),
    data: request.data.toLowerCase(),
    value: (request.value ?? 0n).toString(),
    gas: gas === null ? null : gas.toString(),
  };
}

/** Where an exit sits (or would sit) in its token's queue: the key the contract orders by. */
export interface QueueKey {
  token: Address;
  exitableAt: number;
  utxoPos: bigint;
  exitId: bigint;
}

const priorityOf = (k: QueueKey): bigint => exitPriority(BigInt(k.exitableAt), k.utxoPos, k.exitId);

/**
 * How many entries of the token's queue processExits pops before `target`, from the watcher's
 * exits of every owner, ordered by the contract's priority (exitable-at, then the tx position,
 * then the exit id; spec/protocol.md §7.3). A challenged exit still counts: its queue entry stays
 * and is popped (omitted) in turn, using one of `maxExitsToProcess` (§9, §13.4). A finalized exit
 * has left the queue, and so has every entry below the highest finalized one (the queue is popped
 * in order, and an exit started later is due later). Undefined when the watcher cannot say: an
 * exit it tracks has no token or exitable-at yet.
 */
export function exitsBefore(tracked: readonly TrackedExit[], target: QueueKey): number | undefined {
  const token = target.token.toLowerCase();
  const queue: { priority: bigint; finalized: boolean }[] = [];
  for (const e of tracked) {
    if (e.exitId === target.exitId) continue;
    if (e.token === null || e.exitableAt === null) return undefined;
    if (e.token.toLowerCase() !== token) continue;
    queue.push({
      priority: exitPriority(BigInt(e.exitableAt), e.utxoPos, e.exitId),
      finalized: e.finalized,
    });
  }
  const popped = queue.reduce(
    (top, k) => (k.finalized && k.priority > top ? k.priority : top),
    -1n,
  );
  const mine = priorityOf(target);
  return queue.filter((k) => !k.finalized && k.priority > popped && k.priority < mine).length;
}

export class ExitServices {
  /** exitId → what `exit.changed` last told about it. */
  private readonly told = new Map<bigint, string>();

  constructor(
    private readonly watcher: Watcher,
    private readonly provider: JsonRpcProvider,
    private readonly profile: NetworkProfile,
    private readonly imported: ImportedExitData,
  ) {}

  private get framework(): Address {
    return this.profile.contracts.plasmaFramework.toLowerCase() as Address;
  }

  private get exitGame(): Address {
    return this.profile.contracts.paymentExitGame.toLowerCase() as Address;
  }

  private processor(): ExitProcessor {
    const exits = this.watcher.exits;
    if (!exits) throw new HandlerError('service_unavailable', 'This watcher does not track exits.');
    return exits;
  }

  private async call(request: CallRequest): Promise<string> {
    try {
      return await this.provider.call(request);
    } catch (error) {
      throw new HandlerError(
        'ethereum_unreachable',
        `Ethereum could not be read (${error instanceof Error ? error.message : String(error)}). Try again in a moment.`,
      );
    }
  }

  async bond(): Promise<bigint> {
    return decodeUintResult(await this.call(startStandardExitBondSizeCall(this.exitGame)));
  }

  async queueExists(token: Address): Promise<boolean> {
    return decodeBoolResult(await this.call(hasExitQueueCall(this.framework, token)));
  }

  /** Seconds: the latest Ethereum block's timestamp (the contracts' "now"). */
  private async chainNow(): Promise<number> {
    const block = await this.provider.getBlock('latest').catch(() => null);
    return block?.timestamp ?? Math.floor(Date.now() / 1000);
  }

  /** The priorities in a token's queue, in processing order (empty when the token has no queue). */
  async queue(token: Address): Promise<bigint[]> {
    if (!(await this.queueExists(token))) return [];
    const queue = decodeAddressResult(await this.call(exitsQueuesCall(this.framework, token)));
    const priorities = decodeHeapListResult(await this.call(heapListCall(queue)));
    return [...priorities].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * How many queue entries processExits pops before an exit with this key (it need not be started
   * yet). The watcher's exits of every owner when they are complete and the watcher has caught up
   * with Ethereum; otherwise the contract's queue (which also holds in-flight exits' entries).
   * `chain` caches the queues read in one request.
   */
  private async exitsBefore(key: QueueKey, chain: Map<string, Promise<bigint[]>>): Promise<number> {
    if (this.watcher.snapshot().ethereum?.caughtUp === true) {
      const fromWatcher = exitsBefore(this.processor().list(), key);
      if (fromWatcher !== undefined) return fromWatcher;
    }
    const token = key.token.toLowerCase();
    if (!chain.has(token)) chain.set(token, this.queue(token as Address));
    const priorities = await chain.get(token)!;
    const index = priorities.findIndex((p) => parseExitPriority(p).exitId === key.exitId);
    if (index >= 0) return index;
    const mine = priorityOf(key);
    return priorities.filter((p) => p < mine).length;
  }

  /** Exits still in their queue (not challenged, not finalized) with a known token and time. */
  private async views(exits: TrackedExit[], now: number): Promise<ExitView[]> {
    const chain = new Map<string, Promise<bigint[]>>();
    const views: ExitView[] = [];
    for (const e of exits) {
      const queued = !e.challenged && !e.finalized && e.token !== null && e.exitableAt !== null;
      const before = queued
        ? await this.exitsBefore(
            { token: e.token!, exitableAt: e.exitableAt!, utxoPos: e.utxoPos, exitId: e.exitId },
            chain,
          )
        : null;
      views.push(this.view(e, now, before));
    }
    return views;
  }

  /** The exits paying `address` (exit target), with their state and place in their token's queue. */
  async list(address: Address): Promise<ExitView[]> {
    const mine = this.processor()
      .list()
      .filter((e) => e.owner.toLowerCase() === address.toLowerCase());
    return this.views(mine, await this.chainNow());
  }

  /** Exits that appeared or changed state since the last call (for the `exit.changed` event). */
  async changes(): Promise<ExitView[]> {
    const exits = this.watcher.exits?.list() ?? [];
    const now = await this.chainNow();
    const changed = exits.filter((e) => {
      const state = this.view(e, now, null);
      const key = `${state.state}|${state.invalid}|${state.exitableAt}`;
      if (this.told.get(e.exitId) === key) return false;
      this.told.set(e.exitId, key);
      return true;
    });
    return this.views(changed, now);
  }

  private view(e: TrackedExit, now: number, before: number | null): ExitView {
    let state: ExitState = 'started';
    if (e.challenged) state = 'challenged';
    else if (e.finalized) state = 'processed';
    else if (e.exitableAt !== null && e.exitableAt <= now) state = 'exitable';
    return {
      exitId: e.exitId.toString(),
      utxoPos: e.utxoPos.toString(),
      owner: e.owner.toLowerCase(),
      token: (e.token ?? ZERO_ADDRESS).toLowerCase(),
      amount: (e.amount ?? 0n).toString(),
      state,
      ethTxHash: e.ethTxHash,
      ethHeight: e.ethHeight,
      exitableAt: e.exitableAt ?? 0,
      queuePosition: before,
      exitsBefore: before,
      invalid: e.invalid,
    };
  }

  /** The raw exit data of an own output: the store first, then the imported bundles. */
  rawExitData(utxoPos: bigint): ExitDataResult {
    try {
      return this.processor().exitData(utxoPos);
    } catch (error) {
      const imported = this.imported.get(utxoPos);
      if (imported) return imported;
      if (error instanceof ExitDataError)
        throw new HandlerError('exit_data_unavailable', error.message);
      throw error;
    }
  }

  async exitData(utxoPos: bigint): Promise<ExitData> {
    const d = this.rawExitData(utxoPos);
    const [bond, queueExists, now] = await Promise.all([
      this.bond(),
      this.queueExists(d.token),
      this.chainNow(),
    ]);
    const { blknum } = decodeUtxoPos(utxoPos);
    const block = decodeBlockResult(await this.call(blocksCall(this.framework, blknum)));
    const earliest = standardExitExitableAt({
      isDeposit: isDepositBlknum(blknum, BigInt(this.profile.childBlockInterval)),
      blockTimestamp: block.timestamp,
      now: BigInt(now),
      minExitPeriod: BigInt(this.profile.minExitPeriod),
    });
    const isDeposit = isDepositBlknum(blknum, BigInt(this.profile.childBlockInterval));
    const exitId = standardExitId(hexToBytes(d.txBytes), utxoPos, isDeposit);
    const before = queueExists
      ? await this.exitsBefore(
          { token: d.token, exitableAt: Number(earliest), utxoPos, exitId },
          new Map(),
        )
      : 0;
    const calls: UnsignedCall[] = [];
    if (!queueExists)
      calls.push(unsigned(addExitQueueTx(this.framework, d.token), GAS.addExitQueue));
    calls.push(
      unsigned(
        startStandardExitTx(this.exitGame, {
          utxoPos,
          outputTx: d.txBytes,
          outputTxInclusionProof: d.proof,
          bond,
        }),
        GAS.startStandardExit,
      ),
    );
    return {
      utxoPos: utxoPos.toString(),
      txBytes: d.txBytes,
      proof: d.proof,
      root: d.root,
      token: d.token.toLowerCase(),
      amount: d.amount.toString(),
      bond: bond.toString(),
      earliestProcessingAt: Number(earliest),
      exitsBefore: before,
      queueExists,
      calls,
    };
  }

  async challengeData(utxoPos: bigint, challenger: Address | undefined): Promise<ChallengeData> {
    let d;
    try {
      d = this.processor().challengeData(utxoPos);
    } catch (error) {
      if (error instanceof ExitDataError)
        throw new HandlerError('challenge_unavailable', error.message);
      throw error;
    }
    const [record] = decodeStandardExitsResult(
      await this.call(standardExitsCall(this.exitGame, [d.exitId])),
    );
    const request = challengeStandardExitTx(this.exitGame, {
      exitId: d.exitId,
      exitingTx: d.exitingTx,
      challengeTx: d.txBytes,
      inputIndex: BigInt(d.inputIndex),
      witness: d.sig,
      sender: challenger ?? ZERO_ADDRESS,
    });
    return {
      exitId: d.exitId.toString(),
      utxoPos: utxoPos.toString(),
      exitingTx: d.exitingTx,
      txBytes: d.txBytes,
      inputIndex: d.inputIndex,
      sig: d.sig,
      bondReward: (record?.bondSize ?? 0n).toString(),
      call: unsigned(request, GAS.challengeStandardExit),
    };
  }

  processCall(token: Address, maxExits = 1): UnsignedCall {
    const request = processExitsTx(this.framework, {
      token,
      topExitId: 0n,
      maxExitsToProcess: BigInt(maxExits),
    });
    return unsigned(request, GAS.processExits * BigInt(maxExits));
  }

  /**
   * Every own output to exit (the store's unspent outputs, and imported ones the store does not
   * know), which are already exiting (on chain or in the outbox), the bonds and the gas still needed.
   */
  async plan(address: Address, inOutbox: (utxoPos: bigint) => boolean): Promise<ExitPlan> {
    const owner = address.toLowerCase() as Address;
    const outputs = new Map<bigint, { token: Address; amount: bigint }>();
    for (const o of this.watcher.store.utxosOf(owner)) outputs.set(o.utxoPos, o);
    for (const o of this.imported.all(owner))
      if (!outputs.has(o.utxoPos) && !this.watcher.store.spendOf(o.utxoPos))
        outputs.set(o.utxoPos, o);
    const exiting = new Set(
      this.processor()
        .list()
        .filter((e) => !e.challenged)
        .map((e) => e.utxoPos),
    );
    const items = [...outputs.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([utxoPos, o]) => ({
        utxoPos: utxoPos.toString(),
        token: o.token.toLowerCase(),
        amount: o.amount.toString(),
        alreadyExiting: exiting.has(utxoPos) || inOutbox(utxoPos),
      }));
    const todo = items.filter((i) => !i.alreadyExiting);
    const tokens = [...new Set(todo.map((i) => i.token as Address))];
    const missingQueues: string[] = [];
    for (const token of tokens) if (!(await this.queueExists(token))) missingQueues.push(token);
    const bond = todo.length > 0 ? await this.bond() : 0n;
    const gas =
      BigInt(missingQueues.length) * GAS.addExitQueue + BigInt(todo.length) * GAS.startStandardExit;
    return {
      address: owner,
      items,
      missingQueues,
      totalBond: (bond * BigInt(todo.length)).toString(),
      estimatedGas: gas.toString(),
    };
  }
}
