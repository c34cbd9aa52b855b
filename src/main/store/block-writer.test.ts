import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerUtxo } from '../../plasma/ledger';
import { compileBlockRowsWriter, packTransactions } from './block-rows';
import { openDatabase } from './database';
import { joinPosition, splitPosition } from './codec';
import { isStoreError } from './errors';
import { WRITER_SQL, WatcherStore } from './store';
import {
  applyBlockWith,
  inlineBlockWriter,
  workerBlockWriter,
  type BlockWriter,
} from './block-writer';
import { TEST_DEPLOYMENT, syntheticChain, type SyntheticStep } from './testing/synthetic';
import { tempDir } from './testing/tmp';

const tmp = tempDir('vigil-writer-');
afterAll(() => tmp.remove());

const CHAIN = { seed: 77, heights: 12, txPerBlock: 40 };

/**
 * Applies the synthetic chain with `applyBlock` for the blocks and the store itself for the rest;
 * `applyBlock` returns false for a block it leaves for later.
 */
async function sync(
  store: WatcherStore,
  applyBlock: (step: SyntheticStep) => Promise<void | false>,
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
    if ((await applyBlock(step)) === false) continue;
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
      applyBlockWith(viaStore, s.block.block, s.block.effects, { block_getter: s.ethHeight }),
    );

    const store = WatcherStore.open(tmp.file());
    const writer = workerBlockWriter(store);
    try {
      await sync(store, (s) =>
        applyBlockWith(writer, s.block.block, s.block.effects, { block_getter: s.ethHeight }),
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
            await applyBlockWith(writer, s.block.block, s.block.effects, {
              block_getter: s.ethHeight,
            });
          else store.applyBlock(s.block.block, s.block.effects, { block_getter: s.ethHeight });
        },
        3,
      );
      const before = store.stateDigest();
      const [first, , third] = steps;
      // Again: out of order.
      const again = await rejection(
        applyBlockWith(writer, third!.block.block, third!.block.effects),
      );
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
      const gone = await rejection(applyBlockWith(writer, next, spendsGone, { block_getter: 99 }));
      expect(isStoreError(gone, 'utxo_missing')).toBe(true);
      expect((gone as Error).message).toContain(String(stale.utxoPos));
      // Refused before it reaches the worker: effects of another block.
      const foreign = await rejection(applyBlockWith(writer, next, first!.block.effects));
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
      applyBlockWith(writer, s.block.block, s.block.effects, { block_getter: s.ethHeight }),
    );
    const file = WatcherStore.open(tmp.file());
    const closed = workerBlockWriter(file);
    await closed.close();
    const [step] = [...syntheticChain(CHAIN)];
    await expect(applyBlockWith(closed, step!.block.block, step!.block.effects)).rejects.toThrow(
      /closed/,
    );
    file.close();
    store.close();
  });
});

