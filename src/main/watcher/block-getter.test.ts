// The block getter against a scripted operator (no chain): ordering and the download pipeline's
// bounds, heights, invalid blocks, the withholding clock across restarts, and deposits that the
// depositor has not seen yet.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsRecoverer } from '../../plasma/recover';
import type { Hex } from '../../plasma/types';
import { WatcherStore, inlineBlockWriter, workerBlockWriter, type BlockWriter } from '../store';
import { tempDir } from '../store/testing/tmp';
import { BlockGetter, POTENTIAL_WITHHOLDING, type BlockSource } from './block-getter';
import type { BlockRequest } from './block-validator';
import { ChildChainError, type BlockGetData } from './child-chain-client';
import { SYNCED } from './types';
import { ALICE, BOB, CONTRACT, pay, pos, servedBlock } from './testing-blocks';

/** A scripted operator: serves registered blocks, fails the ones told to, counts concurrency. */
class FakeOperator implements BlockSource {
  readonly blocks = new Map<string, BlockGetData>();
  readonly down = new Set<string>();
  readonly calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Delay per call (ms), to let downloads overlap. */
  delay = (_hash: string) => 0;

  async blockGet(hash: Hex): Promise<BlockGetData> {
    this.calls.push(hash);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, this.delay(hash)));
      if (this.down.has(hash))
        throw new ChildChainError('operator_error', 'get_block:not_found', {
          operatorCode: 'get_block:not_found',
        });
      const block = this.blocks.get(hash);
      if (!block) throw new ChildChainError('operator_error', 'get_block:not_found');
      return block;
    } finally {
      this.inFlight--;
    }
  }
}

const files = tempDir('vigil-getter-');
afterAll(() => files.remove());

let store: WatcherStore;
let operator: FakeOperator;
let clock: number;
let logIndex = 0;

beforeEach(() => {
  store = WatcherStore.open(':memory:');
  operator = new FakeOperator();
  clock = 1_000_000;
  logIndex = 0;
});
afterEach(() => store.close());

const config = {
  maxConcurrentDownloads: 2,
  maxUnappliedBlocks: 3,
  maximumBlockWithholdingMs: 10_000,
};

function getter(over: Partial<typeof config> = {}) {
  return new BlockGetter(
    store,
    operator,
    jsRecoverer,
    { ...config, ...over },
    { verifyingContract: CONTRACT, childBlockInterval: 1000n, now: () => clock },
  );
}

function deposit(blknum: bigint, owner: Hex, amount: bigint, ethHeight: number) {
  store.applyDeposits(
    [
      {
        blknum,
        owner,
        token: '0x0000000000000000000000000000000000000000',
        amount,
        ethHeight,
        ethTxHash: `0x${blknum.toString(16).padStart(64, '0')}`,
        logIndex: 0,
      },
    ],
    { [SYNCED.depositor]: ethHeight },
  );
}

/** Submits a block: the operator will serve it, and the store gets its BlockSubmitted record. */
function submit(blknum: bigint, txs: Uint8Array[], ethHeight: number, serve = true): BlockRequest {
  const { request, response } = servedBlock(blknum, txs, ethHeight);
  if (serve) operator.blocks.set(request.hash, response);
  store.recordEvents(
    [
      {
        ethHeight,
        logIndex: logIndex++,
        ethTxHash: `0x${(ethHeight * 1000 + logIndex).toString(16).padStart(64, '0')}`,
        name: 'BlockSubmitted',
        args: { blknum, root: request.hash, timestamp: request.timestamp },
      },
    ],
    { [SYNCED.blockSubmissions]: ethHeight },
  );
  return request;
}

/** A chain of n honest blocks, each paying Alice's whole output on to herself. */
function honestChain(n: number, firstEthHeight = 10): BlockRequest[] {
  deposit(1n, ALICE, 1000n, firstEthHeight - 5);
  const out: BlockRequest[] = [];
  let input = pos(1n);
  for (let i = 1; i <= n; i++) {
    const blknum = BigInt(i) * 1000n;
    out.push(submit(blknum, [pay([input], [[ALICE, 1000n]], [ALICE])], firstEthHeight + i));
    input = pos(blknum);
  }
  return out;
}

const open = (kind: string) => store.byzantineEvents().filter((e) => e.kind === kind);

/** Runs `body` on a file store (replacing the in-memory one) with the app's store-writer worker. */
async function withWorkerWriter(body: (writer: BlockWriter) => Promise<void>): Promise<void> {
  store.close();
  store = WatcherStore.open(files.file());
  const writer = workerBlockWriter(store);
  try {
    await body(writer);
  } finally {
    await writer.close();
  }
}

