import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../store/testing/tmp';
import { ExitOutbox, type OutboxProbe } from './outbox';

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

  it('after a crash between recording and relaying, the entry fails and may be sent again; a seen exit is confirmed', async () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    const [a, b] = box.add(A, ['1000000000', '2000000000']);
    box.markSent(a!.id, H1);
    box.markSent(b!.id, H2);
    // The app stopped before eth.send of H1: Ethereum never heard of it. H2 went out and its exit is on chain.
    const settled = await new ExitOutbox(tmp.dir, 'devnet').refresh(
      A,
      probe({
        transaction: (h) => Promise.resolve(h === H1 ? 'unknown' : 'mined-ok'),
        exitSeen: (pos) => pos === 2_000_000_000n,
      }),
    );
    expect(settled.map((i) => i.state)).toEqual(['failed', 'confirmed']);
    expect(settled[0]!.error).toMatch(/never received/);
    expect(box.has(A, 1_000_000_000n)).toBe(false);
    // Retrying puts it back to pending without a hash; the confirmed one is left alone.
    const again = box.add(A, ['1000000000', '2000000000']);
    expect(again.map((i) => [i.state, i.ethTxHash])).toEqual([
      ['pending', null],
      ['confirmed', H2],
    ]);
  });

  it('reports a damaged file instead of starting an empty outbox over it', () => {
    const box = new ExitOutbox(tmp.dir, 'devnet');
    box.add(A, ['1000000000']);
    writeFileSync(box.path, readFileSync(box.path, 'utf8').replace('"pending"', '"bogus"'));
    expect(() => box.list(A)).toThrow(/damaged/);
  });
});
