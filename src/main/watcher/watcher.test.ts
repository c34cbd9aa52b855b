import { afterEach, describe, expect, it } from 'vitest';
import type { ByzantineEvent } from '../store';
import { ethereumProgress, getterProgress, testWatcher, type TestWatcher } from './testing';
import type { ChainStatus } from './types';

let current: TestWatcher | undefined;
afterEach(async () => {
  await current?.watcher.stop();
  current = undefined;
});

function setup(): TestWatcher {
  current = testWatcher();
  return current;
}

describe('Watcher', () => {
  it('polls the follower then the getter each round and derives the status', async () => {
    const t = setup();
    const order: string[] = [];
    t.follower.next = () => {
      order.push('follower');
      return ethereumProgress({
        lastPollAt: t.clock.now,
        lastHeightChangeAt: t.clock.now,
        lastMinedChildBlock: 2000n,
      });
    };
    t.getter.next = () => {
      order.push('getter');
      return getterProgress({ lastAppliedBlock: 1000n });
    };
    const snap = await t.watcher.round();
    expect(order).toEqual(['follower', 'getter']);
    expect(snap.status.kind).toBe('syncing');
    t.getter.next = () => getterProgress({ lastAppliedBlock: 2000n });
    expect((await t.watcher.round()).status.kind).toBe('valid');
  });

  it('turns a throwing service into an error, not a crash, and keeps the last numbers', async () => {
    const t = setup();
    await t.watcher.round();
    t.follower.next = () => {
      throw new Error('socket hang up');
    };
    const snap = await t.watcher.round();
    expect(snap.status.kind).toBe('unknown');
    expect(snap.alarms).toContain('ethereum_connection_error');
    expect(snap.ethereum?.headHeight).toBe(100);
    expect(snap.ethereum?.error).toBe('socket hang up');
  });

  it('reports a connection error before the first successful poll', async () => {
    const t = setup();
    t.follower.next = () => {
      throw new Error('ECONNREFUSED');
    };
    const snap = await t.watcher.round();
    expect(snap.alarms).toEqual(['ethereum_connection_error']);
  });

  it('announces each event once, new ones as new, and status changes of kind', async () => {
    const t = setup();
    t.store.upsertByzantineEvent('invalid_exit', 'old', { utxo_pos: 1n }, t.clock.now - 5000);
    const seen: [string, boolean][] = [];
    const statuses: ChainStatus['kind'][] = [];
    t.watcher.subscribe({
      event: (e: ByzantineEvent, isNew) => seen.push([e.kind, isNew]),
      status: (s) => statuses.push(s.kind),
    });
    await t.watcher.round();
    t.clock.now += 1000;
    t.store.upsertByzantineEvent(
      'invalid_block',
      '5000',
      { blknum: 5000n, error_type: 'tx_execution' },
      t.clock.now,
    );
    await t.watcher.round();
    await t.watcher.round();
    expect(seen).toEqual([
      ['invalid_exit', false],
      ['invalid_block', true],
    ]);
    expect(statuses).toEqual(['valid', 'invalid']);
  });

  it('keeps serving listeners when one of them throws', async () => {
    const t = setup();
    let calls = 0;
    t.watcher.subscribe({
      progress: () => {
        throw new Error('listener bug');
      },
    });
    t.watcher.subscribe({
      progress: () => {
        calls += 1;
      },
    });
    const original = console.error;
    console.error = () => {};
    try {
      await t.watcher.round();
    } finally {
      console.error = original;
    }
    expect(calls).toBe(1);
  });

  it('runs rounds until stopped, then closes services and store once', async () => {
    const t = setup();
    t.watcher.start();
    t.watcher.start();
    while (t.getter.polls < 3) await new Promise((r) => setTimeout(r, 5));
    await t.watcher.stop();
    await t.watcher.stop();
    const polls = t.getter.polls;
    await new Promise((r) => setTimeout(r, 30));
    expect(t.getter.polls).toBe(polls);
    expect(t.follower.closed && t.getter.closed).toBe(true);
    await expect(t.watcher.round()).rejects.toThrow('stopped');
    current = undefined;
  });
});