describe('a block stored while it executes (begin, add, commit)', () => {
  /**
   * The last block of a short chain as two deltas: all its outputs and some spends, then the other
   * spends and two of its own outputs spent again inside the block (uncreated). `netted` is what
   * BlockExecution.effects() would give for the same block.
   */
  function split(step: SyntheticStep) {
    const { created, spent } = step.block.effects;
    const half = Math.floor(spent.length / 2);
    const reSpent = [created[0]!.utxoPos, created[created.length - 1]!.utxoPos];
    return {
      deltas: [
        { created, spent: spent.slice(0, half), uncreated: [] },
        { created: [], spent: spent.slice(half), uncreated: reSpent },
      ],
      netted: {
        ...step.block.effects,
        created: created.filter((c) => !reSpent.includes(c.utxoPos)),
      },
    };
  }

  for (const kind of ['worker', 'inline'] as const) {
    it(`(${kind} writer) ends with the state applyBlock gives for the netted effects, and shows nothing before the commit`, async () => {
      const heights = 4;
      const expected = WatcherStore.open(tmp.file());
      const store = WatcherStore.open(tmp.file());
      const writer: BlockWriter = (kind === 'worker' ? workerBlockWriter : inlineBlockWriter)(
        store,
      );
      try {
        await sync(
          expected,
          async (s) => {
            const effects = s.ethHeight === heights ? split(s).netted : s.block.effects;
            expected.applyBlock(s.block.block, effects, { block_getter: s.ethHeight });
          },
          heights,
        );
        await sync(
          store,
          async (s) => {
            if (s.ethHeight < heights) {
              await applyBlockWith(writer, s.block.block, s.block.effects, {
                block_getter: s.ethHeight,
              });
              return;
            }
            const before = store.stateDigest();
            // Its transactions in three parts, between the deltas, as the block getter gives them.
            const txs = s.block.block.transactions;
            const [first, second] = [Math.floor(txs.length / 3), Math.floor((2 * txs.length) / 3)];
            const write = writer.begin({
              ...s.block.block,
              transactions: txs.slice(0, first),
              txCount: txs.length,
            });
            const [d1, d2] = split(s).deltas;
            write.transactions(txs.slice(first, second));
            write.add(d1!);
            write.transactions(txs.slice(second));
            write.add(d2!);
            expect(() => writer.begin(s.block.block)).toThrow(/still writing another block/);
            // Readers on the main connection keep seeing the last committed block.
            expect(store.stateDigest()).toBe(before);
            await write.commit({ block_getter: s.ethHeight });
          },
          heights,
        );
        expect(store.stateDigest()).toBe(expected.stateDigest());
        // The block's outputs now come from memory: not those spent again inside the block.
        const last = [...syntheticChain({ ...CHAIN, heights })].at(-1)!.block.effects.created;
        const positions = last.map((c) => c.utxoPos);
        expect([...store.getUtxos(positions).keys()].sort()).toEqual(
          [...expected.getUtxos(positions).keys()].sort(),
        );
        expect(store.getUtxos(positions).size).toBe(last.length - 2);
      } finally {
        await writer.close();
        store.close();
        expected.close();
      }
    });
  }

  it('stores nothing of a block that is aborted or fails in any delta, and goes on with the next', async () => {
    const store = WatcherStore.open(tmp.file());
    const writer = workerBlockWriter(store);
    try {
      const heights = 3;
      let last: SyntheticStep | undefined;
      await sync(
        store,
        async (s) => {
          if (s.ethHeight < heights)
            await applyBlockWith(writer, s.block.block, s.block.effects, {
              block_getter: s.ethHeight,
            });
          else {
            last = s; // written below, in stages
            return false;
          }
        },
        heights,
      );
      const step = last!;
      const before = store.stateDigest();
      const { deltas } = split(step);
      const attempt = async (extra: Parameters<ReturnType<BlockWriter['begin']>['add']>[0]) => {
        const write = writer.begin(step.block.block);
        write.add(deltas[0]!);
        write.add(extra);
        return rejection(write.commit({ block_getter: 50 }));
      };

      // Aborted after its first delta.
      const aborted = writer.begin(step.block.block);
      aborted.add(deltas[0]!);
      await aborted.abort();
      expect(store.stateDigest()).toBe(before);

      // An input spent already, in the second delta: named, from the right delta.
      const stale = { ...step.block.effects.spent[0]!, txindex: 3 };
      const gone = await attempt({ created: [], spent: [stale], uncreated: [] });
      expect(isStoreError(gone, 'utxo_missing')).toBe(true);
      expect((gone as Error).message).toContain(String(stale.utxoPos));

      // An output of this block spent again that the block never created.
      const never = step.block.effects.created[0]!.utxoPos + 9_000n;
      const own = await attempt({ created: [], spent: [], uncreated: [never] });
      expect(isStoreError(own, 'utxo_missing')).toBe(true);
      expect((own as Error).message).toContain(`its own output ${never}`);

      // Transactions missing at the commit, or given out of order.
      const header = { ...step.block.block, transactions: [], txCount: 3 };
      const short = writer.begin({ ...header, txCount: step.block.block.transactions.length });
      short.transactions(step.block.block.transactions.slice(0, 2));
      for (const delta of deltas) short.add(delta);
      const missing = await rejection(short.commit({ block_getter: 50 }));
      expect(isStoreError(missing, 'invalid_block')).toBe(true);
      expect((missing as Error).message).toMatch(/transactions; 2 were given/);
      const skipping = writer.begin(header);
      skipping.transactions(step.block.block.transactions.slice(1, 2));
      const skipped = await rejection(skipping.commit());
      expect((skipped as Error).message).toMatch(
        /Transaction 0 of block \d+ says it is at index 1/,
      );
      const tooMany = writer.begin(header);
      tooMany.transactions(step.block.block.transactions.slice(0, 4));
      expect((await rejection(tooMany.commit())) as Error).toMatchObject({
        message: expect.stringMatching(/holds 3 transactions; transactions 0 to 3 do not fit/),
      });

      // A delta refused before it reaches the worker: an output of another block.
      const foreign = { ...step.block.effects.created[0]!, utxoPos: 5_000_000_000_000n };
      const refused = await attempt({ created: [foreign], spent: [], uncreated: [] });
      expect(isStoreError(refused, 'invalid_block')).toBe(true);

      expect(store.stateDigest()).toBe(before);
      expect(store.lastAppliedBlock()).toBe(step.block.block.blknum - 1000n);
      // The write lock was released each time: the block itself still goes in.
      const write = writer.begin(step.block.block);
      for (const delta of deltas) write.add(delta);
      await write.commit({ block_getter: heights });
      expect(store.lastAppliedBlock()).toBe(step.block.block.blknum);
      await expect(write.commit()).rejects.toThrow(/committed or aborted already/);
      await expect(aborted.abort()).rejects.toThrow(/committed or aborted already/);
    } finally {
      await writer.close();
      store.close();
    }
  });
});

