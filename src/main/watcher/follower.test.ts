// The follower against a scripted chain (no anvil): range splitting, margins, the ordering rules of
// §1.3.3, the re-scan of BlockSubmitted, reorgs shallower and deeper than the margins, exit
// finalizations, and a node that is down or answers nonsense. The real devnet is in
// follower.chain.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { StandardExitRecord } from '../../plasma/contracts';
import { keccakHex } from '../../plasma/hex';
import { ETH_TOKEN, type Address, type Hex } from '../../plasma/types';
import { WatcherStore } from '../store';
import { watcherConfigFor } from './config';
import {
  RootChainError,
  type BlockHeader,
  type BlockTag,
  type RootChainLog,
  type RootChainReader,
  type WatchedEventName,
} from './ethereum';
import { EthereumFollower, isCaughtUp, syncTargets } from './follower';
import { TEST_DEPLOYMENT, TEST_PROFILE } from './testing';
import { SYNCED, type WatcherConfig } from './types';

const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const BOB: Address = '0x0000000000000000000000000000000000000b0b';
const text = (s: string): Hex => keccakHex(new TextEncoder().encode(s));

interface FakeBlock {
  hash: Hex;
  timestamp: number;
  logs: RootChainLog[];
}

/** A chain whose blocks, logs and contract state the test scripts; forks get other hashes. */
class FakeChain implements RootChainReader {
  mined: FakeBlock[] = [];
  /** Child block roots by blknum, with the height they were submitted at. */
  roots = new Map<bigint, { root: Hex; height: number }>();
  exits = new Map<bigint, bigint>();
  enrichments = new Map<Hex, Record<string, unknown>>();
  requests: [number, number][] = [];
  down = false;
  /** Whether eth_call works at old heights (an archive node). */
  archive = true;
  /** eth_getLogs refuses ranges wider than this (like a node with a result limit). */
  maxRange = Infinity;
  private fork = 'a';
  private txCount = 0;
  private staged: Omit<RootChainLog, 'ethHeight' | 'blockHash' | 'logIndex'>[] = [];
  private nextDeposit = 1n;
  private nextChild = 1000n;

  constructor(height: number) {
    this.mine(height + 1);
  }

  private check(): void {
    if (this.down) throw new RootChainError('ethereum_unreachable', 'The node is down.');
  }

  /** A node this many blocks behind: it does not have the newest blocks yet. */
  lag = 0;

  get height(): number {
    return this.mined.length - 1 - this.lag;
  }

  mine(n = 1): void {
    for (let i = 0; i < n; i++) {
      const height = this.mined.length;
      const hash = text(`${this.fork}:${height}`);
      const logs = this.staged.map((l, logIndex) => ({
        ...l,
        ethHeight: height,
        blockHash: hash,
        logIndex,
      }));
      for (const l of logs) {
        if (l.name === 'BlockSubmitted') {
          this.roots.set(l.args['blknum'] as bigint, {
            root: text(`root ${String(l.args['blknum'])}`),
            height,
          });
        }
      }
      this.mined.push({ hash, timestamp: 1_700_000_000 + height, logs });
      this.staged = [];
    }
  }

  private stage(name: WatchedEventName, args: Record<string, unknown>, tx?: Hex): Hex {
    const ethTxHash = tx ?? text(`${this.fork} tx ${this.txCount++}`);
    this.staged.push({ name, address: ETH_TOKEN, ethTxHash, args });
    return ethTxHash;
  }

  deposit(owner: Address, amount: bigint): bigint {
    const blknum = this.nextDeposit++;
    this.stage('DepositCreated', { depositor: owner, blknum, token: ETH_TOKEN, amount });
    return blknum;
  }

  submit(tx?: Hex): { blknum: bigint; tx: Hex } {
    const blknum = this.nextChild;
    this.nextChild += 1000n;
    this.nextDeposit = blknum + 1n;
    return { blknum, tx: this.stage('BlockSubmitted', { blknum }, tx) };
  }

  exitEvent(name: WatchedEventName, args: Record<string, unknown>): Hex {
    return this.stage(name, args);
  }