describe('BlockGetter', () => {
  it('applies submitted blocks in order with a bounded pipeline and advances its height', async () => {
    const blocks = honestChain(6);
    // Later blocks answer first: they must still be applied in order.
    operator.delay = (hash) => 30 - 5 * blocks.findIndex((b) => b.hash === hash);
    const g = getter();
    const progress = await g.poll();
    expect(progress).toMatchObject({
      lastAppliedBlock: 6000n,
      pendingBlocks: 0,
      appliedBlocks: 6,
      appliedTransactions: 6,
      halted: false,
      error: undefined,
    });
    expect(operator.maxInFlight).toBeLessThanOrEqual(config.maxConcurrentDownloads);
    expect(operator.maxInFlight).toBe(2);
    expect(store.getUtxo(pos(6000n))?.amount).toBe(1000n);
    expect(store.getHeight(SYNCED.blockGetter)).toBe(16);
    // Nothing new: the next round is a no-op that keeps the height.
    expect((await g.poll()).appliedBlocks).toBe(6);
    expect(operator.calls).toHaveLength(6);
  });

  it('joins a round already running instead of starting a second one', async () => {
    honestChain(3);
    operator.delay = () => 20;
    const g = getter();
    const [a, b] = await Promise.all([g.poll(), g.poll()]);
    expect(a).toBe(b);
    expect(a.lastAppliedBlock).toBe(3000n);
    expect(operator.calls).toHaveLength(3);
  });

  it('validates the next blocks while a block is being written, and executes each only after the one before is committed', async () => {
    const blocks = honestChain(3);
    let recovered = 0;
    const recoverer = {
      recoverBatch: (items: ReadonlyArray<{ digest: Uint8Array; sig: Uint8Array }>) => {
        recovered += items.length;
        return jsRecoverer.recoverBatch(items);
      },
    };
    // A writer that holds each block until told to commit it, like the store-writer worker would.
    const held: { blknum: bigint; commit: () => void }[] = [];
    const seenBefore: bigint[] = [];
    const inline = inlineBlockWriter(store);
    const writer: BlockWriter = {
      begin: (block) => {
        const write = inline.begin(block);
        return {
          transactions: (txs) => write.transactions(txs),
          add: (delta) => write.add(delta),
          abort: () => write.abort(),
          commit: (heights) =>
            new Promise<void>((resolve, reject) => {
              seenBefore.push(store.lastAppliedBlock());
              held.push({
                blknum: block.blknum,
                commit: () => void write.commit(heights).then(resolve, reject),
              });
            }),
        };
      },
      close: () => Promise.resolve(),
    };
    const g = new BlockGetter(store, operator, recoverer, config, {
      verifyingContract: CONTRACT,
      childBlockInterval: 1000n,
      writer,
    });
    const round = g.poll();
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 500 && !what(); i++) await new Promise((r) => setTimeout(r, 2));
      expect(what()).toBe(true);
    };
    await until(() => held.length === 1);
    // Block 1000 is being written: the next blocks are downloaded and their signers recovered meanwhile.
    await until(() => operator.calls.length === 3 && recovered === 3);
    expect(held.map((h) => h.blknum)).toEqual([1000n]);
    held[0]!.commit();
    await until(() => held.length === 2);
    held[1]!.commit();
    await until(() => held.length === 3);
    held[2]!.commit();
    expect((await round).lastAppliedBlock).toBe(3000n);
    // Each block reached the writer only once the one before it was in the store.
    expect(seenBefore).toEqual([0n, 1000n, 2000n]);
    expect(operator.calls).toEqual(blocks.map((b) => b.hash));
  });

  it('stops the round without blaming anyone when the recoverer fails, stores nothing of the block, and applies it on the next poll', async () => {
    await withWorkerWriter(async (writer) => {
      honestChain(3);
      let broken = true;
      const recoverer = {
        recoverBatch: (items: ReadonlyArray<{ digest: Uint8Array; sig: Uint8Array }>) =>
          broken
            ? Promise.reject(new Error('the recovery pool was closed'))
            : jsRecoverer.recoverBatch(items),
      };
      const g = new BlockGetter(store, operator, recoverer, config, {
        verifyingContract: CONTRACT,
        childBlockInterval: 1000n,
        writer,
      });
      const before = store.stateDigest();
      const failed = await g.poll();
      expect(failed.error).toBe('Validating block 1000 failed: the recovery pool was closed');
      expect(failed).toMatchObject({ lastAppliedBlock: 0n, halted: false, appliedBlocks: 0 });
      // The worker rolled the block back: nothing of it, no event, and the store is writable.
      expect(store.stateDigest()).toBe(before);
      expect(store.byzantineEvents()).toEqual([]);
      broken = false;
      expect(await g.poll()).toMatchObject({
        lastAppliedBlock: 3000n,
        appliedTransactions: 3,
        error: undefined,
      });
    });
  });

  it('never runs more than maxUnappliedBlocks ahead of the block being applied', async () => {
    honestChain(8);
    let ahead = 0;
    const real = store.writePackedBlock.bind(store);
    store.writePackedBlock = (transactions, parts, heights) => {
      ahead = Math.max(ahead, operator.calls.length - transactions.blknum / 1000);
      return real(transactions, parts, heights);
    };
    await getter({ maxConcurrentDownloads: 8, maxUnappliedBlocks: 3 }).poll();
    expect(store.lastAppliedBlock()).toBe(8000n);
    expect(ahead).toBeLessThanOrEqual(2); // block i applied while at most i+2 were requested
  });

  it('keeps the transactions of unapplied blocks within maxUnappliedTransactions, whatever the block count allows', async () => {
    // Blocks of 3 payments: Alice's three deposits, each paid on to herself block after block.
    [1n, 2n, 3n].forEach((d) => deposit(d, ALICE, 1000n, 5));
    for (let b = 1n; b <= 8n; b++)
      submit(
        b * 1000n,
        [0n, 1n, 2n].map((t) =>
          pay([b === 1n ? pos(t + 1n) : pos((b - 1n) * 1000n, t)], [[ALICE, 1000n]], [ALICE]),
        ),
        10 + Number(b),
      );
    const aheadWhileApplying = async (maxUnappliedTransactions: number) => {
      let ahead = 0;
      const real = store.writePackedBlock.bind(store);
      store.writePackedBlock = (transactions, parts, heights) => {
        ahead = Math.max(ahead, operator.calls.length - transactions.blknum / 1000);
        return real(transactions, parts, heights);
      };
      const g = new BlockGetter(
        store,
        operator,
        jsRecoverer,
        { ...config, maxConcurrentDownloads: 8, maxUnappliedBlocks: 8 },
        { verifyingContract: CONTRACT, childBlockInterval: 1000n, maxUnappliedTransactions },
      );
      const progress = await g.poll();
      store.writePackedBlock = real;
      return { ahead, progress };
    };
    // 6 transactions: the block being applied and one more, never a third.
    const bounded = await aheadWhileApplying(6);
    expect(bounded.progress).toMatchObject({ lastAppliedBlock: 8000n, appliedTransactions: 24 });
    expect(bounded.ahead).toBe(1);
    expect(operator.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('runs further ahead when the transaction bound allows it (the default: two full blocks)', async () => {
    honestChain(8);
    let ahead = 0;
    const real = store.writePackedBlock.bind(store);
    store.writePackedBlock = (transactions, parts, heights) => {
      ahead = Math.max(ahead, operator.calls.length - transactions.blknum / 1000);
      return real(transactions, parts, heights);
    };
    operator.delay = () => 5;
    await getter({ maxConcurrentDownloads: 8, maxUnappliedBlocks: 8 }).poll();
    expect(store.lastAppliedBlock()).toBe(8000n);
    expect(ahead).toBeGreaterThan(1);
  });

  it('advances the synced height only past heights whose submissions are all applied', async () => {
    deposit(1n, ALICE, 1000n, 5);
    // Blocks 1000 and 2000 submitted in the same Ethereum block 20; 3000 at 25 is withheld.
    submit(1000n, [pay([pos(1n)], [[ALICE, 1000n]], [ALICE])], 20);
    submit(2000n, [pay([pos(1000n)], [[ALICE, 1000n]], [ALICE])], 20);
    submit(3000n, [pay([pos(2000n)], [[ALICE, 1000n]], [ALICE])], 25, false);
    const progress = await getter().poll();
    expect(progress.lastAppliedBlock).toBe(2000n);
    expect(progress.pendingBlocks).toBe(1);
    expect(store.getHeight(SYNCED.blockGetter)).toBe(24);
  });

  it('halts on an invalid block, keeps the blocks before it, and stays halted after a restart', async () => {
    const [, second] = honestChain(2);
    // Block 3000 double-spends Alice's output of block 1000 (spent by block 2000).
    const bad = submit(3000n, [pay([pos(1000n)], [[BOB, 1000n]], [ALICE])], 13);
    submit(4000n, [pay([pos(2000n)], [[BOB, 1000n]], [ALICE])], 14);
    const progress = await getter().poll();
    expect(progress).toMatchObject({ lastAppliedBlock: 2000n, halted: true, pendingBlocks: 2 });
    const [event] = open('invalid_block');
    expect(event?.details).toEqual({
      name: 'invalid_block',
      blknum: 3000n,
      hash: bad.hash,
      error_type: 'tx_execution',
      reason: 'utxo_not_found',
      txindex: 0,
    });
    expect(store.getBlock(2000n)?.hash).toBe(second!.hash);
    const again = getter();
    expect((await again.poll()).halted).toBe(true);
    expect(store.lastAppliedBlock()).toBe(2000n);
  });

  it('with the store-writer worker: stores blocks as they execute, and drops an invalid one before raising its event', async () => {
    await withWorkerWriter(async (writer) => {
      honestChain(2);
      // Block 3000: an honest payment, then a double spend of block 1000's output. The worker holds
      // the block's transaction open while it executes; the event is written on this connection.
      const bad = submit(
        3000n,
        [pay([pos(2000n)], [[BOB, 1000n]], [ALICE]), pay([pos(1000n)], [[BOB, 1000n]], [ALICE])],
        13,
      );
      const g = new BlockGetter(store, operator, jsRecoverer, config, {
        verifyingContract: CONTRACT,
        childBlockInterval: 1000n,
        now: () => clock,
        writer,
      });
      const progress = await g.poll();
      expect(progress).toMatchObject({ lastAppliedBlock: 2000n, halted: true });
      expect(open('invalid_block')[0]?.details).toMatchObject({ hash: bad.hash, txindex: 1 });
      expect(store.getUtxos([pos(2000n)]).size).toBe(1); // the honest payment of block 3000 is not stored
      expect(store.getHeight(SYNCED.blockGetter)).toBe(12); // just below block 3000's submission
    });
  });

  it('reports a block served under another hash as invalid_block bad_returned_hash', async () => {
    const [first] = honestChain(2);
    const second = servedBlock(2000n, [pay([pos(1000n)], [[ALICE, 1000n]], [ALICE])], 12);
    // The operator answers the request for block 2000's root with block 1000.
    operator.blocks.set(second.request.hash, operator.blocks.get(first!.hash)!);
    await getter().poll();
    expect(open('invalid_block')[0]?.details).toMatchObject({
      blknum: 2000n,
      error_type: 'bad_returned_hash',
    });
    expect(store.lastAppliedBlock()).toBe(1000n);
  });

  it('reports a block of more than 65,536 transactions as invalid_block without writing any of it', async () => {
    await withWorkerWriter(async (writer) => {
      const [, second] = honestChain(2);
      // The operator answers for block 2000 with 65,537 transactions (too many for a Merkle tree).
      operator.blocks.set(second!.hash, {
        ...operator.blocks.get(second!.hash)!,
        transactions: new Array<Uint8Array>(65_537).fill(Uint8Array.of(0xc0)),
      });
      const g = new BlockGetter(store, operator, jsRecoverer, config, {
        verifyingContract: CONTRACT,
        childBlockInterval: 1000n,
        writer,
      });
      expect(await g.poll()).toMatchObject({ lastAppliedBlock: 1000n, halted: true });
      expect(open('invalid_block')[0]?.details).toMatchObject({
        blknum: 2000n,
        error_type: 'transactions_exceed_block_limit',
      });
    });
  });

  it('keeps the first failure time of a withheld block across restarts, then raises block_withholding', async () => {
    const [, second] = honestChain(3);
    operator.down.add(second!.hash);
    let progress = await getter().poll();
    expect(progress.lastAppliedBlock).toBe(1000n);
    expect(progress.error).toMatch(/Block 2000 could not be downloaded/);
    expect(progress.halted).toBe(false);
    expect(open(POTENTIAL_WITHHOLDING)).toHaveLength(1);
    expect(open('block_withholding')).toHaveLength(0);

    clock += 6_000;
    await getter().poll(); // a restarted getter: same store, the clock keeps running
    expect(open('block_withholding')).toHaveLength(0);
    clock += 4_000;
    progress = await getter().poll();
    expect(progress.halted).toBe(true);
    expect(open('block_withholding')[0]?.details).toEqual({
      name: 'block_withholding',
      blknum: 2000n,
      hash: second!.hash,
    });
    expect(open('block_withholding')[0]?.firstSeenAt).toBe(clock);
  });

  it('forgets a potential withholding once the block is served', async () => {
    const [, second] = honestChain(2);
    operator.down.add(second!.hash);
    const g = getter();
    await g.poll();
    expect(open(POTENTIAL_WITHHOLDING)).toHaveLength(1);
    operator.down.clear();
    clock += 9_000;
    const progress = await g.poll();
    expect(progress).toMatchObject({ lastAppliedBlock: 2000n, error: undefined });
    expect(open(POTENTIAL_WITHHOLDING)).toHaveLength(0);
    clock += 9_000;
    await g.poll();
    expect(open('block_withholding')).toHaveLength(0);
  });

  it('waits for a deposit the depositor has not reached yet, and flags it once it has', async () => {
    deposit(1n, ALICE, 1000n, 5);
    // Block 1000, submitted at height 20, spends deposit 2 (Bob), which this watcher has not seen.
    submit(1000n, [pay([pos(2n)], [[ALICE, 7n]], [BOB])], 20);
    let progress = await getter().poll();
    expect(progress).toMatchObject({ lastAppliedBlock: 0n, halted: false, pendingBlocks: 1 });
    expect(open('invalid_block')).toHaveLength(0);

    // The depositor catches up and finds it: the block applies.
    deposit(2n, BOB, 7n, 16);
    progress = await getter().poll();
    expect(progress.lastAppliedBlock).toBe(1000n);

    // Block 2000 spends deposit 3, and the depositor is already past its submission height: invalid.
    submit(2000n, [pay([pos(3n)], [[ALICE, 7n]], [BOB])], 21);
    store.setHeights({ [SYNCED.depositor]: 21 });
    progress = await getter().poll();
    expect(progress.halted).toBe(true);
    expect(open('invalid_block')[0]?.details).toMatchObject({
      blknum: 2000n,
      error_type: 'tx_execution',
      reason: 'utxo_not_found',
    });
  });

  it('continues after a restart on the same store and applies at most maxBlocksPerPoll per round', async () => {
    honestChain(5);
    const g = new BlockGetter(store, operator, jsRecoverer, config, {
      verifyingContract: CONTRACT,
      childBlockInterval: 1000n,
      maxBlocksPerPoll: 2,
    });
    expect((await g.poll()).lastAppliedBlock).toBe(2000n);
    const restarted = getter();
    const progress = await restarted.poll();
    expect(progress).toMatchObject({ lastAppliedBlock: 5000n, appliedBlocks: 3 });
    expect(operator.calls).toHaveLength(5);
  });

  it('starts no download past its time budget, and stops at a gap in the submissions', async () => {
    honestChain(3);
    const g = new BlockGetter(store, operator, jsRecoverer, config, {
      verifyingContract: CONTRACT,
      childBlockInterval: 1000n,
      pollBudgetMs: 0,
    });
    expect(await g.poll()).toMatchObject({ lastAppliedBlock: 1000n, pendingBlocks: 2 });
    expect(await g.poll()).toMatchObject({ lastAppliedBlock: 2000n, pendingBlocks: 1 });
    // Block 5000's record is there but 4000's is not (yet): 3000 applies, then the getter waits.
    submit(5000n, [pay([pos(3000n)], [[ALICE, 1000n]], [ALICE])], 40);
    const progress = await getter().poll();
    expect(progress).toMatchObject({ lastAppliedBlock: 3000n, pendingBlocks: 1 });
    expect(store.getHeight(SYNCED.blockGetter)).toBe(39);
    expect(operator.calls).toHaveLength(3);
  });

  it('ignores malformed BlockSubmitted records and deposit block numbers', async () => {
    honestChain(1);
    store.recordEvents([
      {
        ethHeight: 30,
        logIndex: 0,
        ethTxHash: `0x${'77'.repeat(32)}`,
        name: 'BlockSubmitted',
        args: { blknum: 'two thousand', root: 7 },
      },
      {
        ethHeight: 30,
        logIndex: 1,
        ethTxHash: `0x${'77'.repeat(32)}`,
        name: 'BlockSubmitted',
        args: { blknum: 1001n, root: `0x${'00'.repeat(32)}`, timestamp: 1 },
      },
    ]);
    const progress = await getter().poll();
    expect(progress).toMatchObject({ lastAppliedBlock: 1000n, pendingBlocks: 0, halted: false });
  });
});
