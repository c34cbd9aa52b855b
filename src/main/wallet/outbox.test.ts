import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../store/testing/tmp';
import { ExitOutbox, RELAY_GRACE_S, type OutboxProbe } from './outbox';

const A = `0x${'aa'.repeat(20)}`;
const H1 = `0x${'11'.repeat(32)}`;
const H2 = `0x${'22'.repeat(32)}`;

let tmp: TempDir;
beforeEach(() => (tmp = tempDir('vigil-outbox-')));
afterEach(() => tmp.remove());

const probe = (over: Partial<OutboxProbe> = {}): OutboxProbe => ({
  exitSeen: () => false,
  transaction: () => Promise.resolve('pending'),
  ...over,
});

describe('exit outbox', () => {
  it('adds each output once, survives a restart, and refuses a second send of the same exit', () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    box.add(A, ['1000000000', '2000000000']);
    box.add(A.toUpperCase().replace('0X', '0x'), ['1000000000']);
    // A restart: a new object over the same file.
    const after = new ExitOutbox(tmp.dir, 'devnet');
    const items = after.list(A);
    expect(items.map((i) => [i.utxoPos, i.state])).toEqual([
      ['1000000000', 'pending'],
      ['2000000000', 'pending'],
    ]);
    const sent = after.markSent(items[0]!.id, H1);
    expect(sent).toMatchObject({ state: 'sent', ethTxHash: H1 });
    expect(after.markSent(items[0]!.id, H1).state).toBe('sent');
    expect(() => after.markSent(items[0]!.id, H2)).toThrow(/will not send it twice/);
    expect(after.has(A, 1_000_000_000n)).toBe(true);
    expect(() => after.markSent(99, H1)).toThrow(/no exit 99/);
  });

  it('after a crash between recording and relaying, the entry is pending again and sent once more; a seen exit is confirmed', async () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    const [a, b] = box.add(A, ['1000000000', '2000000000']);
    box.markSent(a!.id, H1);
    box.markSent(b!.id, H2);
    // The app stopped before eth.send of H1: Ethereum never heard of it. H2 went out and its exit is on chain.
    const restarted = new ExitOutbox(tmp.dir, 'devnet');
    const settled = await restarted.refresh(
      A,
      probe({
        transaction: (h) => Promise.resolve(h === H1 ? 'unknown' : 'mined-ok'),
        exitSeen: (pos) => pos === 2_000_000_000n,
      }),
    );
    expect(settled.map((i) => [i.state, i.ethTxHash])).toEqual([
      ['pending', null],
      ['confirmed', H2],
    ]);
    expect(settled[0]!.error).toMatch(/never received/);
    // Still the exit of that output (a plan counts it as under way), and it takes one new hash.
    expect(restarted.has(A, 1_000_000_000n)).toBe(true);
    expect(restarted.markSent(a!.id, H2.replace('22', '33')).state).toBe('sent');
    expect(() => restarted.markSent(b!.id, H1)).toThrow(/will not send it twice/);
  });

  it('a reverted exit fails and goes back to pending only when the user adds it again', async () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    const [a] = box.add(A, ['1000000000']);
    box.markSent(a!.id, H1);
    const settled = await box.refresh(A, probe({ transaction: () => Promise.resolve('reverted') }));
    expect(settled[0]).toMatchObject({ state: 'failed', ethTxHash: H1 });
    expect(box.has(A, 1_000_000_000n)).toBe(false);
    expect(box.add(A, ['1000000000']).map((i) => [i.state, i.ethTxHash])).toEqual([
      ['pending', null],
    ]);
  });

  it('an entry this start recorded a moment ago is still being relayed: unknown leaves it sent until the grace has passed', async () => {
    let now = 1_700_000_000;
    const box = new ExitOutbox(tmp.dir, 'devnet', () => now);
    const [a] = box.add(A, ['1000000000']);
    box.markSent(a!.id, H1);
    const unknown = probe({ transaction: () => Promise.resolve('unknown') });
    expect((await box.refresh(A, unknown))[0]).toMatchObject({ state: 'sent', ethTxHash: H1 });
    now += RELAY_GRACE_S - 1;
    expect((await box.refresh(A, unknown))[0]!.state).toBe('sent');
    // The window died before relaying it: after the grace the resume may send it.
    now += 1;
    expect((await box.refresh(A, unknown))[0]).toMatchObject({ state: 'pending', ethTxHash: null });
  });

  it('a markSent that lands while refresh waits for Ethereum is not overwritten', async () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    const [a, b] = box.add(A, ['1000000000', '2000000000']);
    box.markSent(a!.id, H1);
    let answer: (state: 'reverted') => void = () => undefined;
    const refreshing = box.refresh(
      A,
      probe({ transaction: () => new Promise((resolve) => (answer = resolve)) }),
    );
    await Promise.resolve();
    box.markSent(b!.id, H2);
    answer('reverted');
    expect((await refreshing).map((i) => [i.state, i.ethTxHash])).toEqual([
      ['failed', H1],
      ['sent', H2],
    ]);
    expect(box.list(A)[1]).toMatchObject({ state: 'sent', ethTxHash: H2 });
  });

  it('reports a damaged file instead of starting an empty outbox over it', () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    box.add(A, ['1000000000']);
    writeFileSync(box.path, readFileSync(box.path, 'utf8').replace('"pending"', '"bogus"'));
    expect(() => box.list(A)).toThrow(/damaged/);
  });
});
