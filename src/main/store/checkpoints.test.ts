// The store's Ethereum checkpoints (migration 003): what the follower compares on each poll to notice
// a reorg deeper than its margins, and how a rollback forgets the ones above the common ancestor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from '../../plasma/types';
import { StoreError } from './errors';
import { WatcherStore } from './store';

const hash = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;

let store: WatcherStore;
beforeEach(() => {
  store = WatcherStore.open(':memory:');
});
afterEach(() => store.close());

describe('eth checkpoints', () => {
  it('are returned newest first, a height overwritten by a later put', () => {
    store.putCheckpoints([
      { ethHeight: 10, blockHash: hash(10) },
      { ethHeight: 30, blockHash: hash(30) },
      { ethHeight: 20, blockHash: hash(20) },
    ]);
    store.putCheckpoints([{ ethHeight: 20, blockHash: hash(99) }]);
    expect(store.checkpoints()).toEqual([
      { ethHeight: 30, blockHash: hash(30) },
      { ethHeight: 20, blockHash: hash(99) },
      { ethHeight: 10, blockHash: hash(10) },
    ]);
    expect(store.checkpoints(1)).toEqual([{ ethHeight: 30, blockHash: hash(30) }]);
  });

  it('refuse a bad hash or height and write nothing', () => {
    expect(() =>
      store.putCheckpoints([
        { ethHeight: 5, blockHash: hash(5) },
        { ethHeight: 6, blockHash: '0x1234' },
      ]),
    ).toThrow(StoreError);
    expect(() => store.putCheckpoints([{ ethHeight: -1, blockHash: hash(1) }])).toThrow(
      /whole number/,
    );
    expect(store.checkpoints()).toEqual([]);
  });

  it('are pruned to the newest ones', () => {
    store.putCheckpoints([1, 2, 3, 4, 5].map((h) => ({ ethHeight: h, blockHash: hash(h) })));
    expect(store.pruneCheckpoints(2)).toBe(3);
    expect(store.checkpoints().map((c) => c.ethHeight)).toEqual([5, 4]);
  });

  it('above the rollback height are forgotten by rollbackTo, and roll back with a failed write', () => {
    store.putCheckpoints([10, 20, 30].map((h) => ({ ethHeight: h, blockHash: hash(h) })));
    store.rollbackTo(20);
    expect(store.checkpoints().map((c) => c.ethHeight)).toEqual([20, 10]);
    expect(() =>
      store.atomically(() => {
        store.putCheckpoints([{ ethHeight: 40, blockHash: hash(40) }]);
        store.setHeights({ '': 1 });
      }),
    ).toThrow(StoreError);
    expect(store.checkpoints().map((c) => c.ethHeight)).toEqual([20, 10]);
  });

  it('are not part of the state digest', () => {
    const digest = store.stateDigest();
    store.putCheckpoints([{ ethHeight: 7, blockHash: hash(7) }]);
    expect(store.stateDigest()).toBe(digest);
  });
});