  /** Drops the top `depth` blocks (and what they did) and mines `depth` others on a new fork. */
  reorg(depth: number, remine: (chain: FakeChain) => void = () => undefined, length = depth): void {
    const keep = this.mined.length - depth;
    for (const b of this.mined.slice(keep))
      for (const l of b.logs)
        if (l.name === 'BlockSubmitted') this.roots.delete(l.args['blknum'] as bigint);
    this.mined = this.mined.slice(0, keep);
    // The contract's counters go back with the chain.
    this.nextChild = 1000n;
    this.nextDeposit = 1n;
    for (const l of this.mined.flatMap((b) => b.logs)) {
      const blknum = l.args['blknum'] as bigint;
      if (l.name === 'BlockSubmitted') this.nextChild = blknum + 1000n;
      if (l.name === 'BlockSubmitted' || l.name === 'DepositCreated')
        this.nextDeposit = blknum + 1n;
    }
    this.fork += 'b';
    remine(this);
    this.mine(length - (this.mined.length - keep));
  }

  chainId = () => Promise.resolve(31337n);
  syncing = () => Promise.resolve(false);
  close = () => undefined;

  private header(height: number): BlockHeader | undefined {
    const b = height <= this.height ? this.mined[height] : undefined;
    if (!b) return undefined;
    return {
      height,
      hash: b.hash,
      parentHash: this.mined[height - 1]?.hash ?? text('genesis'),
      timestamp: b.timestamp,
    };
  }

  head(): Promise<BlockHeader> {
    this.check();
    return Promise.resolve(this.header(this.height)!);
  }

  block(height: number): Promise<BlockHeader | undefined> {
    this.check();
    return Promise.resolve(this.header(height));
  }

  logs(from: number, to: number): Promise<RootChainLog[]> {
    this.check();
    if (to - from + 1 > this.maxRange)
      return Promise.reject(
        new RootChainError('ethereum_rpc_error', 'query returned more than 10000 results'),
      );
    this.requests.push([from, to]);
    return Promise.resolve(this.mined.slice(from, to + 1).flatMap((b) => b.logs));
  }

  call(): Promise<Hex> {
    return Promise.reject(new Error('not scripted'));
  }

