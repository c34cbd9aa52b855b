import { afterAll, describe, expect, it } from 'vitest';
import { isStoreError } from './errors';
import { WatcherStore } from './store';
import { inlineBlockWriter, workerBlockWriter } from './block-writer';
import { TEST_DEPLOYMENT, syntheticChain, type SyntheticStep } from './testing/synthetic';
import { tempDir } from './testing/tmp';

const tmp = tempDir('vigil-writer-');
afterAll(() => tmp.remove());

const CHAIN = { seed: 77, heights: 12, txPerBlock: 40 };

/** Applies the synthetic chain with `writer` for the blocks and the store itself for the rest. */
async function sync(
  store: WatcherStore,
  applyBlock: (step: SyntheticStep) => Promise<void>,
  heights = CHAIN.heights,
): Promise<void> {
  store.assertDeployment(TEST_DEPLOYMENT);
  for (const step of syntheticChain({ ...CHAIN, heights })) {
    const h = step.ethHeight;
    store.applyDeposits(step.deposits, { depositor: h });
    store.recordEvents(step.events, { exit_processor: h }, 0);
    store.atomically(() => {
      for (const { utxoPos, exit } of step.exits) store.markSpentByExit(utxoPos, exit);
      store.setHeights({ exit_finalizer: h });
    });
    await applyBlock(step);
    // The main connection sees each block, whole, as soon as it is committed.
    expect(store.lastAppliedBlock()).toBe(step.block.block.blknum);
    expect(store.getHeight('block_getter')).toBe(h);
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('the store-writer worker', () => {
  it('ends with exactly the state the store reaches writing on its own connection', async () => {
    const inline = WatcherStore.open(tmp.file());
    const viaStore = inlineBlockWriter(inline);
    await sync(inline, (s) =>
      viaStore.applyBlock(s.block.block, s.block.effects, { block_getter: s.ethHeight }),
    );

    const store = WatcherStore.open(tmp.file());
    const writer = workerBlockWriter(store);
    try {
      await sync(store, (s) =>
        writer.applyBlock(s.block.block, s.block.effects, { block_getter: s.ethHeight }),
      );
      expect(store.stateDigest()).toBe(inline.stateDigest());
    } finally {
      await writer.close();
      store.close();
      inline.close();
    }
  });

  it('refuses what the store refuses, with the same errors, and writes nothing of it', async () => {
    const store = WatcherStore.open(tmp.file());
    const writer = workerBlockWriter(store);
    try {
      const steps = [...syntheticChain({ ...CHAIN, heights: 3 })];
      await sync(
        store,
        async (s) => {
          if (s.ethHeight < 3)
            await writer.applyBlock(s.block.block, s.block.effects, { block_getter: s.ethHeight });
          else store.applyBlock(s.block.block, s.block.effects, { block_getter: s.ethHeight });
        },
        3,
      );
      const before = store.stateDigest();
      const [first, , third] = steps;
      // Again: out of order.
      const again = await rejection(writer.applyBlock(third!.block.block, third!.block.effects));
      expect(isStoreError(again, 'block_out_of_order')).toBe(true);
      // A block that spends an output the set does not hold (block 1000's, spent already).
      const blknum = store.lastAppliedBlock() + 1000n;
      const next = { ...first!.block.block, blknum };
      const stale = first!.block.effects.spent[0]!;
      const spendsGone = {
        blknum,
        spent: [stale],
        created: [],
        unclaimedFees: new Map(),
      };
      const gone = await rejection(writer.applyBlock(next, spendsGone, { block_getter: 99 }));
      expect(isStoreError(gone, 'utxo_missing')).toBe(true);
      expect((gone as Error).message).toContain(String(stale.utxoPos));
      // Refused before it reaches the worker: effects of another block.
      const foreign = await rejection(writer.applyBlock(next, first!.block.effects));
      expect(isStoreError(foreign, 'invalid_block')).toBe(true);
      expect(store.stateDigest()).toBe(before);
      expect(store.getHeight('block_getter')).toBe(3);
    } finally {
      await writer.close();
      store.close();
    }
  });

  it('writes on the store connection for an in-memory store, and refuses blocks once closed', async () => {
    const store = WatcherStore.open(':memory:');
    const writer = workerBlockWriter(store);
    await sync(store, (s) =>
      writer.applyBlock(s.block.block, s.block.effects, { block_getter: s.ethHeight }),
    );
    const file = WatcherStore.open(tmp.file());
    const closed = workerBlockWriter(file);
    await closed.close();
    const [step] = [...syntheticChain(CHAIN)];
    await expect(closed.applyBlock(step!.block.block, step!.block.effects)).rejects.toThrow(
      /closed/,
    );
    file.close();
    store.close();
  });
});
