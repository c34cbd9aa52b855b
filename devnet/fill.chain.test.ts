// The block filler on a real devnet, with the code path of the full 65,531-payment fill but 2,000
// payments (and then two blocks of 300, the catch-up benchmark's shape): every payment accepted by
// the operator's validator, in one block whose root is on chain and equals the served contents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexToBytes, normalizeAddress, prepareTransactions } from '../src/plasma';
import { createNativeRecoverer } from '../src/main/crypto/native-recoverer';
import { fillBlocks } from './fill';
import { getBlock, rootOnChain, servedRoot, startTestDevnet, type TestDevnet } from './testing';

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet({ blockIntervalMs: 1000 });
});
afterAll(async () => {
  await devnet?.dispose();
});

async function checkFilled(blknum: bigint, root: string, count: number) {
  expect(await rootOnChain(devnet, blknum)).toBe(root);
  const block = await getBlock(devnet, root as `0x${string}`);
  expect(block.blknum).toBe(blknum);
  expect(block.transactions).toHaveLength(count);
  expect(servedRoot(block.transactions)).toBe(root);
  expect(devnet.operator.state.blockByHash(root)!.applied.every(Boolean)).toBe(true);

  const prepared = await prepareTransactions(
    block.transactions.map((t) => hexToBytes(t)),
    normalizeAddress(devnet.profile.contracts.plasmaFramework),
    createNativeRecoverer(),
  );
  const inputCounts = new Set<number>();
  const outputCounts = new Set<number>();
  const signers = new Set<string>();
  for (const p of prepared) {
    if (p.exec.kind !== 'payment') throw new Error('the filler made a non-payment');
    inputCounts.add(p.exec.tx.inputs.length);
    outputCounts.add(p.exec.tx.outputs.length);
    for (const s of p.exec.signers) signers.add(String(s));
  }
  return { inputCounts, outputCounts, signers };
}

describe('fillBlocks', () => {
  it('fills one block with 2,000 valid payments of 1 to 4 inputs from many owners', async () => {
    const report = await fillBlocks(devnet, { transactions: 2000 });
    expect(report.setupBlocks.length).toBeGreaterThan(0);
    expect(report.blocks).toHaveLength(1);
    const [filled] = report.blocks;
    expect(filled!.transactions).toBe(2000);
    const { inputCounts, outputCounts, signers } = await checkFilled(
      filled!.blknum,
      filled!.root,
      2000,
    );
    expect([...inputCounts].sort()).toEqual([1, 2, 3, 4]);
    expect([...outputCounts].sort()).toEqual([1, 2, 3, 4]);
    expect(signers.size).toBeGreaterThanOrEqual(400);
    expect(filled!.inputs).toBe(5000);
  });

  it('fills several blocks in a row for the catch-up benchmark', async () => {
    const report = await fillBlocks(devnet, { transactions: 300, blocks: 2, owners: 50 });
    expect(report.blocks.map((b) => b.transactions)).toEqual([300, 300]);
    const [a, b] = report.blocks;
    expect(b!.blknum).toBe(a!.blknum + 1000n);
    for (const block of report.blocks) {
      const { signers } = await checkFilled(block.blknum, block.root, 300);
      expect(signers.size).toBe(50);
    }
  });

  it('refuses impossible options with a clear error', async () => {
    await expect(fillBlocks(devnet, { transactions: 70_000 })).rejects.toThrow(/1 to 65531/);
    await expect(fillBlocks(devnet, { blocks: 0 })).rejects.toThrow(/blocks/);
    await expect(fillBlocks(devnet, { owners: 1 })).rejects.toThrow(/owners/);
  });
});