  receipt(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  private at(tag: BlockTag): number {
    return tag === 'latest' ? this.height : tag;
  }

  nextChildBlock(tag: BlockTag = 'latest'): Promise<bigint> {
    this.check();
    const h = this.at(tag);
    return Promise.resolve(
      1000n * BigInt([...this.roots.values()].filter((r) => r.height <= h).length + 1),
    );
  }

  blocks(blknum: bigint, tag: BlockTag = 'latest'): Promise<{ root: Hex; timestamp: number }> {
    this.check();
    if (!this.archive && tag !== 'latest' && tag < this.height - 2)
      return Promise.reject(new RootChainError('ethereum_rpc_error', 'missing trie node'));
    const r = this.roots.get(blknum);
    if (!r || r.height > this.at(tag))
      return Promise.resolve({ root: `0x${'00'.repeat(32)}`, timestamp: 0 });
    return Promise.resolve({ root: r.root, timestamp: this.mined[r.height]!.timestamp });
  }

  standardExits(exitIds: readonly bigint[]): Promise<StandardExitRecord[]> {
    return Promise.resolve(
      exitIds.map((id) => ({
        exitable: this.exits.has(id),
        utxoPos: this.exits.get(id) ?? 0n,
        outputId: `0x${'00'.repeat(32)}`,
        exitTarget: ETH_TOKEN,
        amount: 0n,
        bondSize: 0n,
      })),
    );
  }

  enrichment(log: RootChainLog): Promise<Record<string, unknown> | undefined> {
    return Promise.resolve(this.enrichments.get(log.ethTxHash));
  }
}

const stores: WatcherStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function setup(chain: FakeChain, overrides: Partial<WatcherConfig> = {}) {
  const store = WatcherStore.open(':memory:');
  stores.push(store);
  const config = watcherConfigFor(TEST_PROFILE, {
    depositFinalityMargin: 3,
    exitFinalityMargin: 4,
    blockGetterReorgMargin: 5,
    maxLogRange: 1000,
    ...overrides,
  });
  const deployment = { ...TEST_DEPLOYMENT, deploymentHeight: 3 };
  const follower = new EthereumFollower(store, chain, deployment, config, { now: () => clock.now });
  return { store, follower, config, deployment };
}

const clock = { now: 1_000 };

describe('syncTargets and isCaughtUp', () => {
  const margins = {
    depositFinalityMargin: 10,
    exitFinalityMargin: 12,
    blockGetterReorgMargin: 200,
  };
  it('put deposits 10 deep, exit events 12 deep and submissions at the head', () => {
    expect(syncTargets(100, margins)).toEqual({
      deposits: 90,
      exitEvents: 88,
      blockSubmissions: 100,
    });
    // Exit events never pass the deposits, even with a smaller margin.
    expect(syncTargets(100, { ...margins, exitFinalityMargin: 2 }).exitEvents).toBe(90);
  });

  it('call a follower caught up only when every stream reached its target', () => {
    const synced = {
      [SYNCED.depositor]: 90,
      [SYNCED.exitEvents]: 88,
      [SYNCED.blockSubmissions]: 100,
    };
    expect(isCaughtUp(synced, 100, margins, 1)).toBe(true);
    expect(isCaughtUp({ ...synced, [SYNCED.exitEvents]: 87 }, 100, margins, 1)).toBe(false);
    expect(isCaughtUp(synced, 101, margins, 1)).toBe(false);
    // A chain younger than the margins: nothing to read yet.
    expect(isCaughtUp({}, 5, margins, 3)).toBe(false);
    expect(isCaughtUp({ [SYNCED.blockSubmissions]: 5 }, 5, margins, 3)).toBe(true);
  });
});

describe('EthereumFollower', () => {
  it('reads in ranges of at most maxLogRange, contiguous, and syncs each stream to its target', async () => {
    const chain = new FakeChain(10);
    chain.deposit(ALICE, 5n);
    chain.mine(30);
    const { store, follower } = setup(chain, { maxLogRange: 7, blockGetterReorgMargin: 0 });
    const p = await follower.poll();
    expect(p.error).toBeUndefined();
    expect(p.caughtUp).toBe(true);
    expect(chain.requests.every(([a, b]) => b - a + 1 <= 7)).toBe(true);
    expect(chain.requests[0]![0]).toBe(3);
    chain.requests.slice(1).forEach(([a], i) => expect(a).toBe(chain.requests[i]![1] + 1));
    expect(chain.requests.at(-1)![1]).toBe(40);
    expect(store.heights()).toEqual({ depositor: 37, exit_events: 36, block_submissions: 40 });
    expect(store.getDeposit(1n)).toMatchObject({ owner: ALICE, amount: 5n, ethHeight: 11 });
  });

  it('asks a node that refuses a wide range in halves', async () => {
    const chain = new FakeChain(40);
    chain.deposit(ALICE, 5n);
    chain.mine(4);
    chain.maxRange = 10;
    const { store, follower } = setup(chain);
    expect((await follower.poll()).error).toBeUndefined();
    expect(chain.requests.every(([a, b]) => b - a + 1 <= 10)).toBe(true);
    expect(store.getDeposit(1n)?.ethHeight).toBe(41);
  });

  it('applies a deposit only after the deposit margin, and exit events only after theirs', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain);
    chain.deposit(ALICE, 7n);
    chain.exitEvent('ExitChallenged', { utxoPos: 5_000_000_000n });
    chain.mine(); // height 11
    chain.mine(2);
    await follower.poll();
    expect(store.getDeposit(1n)).toBeUndefined();
    chain.mine();
    await follower.poll(); // head 14: deposits to 11
    expect(store.getDeposit(1n)?.amount).toBe(7n);
    expect(store.events({ names: ['ExitChallenged'] })).toHaveLength(0);
    chain.mine();
    await follower.poll(); // head 15: exits to 11
    expect(store.events({ names: ['ExitChallenged'] })[0]?.args).toEqual({
      utxoPos: 5_000_000_000n,
    });
  });