describe("the last committed block's outputs, answered from memory", () => {
  it('answers every lookup as SQLite does, through exits, deposits, a rollback and a replay', async () => {
    const path = tmp.file();
    const store = WatcherStore.open(path);
    // A second connection that never writes: its getUtxos always asks SQLite.
    const reference = WatcherStore.open(path);
    const writer = inlineBlockWriter(store);
    const positions = new Set<bigint>();
    const same = () => {
      const asked = [...positions];
      // The fields the ledger reads (from memory come the executor's own CreatedOutput objects).
      const fields = (m: Map<bigint, LedgerUtxo>) =>
        [...m]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([p, { outputType, owner, token, amount }]) => [
            p,
            outputType,
            owner,
            token,
            amount,
          ]);
      expect(fields(store.getUtxos(asked))).toEqual(fields(reference.getUtxos(asked)));
    };
    const applyAndCompare = async (s: SyntheticStep) => {
      for (const p of s.block.effects.spent) positions.add(p.utxoPos);
      for (const d of s.deposits) positions.add(joinPosition(Number(d.blknum), 0, 0));
      same(); // after this step's deposits and exits, before its block
      await applyBlockWith(writer, s.block.block, s.block.effects, { block_getter: s.ethHeight });
      for (const c of s.block.effects.created) positions.add(c.utxoPos);
      same();
    };
    try {
      await sync(store, applyAndCompare);
      store.rollbackTo(7);
      same();
      // Replayed from the rollback height: blocks 8 to 12 again, each following a remembered block.
      // (sync replays heights 1 to 7 too: what they hold is stored already and stays as it is.)
      await sync(store, async (s) => (s.ethHeight <= 7 ? false : applyAndCompare(s)));
      expect(store.stateDigest()).toBe(reference.stateDigest());
    } finally {
      await writer.close();
      reference.close();
      store.close();
    }
  });

  it('serves them until a write that can change them: an exit, a rollback, a block written otherwise', async () => {
    const empty = (blknum: bigint) => ({
      blknum,
      hash: `0x${'00'.repeat(32)}` as const,
      ethHeight: 50,
      timestamp: 50,
      transactions: [],
    });
    const noEffects = (blknum: bigint) => ({
      blknum,
      spent: [],
      created: [],
      unclaimedFees: new Map(),
    });
    const actions: [
      string,
      boolean,
      (store: WatcherStore, writer: BlockWriter, exited: bigint) => Promise<unknown>,
    ][] = [
      [
        'an aborted block',
        true,
        (_, writer) => writer.begin({ ...empty(4000n), txCount: 0 }).abort(),
      ],
      ['deposits', true, (store) => Promise.resolve(store.applyDeposits([], { depositor: 40 }))],
      [
        'an exit',
        false,
        (store, _, exited) =>
          Promise.resolve(
            store.markSpentByExit(exited, {
              ethHeight: 9,
              ethTxHash: `0x${'e1'.repeat(32)}`,
              logIndex: 0,
            }),
          ),
      ],
      ['a rollback', false, (store) => Promise.resolve(store.rollbackTo(99))],
      [
        'a block applied by the store',
        false,
        (store) => Promise.resolve(store.applyBlock(empty(4000n), noEffects(4000n))),
      ],
    ];
    for (const [what, keeps, action] of actions) {
      const store = WatcherStore.open(tmp.file());
      const writer = inlineBlockWriter(store);
      try {
        let last: SyntheticStep | undefined;
        await sync(
          store,
          async (s) => {
            last = s;
            await applyBlockWith(writer, s.block.block, s.block.effects, {
              block_getter: s.ethHeight,
            });
          },
          3,
        );
        const [kept, exited] = last!.block.effects.created;
        // Taken out behind the store's back (only a test may): memory still answers it, SQLite not.
        store.db
          .prepare('DELETE FROM outputs WHERE blknum = ? AND txindex = ? AND oindex = ?')
          .run(...splitPosition(kept!.utxoPos)!);
        expect(store.getUtxo(kept!.utxoPos)).toBeUndefined();
        expect(store.getUtxos([kept!.utxoPos]).get(kept!.utxoPos)).toBe(kept);
        await action(store, writer, exited!.utxoPos);
        expect(store.getUtxos([kept!.utxoPos]).has(kept!.utxoPos), what).toBe(keeps);
      } finally {
        await writer.close();
        store.close();
      }
    }
  });
});

