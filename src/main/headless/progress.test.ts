import { describe, expect, it } from 'vitest';
import type { WatcherSnapshot } from '../watcher/watcher';
import { ethereumProgress, getterProgress } from '../watcher/testing';
import { eventLine, progressLine, RateMeter, statusLine } from './progress';

function snap(
  at: number,
  applied: number,
  partial: Partial<WatcherSnapshot> = {},
): WatcherSnapshot {
  return {
    status: { kind: 'syncing', reason: '' },
    alarms: [],
    ethereum: ethereumProgress({ headHeight: 5000, lastMinedChildBlock: 100_000n }),
    getter: getterProgress({
      lastAppliedBlock: BigInt(applied) * 1000n,
      appliedBlocks: applied,
      appliedTransactions: applied * 1000,
    }),
    events: [],
    heights: {},
    at,
    ...partial,
  };
}

describe('headless progress', () => {
  it('shows the rate and an ETA while syncing', () => {
    const meter = new RateMeter();
    meter.add(snap(0, 0));
    meter.add(snap(2000, 20));
    expect(progressLine(snap(2000, 20), meter, 1000n)).toBe(
      'SYNCING · block 20,000 of 100,000 · Ethereum 5,000 · 10.0 blocks/s · 10,000 tx/s · ETA 8 s',
    );
  });

  it('has no rate before two samples, and names open events and alarms', () => {
    const meter = new RateMeter();
    meter.add(snap(0, 0));
    const line = progressLine(
      snap(0, 100, {
        status: { kind: 'unknown', reason: '' },
        alarms: ['ethereum_connection_error'],
        events: [
          {
            id: 1,
            kind: 'invalid_exit',
            key: 'k',
            details: {},
            firstSeenAt: 0,
            lastSeenAt: 0,
            resolvedAt: undefined,
          },
        ],
      }),
      meter,
      1000n,
    );
    expect(line).toBe(
      'UNKNOWN · block 100,000 of 100,000 · Ethereum 5,000 · 1 open event(s) · alarms: ethereum_connection_error',
    );
  });

  it('keeps only the recent window of samples', () => {
    const meter = new RateMeter(1000);
    meter.add(snap(0, 0));
    meter.add(snap(5000, 10));
    meter.add(snap(6000, 110));
    expect(meter.rate()?.blocksPerSecond).toBe(100);
  });

  it('writes events and status changes in plain words', () => {
    const e = {
      id: 1,
      kind: 'block_withholding',
      key: '3000',
      details: { blknum: 3000n, hash: '0x00' },
      firstSeenAt: Date.UTC(2026, 10, 24, 12),
      lastSeenAt: 0,
      resolvedAt: undefined,
    };
    expect(eventLine(e, true)).toBe(
      'ALERT [block_withholding] The operator submitted child block 3000 but will not show its contents: nobody can check it. Exit all your funds to Ethereum now. (first seen 2026-11-24T12:00:00.000Z)',
    );
    expect(eventLine(e, false)).toMatch(/^Still open \[block_withholding\]/);
    expect(
      statusLine(
        { kind: 'valid', reason: 'Every block up to 3000 is valid.' },
        { kind: 'syncing', reason: '' },
      ),
    ).toBe('Chain status: syncing → valid. Every block up to 3000 is valid.');
  });
});