  it('never records exit events above the deposits, even with a smaller exit margin', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain, { depositFinalityMargin: 4, exitFinalityMargin: 1 });
    chain.exitEvent('ExitChallenged', { utxoPos: 1n });
    chain.mine(3); // exit at 11, head 13
    await follower.poll();
    expect(store.getHeight(SYNCED.exitEvents)).toBe(9);
    expect(store.events()).toHaveLength(0);
    chain.mine(2);
    await follower.poll();
    expect(store.events()).toHaveLength(1);
  });

  it('records BlockSubmitted at 0 confirmations with the root and timestamp of blocks(blknum)', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain);
    const { blknum } = chain.submit();
    chain.mine();
    await follower.poll();
    const [e] = store.events({ names: ['BlockSubmitted'] });
    expect(e?.ethHeight).toBe(11);
    expect(e?.args).toEqual({ blknum, root: text('root 1000'), timestamp: 1_700_000_011 });
    expect((await follower.poll()).lastMinedChildBlock).toBe(1000n);
    expect(store.events({ names: ['BlockSubmitted'] })).toHaveLength(1); // the re-scan skips it
  });

  it('resumes a catch-up from the last range it wrote', async () => {
    const chain = new FakeChain(10);
    chain.submit();
    chain.mine(40); // submission at 11
    const { store, follower } = setup(chain, { maxLogRange: 2, depositFinalityMargin: 3 });
    // Stop after the first range by making the node fail on the second.
    const logs = chain.logs.bind(chain);
    let calls = 0;
    chain.logs = (a, b) =>
      ++calls > 1 ? Promise.reject(new RootChainError('ethereum_unreachable', 'gone')) : logs(a, b);
    await follower.poll();
    expect(store.heights()).toEqual({ depositor: 4, exit_events: 4, block_submissions: 4 });
    calls = -1_000;
    expect((await follower.poll()).caughtUp).toBe(true);
    expect(store.events({ names: ['BlockSubmitted'] })).toHaveLength(1);
  });

  it('follows a submission that a shallow reorg moves to another height, as a fresh follower would', async () => {
    for (const sameTx of [false, true]) {
      const chain = new FakeChain(20);
      const { store, follower } = setup(chain, { blockGetterReorgMargin: 5 });
      chain.submit(text('submission'));
      chain.mine(2);
      await follower.poll();
      expect(store.events({ names: ['BlockSubmitted'] }).map((e) => e.ethHeight)).toEqual([21]);
      chain.reorg(2, (c) => {
        c.mine();
        c.submit(sameTx ? text('submission') : text('resent'));
        c.mine();
      });
      const p = await follower.poll();
      expect(p.error).toBeUndefined();
      const seen = store.events({ names: ['BlockSubmitted'] });
      expect(seen.map((e) => [e.ethHeight, e.ethTxHash])).toEqual([
        [22, sameTx ? text('submission') : text('resent')],
      ]);
      expect(follower.reorgs).toEqual([]);
      const fresh = setup(chain, { blockGetterReorgMargin: 5 });
      await fresh.follower.poll();
      expect(store.stateDigest()).toBe(fresh.store.stateDigest());
    }
  });

  it('forgets a submission that a shallow reorg took away', async () => {
    const chain = new FakeChain(20);
    const { store, follower } = setup(chain);
    chain.submit();
    chain.mine(2);
    await follower.poll();
    chain.reorg(2);
    await follower.poll();
    expect(store.events({ names: ['BlockSubmitted'] })).toEqual([]);
    expect((await follower.poll()).lastMinedChildBlock).toBe(0n);
  });

  it('a reorg shallower than the margins changes nothing', async () => {
    const build = (c: FakeChain) => {
      c.deposit(ALICE, 1n);
      c.mine(5);
    };
    const chain = new FakeChain(10);
    build(chain);
    const { store, follower } = setup(chain);
    chain.deposit(BOB, 99n); // within the margin: not applied yet
    chain.mine(2);
    await follower.poll();
    expect(store.getDeposit(2n)).toBeUndefined();
    chain.reorg(2, (c) => c.deposit(BOB, 3n));
    await follower.poll();
    chain.mine(5);
    await follower.poll();
    expect(follower.reorgs).toEqual([]);
    expect(store.getDeposit(2n)?.amount).toBe(3n);

    const fresh = setup(chain);
    await fresh.follower.poll();
    expect(store.stateDigest()).toBe(fresh.store.stateDigest());
  });

  it('detects a deeper reorg, rolls back to the common ancestor and matches a fresh follower', async () => {
    const chain = new FakeChain(10);
    chain.deposit(ALICE, 1n);
    chain.mine(5); // 11…15
    const { store, follower } = setup(chain, { depositFinalityMargin: 2, exitFinalityMargin: 2 });
    await follower.poll();
    for (let i = 0; i < 4; i++) {
      chain.mine();
      await follower.poll();
    }
    chain.deposit(BOB, 50n);
    chain.submit();
    chain.mine(6); // deposit and submission at 20, head 25
    await follower.poll();
    expect(store.getDeposit(2n)?.amount).toBe(50n);
    expect(store.events({ names: ['BlockSubmitted'] })).toHaveLength(1);

    chain.reorg(8, (c) => {
      c.mine(2);
      c.deposit(BOB, 7n); // another deposit, at another height; no submission
      c.mine(3);
    });
    const p = await follower.poll();
    expect(p.error).toBeUndefined();
    expect(follower.reorgs).toHaveLength(1);
    expect(follower.reorgs[0]!.ancestor).toBeLessThanOrEqual(17);
    expect(store.getDeposit(2n)?.amount).toBe(7n);
    expect(store.events({ names: ['BlockSubmitted'] })).toHaveLength(0);

    const fresh = setup(chain, { depositFinalityMargin: 2, exitFinalityMargin: 2 });
    await fresh.follower.poll();
    expect(store.stateDigest()).toBe(fresh.store.stateDigest());
  });

  it('waits for a node that is behind its checkpoints instead of rolling back', async () => {
    const chain = new FakeChain(30);
    const { store, follower } = setup(chain);
    await follower.poll();
    const digest = store.stateDigest();
    chain.lag = 10;
    const p = await follower.poll();
    expect(p).toMatchObject({ error: undefined, headHeight: 30 });
    expect(follower.reorgs).toEqual([]);
    expect(store.stateDigest()).toBe(digest);
    chain.lag = 0;
    expect((await follower.poll()).caughtUp).toBe(true);
    expect(store.stateDigest()).toBe(digest);
  });

  it('rolls back a deep reorg onto a shorter chain as soon as a checkpoint it has differs', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain, { depositFinalityMargin: 2, exitFinalityMargin: 2 });
    for (let i = 0; i < 6; i++) {
      if (i === 3) chain.deposit(ALICE, 8n); // at 14
      chain.mine();
      await follower.poll();
    }
    expect(store.getDeposit(1n)?.amount).toBe(8n);
    chain.reorg(4, () => undefined, 2); // back to 12, two other blocks: head 14 without the deposit
    await follower.poll();
    expect(follower.reorgs).toHaveLength(1);
    expect(store.getDeposit(1n)).toBeUndefined();
    const fresh = setup(chain, { depositFinalityMargin: 2, exitFinalityMargin: 2 });
    await fresh.follower.poll();
    expect(store.stateDigest()).toBe(fresh.store.stateDigest());
  });

  it('marks the output of a finalized exit spent, from the ExitStarted record', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain);
    const blknum = chain.deposit(ALICE, 9n);
    chain.mine();
    const utxoPos = blknum * 1_000_000_000n;
    const start = chain.exitEvent('ExitStarted', { owner: ALICE, exitId: 77n });
    chain.enrichments.set(start, { utxoPos, rlpOutputTx: '0x01', outputTxInclusionProof: '0x' });
    chain.mine();
    chain.exitEvent('ExitFinalized', { exitId: 77n });
    chain.mine(6);
    await follower.poll();
    expect(store.events({ names: ['ExitStarted'] })[0]?.args).toMatchObject({
      exitId: 77n,
      utxoPos,
    });
    expect(store.events({ names: ['ExitFinalized'] })[0]?.args).toEqual({ exitId: 77n, utxoPos });
    expect(store.getUtxo(utxoPos)).toBeUndefined();
    expect(store.spendOf(utxoPos)).toMatchObject({ by: 'exit', exitId: 77n, ethHeight: 13 });
  });

  it('marks an exited output once its block is applied, also across a restart', async () => {
    const chain = new FakeChain(10);
    const { store, follower, config, deployment } = setup(chain);
    const utxoPos = 1000n * 1_000_000_000n + 10_001n; // block 1000, not applied yet
    const start = chain.exitEvent('ExitStarted', { owner: BOB, exitId: 9n });
    chain.enrichments.set(start, { utxoPos, rlpOutputTx: '0x01', outputTxInclusionProof: '0x' });
    chain.mine(6);
    await follower.poll();
    chain.exitEvent('ExitFinalized', { exitId: 9n });
    chain.mine(6);
    await follower.poll();
    expect(store.events({ names: ['ExitFinalized'] })[0]?.args).toEqual({ exitId: 9n, utxoPos });
    expect(store.spendOf(utxoPos)).toBeUndefined();

    const restarted = new EthereumFollower(store, chain, deployment, config);
    const txHash = text('tx');
    store.applyBlock(
      { blknum: 1000n, hash: text('root'), ethHeight: 12, timestamp: 1, transactions: [] },
      {
        blknum: 1000n,
        spent: [],
        created: [{ utxoPos, outputType: 1n, owner: BOB, token: ETH_TOKEN, amount: 4n, txHash }],
        unclaimedFees: new Map(),
      },
    );
    expect(store.getUtxo(utxoPos)?.amount).toBe(4n);
    expect((await restarted.poll()).error).toBeUndefined();
    expect(store.getUtxo(utxoPos)).toBeUndefined();
    expect(store.spendOf(utxoPos)).toMatchObject({ by: 'exit', exitId: 9n, ethHeight: 17 });
  });

  it('takes an exit position from standardExits when the calldata could not be decoded', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain);
    chain.exits.set(5n, 3_000_000_000_001n);
    chain.exitEvent('ExitStarted', { owner: ALICE, exitId: 5n });
    chain.mine(6);
    await follower.poll();
    expect(store.events({ names: ['ExitStarted'] })[0]?.args).toEqual({
      owner: ALICE,
      exitId: 5n,
      utxoPos: 3_000_000_000_001n,
    });
  });

  it('reports a node that is down without throwing, keeps its numbers and resumes', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain);
    const ok = await follower.poll();
    expect(ok.headHeight).toBe(10);
    chain.down = true;
    clock.now += 1_000;
    const down = await follower.poll();
    expect(down.error).toMatch(/down/);
    expect(down).toMatchObject({ headHeight: 10, lastPollAt: ok.lastPollAt, caughtUp: false });
    chain.down = false;
    chain.deposit(ALICE, 1n);
    chain.mine(4);
    const back = await follower.poll();
    expect(back).toMatchObject({ error: undefined, headHeight: 14, caughtUp: true });
    expect(store.getDeposit(1n)).toBeDefined();
  });

  it('leaves lastHeightChangeAt alone while the head does not move', async () => {
    const chain = new FakeChain(10);
    const { follower } = setup(chain);
    clock.now = 5_000;
    const first = await follower.poll();
    clock.now = 9_000;
    const second = await follower.poll();
    expect(first.lastHeightChangeAt).toBe(5_000);
    expect(second.lastHeightChangeAt).toBe(5_000);
    expect(second.lastPollAt).toBe(9_000);
    chain.mine();
    clock.now = 12_000;
    expect((await follower.poll()).lastHeightChangeAt).toBe(12_000);
  });

  it('reads the root of an old submission at the head from a node without archive state', async () => {
    const chain = new FakeChain(10);
    chain.submit();
    chain.mine(30);
    chain.archive = false;
    const { store, follower } = setup(chain);
    expect((await follower.poll()).error).toBeUndefined();
    expect(store.events({ names: ['BlockSubmitted'] })[0]?.args).toEqual({
      blknum: 1000n,
      root: text('root 1000'),
      timestamp: 1_700_000_011,
    });
  });

  it('stops a long catch-up after its time budget and carries on at the next poll', async () => {
    const chain = new FakeChain(10);
    chain.mine(40);
    const store = WatcherStore.open(':memory:');
    stores.push(store);
    let t = 0;
    const config = watcherConfigFor(TEST_PROFILE, { maxLogRange: 5, blockGetterReorgMargin: 0 });
    const follower = new EthereumFollower(store, chain, TEST_DEPLOYMENT, config, {
      now: () => (t += 100),
      pollBudgetMs: 250,
    });
    const first = await follower.poll();
    expect(first.caughtUp).toBe(false);
    expect(chain.requests.length).toBeLessThan(4);
    let polls = 1;
    while (!(await follower.poll()).caughtUp) expect(++polls).toBeLessThan(20);
    expect(store.getHeight(SYNCED.blockSubmissions)).toBe(50);
  });

  it('refuses an impossible log and records nothing of its range', async () => {
    const chain = new FakeChain(10);
    const { store, follower } = setup(chain);
    chain.deposit(ALICE, 1n);
    chain.exitEvent('BlockSubmitted', { blknum: 1500n }); // not a child block number
    chain.mine(4);
    const p = await follower.poll();
    expect(p.error).toMatch(/BlockSubmitted log at height 11 .* impossible/);
    expect(store.getDeposit(1n)).toBeUndefined();
    expect(store.heights()).toEqual({});
  });
});