describe('the block-rows writer', () => {
  it('grows the page cache while a big block is written and gives it back after, however the block ends', () => {
    const db = openDatabase(tmp.file());
    try {
      const writer = compileBlockRowsWriter(db, WRITER_SQL);
      const cache = () => db.pragma('cache_size', { simple: true });
      const initial = cache();
      expect(initial).toBe(-16_000); // better-sqlite3's default, 16,000 KiB
      const header = (blknum: bigint, txCount: number) =>
        packTransactions({
          blknum,
          hash: `0x${'11'.repeat(32)}`,
          ethHeight: 1,
          timestamp: 1,
          transactions: [],
          txCount,
        });
      // Half a KiB per transaction while the block is open; the default again after an abort…
      expect(writer.begin(header(1000n, 40_000))).toBeUndefined();
      expect(cache()).toBe(-20_000);
      writer.abort();
      expect(cache()).toBe(initial);
      // …after a commit, and after a failure (the block is refused at its commit: none of its rows).
      expect(writer.begin(header(1000n, 30_000))).toBeUndefined();
      expect(cache()).toBe(initial); // smaller blocks keep the default
      expect(writer.commit([['block_getter', 1]])).toBeUndefined();
      expect(writer.begin(header(2000n, 65_536))).toBeUndefined();
      expect(cache()).toBe(-32_768);
      expect(writer.commit([['block_getter', -1]])).toMatchObject({
        code: 'SQLITE_CONSTRAINT_CHECK',
      });
      expect(cache()).toBe(initial);
      expect(writer.write(header(1000n, 60_000), [], [])).toMatchObject({
        reason: 'block_out_of_order',
      });
      expect(cache()).toBe(initial);
    } finally {
      db.close();
    }
  });
});
