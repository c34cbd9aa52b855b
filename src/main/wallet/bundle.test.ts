import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { depositExitData } from '../../plasma/ids';
import { encodeDeposit } from '../../plasma/tx';
import { ETH_TOKEN, type Hex } from '../../plasma/types';
import { TEST_PROFILE } from '../watcher/testing';
import { ALICE, BOB, pos } from '../watcher/testing-blocks';
import { exitFixture, type ExitFixture } from '../watcher/testing-exits';
import { ImportedBundles, exportBundle, verifyBundle, type RootReader } from './bundle';

let fx: ExitFixture;
let roots: RootReader;
beforeEach(async () => {
  fx = await exitFixture();
  // Ethereum's roots: block 1000 as submitted, deposit 2 as the vault submitted it.
  const block = fx.store.getBlock(1000n)!;
  const deposit2 = depositExitData(encodeDeposit(ALICE, ETH_TOKEN, 50n), 2n).root;
  roots = (blknum) =>
    Promise.resolve(
      blknum === 1000n ? block.hash : blknum === 2n ? deposit2 : (`0x${'00'.repeat(32)}` as Hex),
    );
});
afterEach(() => fx.close());

const exported = (account = BOB) =>
  JSON.parse(exportBundle(account, fx.store, fx.processor(), TEST_PROFILE, 1).json) as {
    entries: Record<string, string>[];
    chainId: number;
  };

describe('exit proof bundle', () => {
  it('exports every unspent own output with its root and the transaction that submitted it', () => {
    const b = exported(BOB);
    expect(b.entries).toHaveLength(1);
    expect(b.entries[0]).toMatchObject({
      utxoPos: pos(1000n).toString(),
      owner: BOB,
      amount: '100',
      root: fx.store.getBlock(1000n)!.hash,
      rootSubmission: { ethTxHash: `0x${'08'.padStart(64, '0')}`, ethHeight: 8 },
    });
    // Alice's deposit 1 is spent: only deposit 2 is exitable.
    expect(exported(ALICE).entries.map((e) => e.utxoPos)).toEqual([pos(2n).toString()]);
  });

  it('accepts a good bundle and stores its entries as exit data', async () => {
    const { report, accepted } = await verifyBundle(
      JSON.stringify(exported(ALICE)),
      TEST_PROFILE,
      roots,
    );
    expect(report).toEqual({ accepted: [pos(2n).toString()], rejected: [] });
    const bundles = new ImportedBundles(fx.tmp.dir, 'test');
    bundles.add(accepted);
    expect(new ImportedBundles(fx.tmp.dir, 'test').get(pos(2n))).toMatchObject({
      amount: 50n,
      owner: ALICE,
    });
    expect(bundles.all(BOB)).toEqual([]);
  });

  it('names every bad entry: tampered proof, wrong root, inflated amount, malformed', async () => {
    const good = exported(BOB).entries[0]!;
    const flip = (h: string) => h.slice(0, -1) + (h.endsWith('0') ? '1' : '0');
    const bundle = exported(BOB);
    bundle.entries = [
      { ...good, proof: flip(good.proof!) },
      { ...good, utxoPos: pos(1000n, 0n, 1n).toString() },
      { ...good, root: `0x${'ee'.repeat(32)}` },
      { ...good, amount: '1000' },
      { utxoPos: '7' },
    ];
    const { report, accepted } = await verifyBundle(JSON.stringify(bundle), TEST_PROFILE, roots);
    expect(accepted).toEqual([]);
    expect(report.rejected.map((r) => r.entry)).toEqual([
      pos(1000n).toString(),
      pos(1000n, 0n, 1n).toString(),
      pos(1000n).toString(),
      pos(1000n).toString(),
      '7',
    ]);
    expect(report.rejected[0]!.reason).toMatch(/proof does not lead/);
    expect(report.rejected[1]!.reason).toMatch(/no output 1/);
    expect(report.rejected[2]!.reason).toMatch(/is not the root/);
    expect(report.rejected[3]!.reason).toMatch(/amount differ/);
    expect(report.rejected[4]!.reason).toMatch(/malformed/);
  });

  it('refuses a bundle of another chain or deployment, or no bundle at all, as a whole', async () => {
    const other = { ...exported(BOB), chainId: 1 };
    const wrongChain = await verifyBundle(JSON.stringify(other), TEST_PROFILE, roots);
    expect(wrongChain.report.rejected).toEqual([
      { entry: 'bundle', reason: expect.stringMatching(/chain 1, but Test net is chain 31337/) },
    ]);
    const moved = exported(BOB) as unknown as { contracts: Record<string, string> };
    moved.contracts['paymentExitGame'] = `0x${'99'.repeat(20)}`;
    const wrongGame = await verifyBundle(JSON.stringify(moved), TEST_PROFILE, roots);
    expect(wrongGame.report.rejected[0]!.reason).toMatch(/paymentExitGame/);
    expect((await verifyBundle('{nope', TEST_PROFILE, roots)).report.rejected[0]!.reason).toMatch(
      /not JSON/,
    );
    expect((await verifyBundle('{"a":1}', TEST_PROFILE, roots)).report.rejected[0]!.entry).toBe(
      'bundle',
    );
  });
});
