// Restart continuity: stop a devnet (not --fresh) and start it again on the same data directory.
// Every old block is served again with the same hash and contents, the UTXO set and the pending
// transactions are intact, an armed cheat is still armed, and new payments continue the chain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BLOCK_OFFSET,
  TX_OFFSET,
  decodeSignedTransaction,
  hexToBytes,
  type Hex,
} from '../src/plasma';
import { ANVIL_DEV_KEYS } from '../contracts/testing/anvil';
import { isAlive } from './anvil';
import {
  FEE,
  addressOf,
  call,
  fundedOutput,
  getBlock,
  nextChildBlock,
  payment,
  rootOnChain,
  servedRoot,
  startTestDevnet,
  submit,
  waitFor,
  type TestDevnet,
} from './testing';

const ALICE_KEY = ANVIL_DEV_KEYS[4] as Hex;
const BOB_KEY = ANVIL_DEV_KEYS[5] as Hex;
const ALICE = addressOf(ALICE_KEY);
const BOB = addressOf(BOB_KEY);
const ETH = 1_000_000_000_000_000_000n;

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-restart-'));
// Blocks are formed on request only (devnet.form_block), so nothing happens behind the test's back.
const options = { dataDir, blockIntervalMs: 600_000 };
let running: TestDevnet | undefined;

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function formBlock(devnet: TestDevnet): Promise<bigint> {
  const formed = await call<{ blknum: bigint | number }>(devnet, 'devnet.form_block');
  const blknum = BigInt(formed.blknum);
  await rootOnChain(devnet, blknum);
  return blknum;
}

const lower = (contracts: Record<string, string>) =>
  Object.fromEntries(Object.entries(contracts).map(([k, v]) => [k, v.toLowerCase()]));

const balances = (devnet: TestDevnet) =>
  [ALICE, BOB].map((owner) =>
    devnet.operator.chain
      .utxosOf(owner)
      .map((u) => ({ ...u, utxoPos: u.utxoPos.toString() }))
      .sort((a, b) => a.utxoPos.localeCompare(b.utxoPos)),
  );

describe('a stopped devnet resumes from its data directory', () => {
  it('serves every old block again, keeps its outputs, pending payments and armed cheat, and goes on', async () => {
    let devnet = await startTestDevnet(options);
    running = devnet;
    // Two blocks with payments, one payment pending, a cheat armed.
    const deposit = await fundedOutput(devnet, ALICE_KEY, ETH);
    const first = await submit(devnet, payment(devnet, [deposit], [[BOB, ETH - FEE]], [ALICE_KEY]));
    await formBlock(devnet);
    const bobPos = first.blknum * BLOCK_OFFSET + BigInt(first.txindex) * TX_OFFSET;
    await submit(
      devnet,
      payment(
        devnet,
        [bobPos],
        [
          [ALICE, ETH / 2n],
          [BOB, ETH / 2n - 2n * FEE],
        ],
        [BOB_KEY],
      ),
    );
    await formBlock(devnet);
    const pendingPos = await fundedOutput(devnet, ALICE_KEY, ETH);
    const pending = payment(devnet, [pendingPos], [[BOB, ETH - FEE]], [ALICE_KEY]);
    const pendingResult = await submit(devnet, pending);
    expect(await call(devnet, 'devnet.cheat', { name: 'outputs_exceed_inputs' })).toEqual({
      cheat: 'outputs_exceed_inputs',
      armed: true,
    });

    const before = {
      blocks: await Promise.all(
        devnet.operator.state.blocks().map(async (b) => getBlock(devnet, b.hash)),
      ),
      balances: balances(devnet),
      next: await nextChildBlock(devnet),
      contracts: lower(devnet.profile.contracts),
    };
    expect(before.blocks.length).toBeGreaterThanOrEqual(2);
    const oldAnvil = devnet.anvil.anvilPid;
    await devnet.stop();
    running = undefined;
    await waitFor('the old anvil to stop', () => !isAlive(oldAnvil), 30_000);

    devnet = await startTestDevnet(options);
    running = devnet;
    expect(devnet.anvil.anvilPid).not.toBe(oldAnvil);
    expect(lower(devnet.profile.contracts)).toEqual(before.contracts);
    expect(await nextChildBlock(devnet)).toBe(before.next);
    for (const old of before.blocks) {
      expect(await rootOnChain(devnet, old.blknum)).toBe(old.hash);
      expect(await getBlock(devnet, old.hash)).toEqual(old);
      expect(servedRoot(old.transactions)).toBe(old.hash);
    }
    expect(balances(devnet)).toEqual(before.balances);
    expect(devnet.operator.chain.pendingCount).toBe(1);
    expect(devnet.operator.chain.armedCheat).toBe('outputs_exceed_inputs');
    // The pending payment cannot be submitted twice, even across the restart.
    await expect(submit(devnet, pending)).rejects.toMatchObject({ code: 'submit:utxo_not_found' });

    // New payments continue the chain, in the block the pending one was promised.
    const more = await fundedOutput(devnet, BOB_KEY, ETH);
    const next = await submit(devnet, payment(devnet, [more], [[ALICE, ETH - FEE]], [BOB_KEY]));
    expect(next.blknum).toBe(pendingResult.blknum);
    expect(next.txindex).toBe(pendingResult.txindex + 1);
    const blknum = await formBlock(devnet);
    expect(blknum).toBe(before.next);
    const root = await rootOnChain(devnet, blknum);
    const block = await getBlock(devnet, root);
    // The pending payment, the new one, and the cheat armed before the restart.
    expect(block.transactions).toHaveLength(3);
    expect(block.transactions[pendingResult.txindex]).toBe(
      `0x${Buffer.from(pending).toString('hex')}`,
    );
    expect(devnet.operator.state.blockByHash(root)!.applied).toEqual([true, true, false]);
    expect(servedRoot(block.transactions.slice(0, 2))).not.toBe(root);
    // The cheat's transaction pays out one more than the operator output it spends.
    const bad = decodeSignedTransaction(hexToBytes(block.transactions[2]!));
    if (bad.kind !== 'payment') throw new Error('the cheat transaction is not a payment');
    const spent = devnet.operator.chain.utxo(bad.tx.inputs[0]!);
    expect(spent?.owner).toBe(devnet.operator.address);
    expect(bad.tx.outputs[0]!.amount).toBe(spent!.amount + 1n);
    expect(devnet.operator.chain.armedCheat).toBeNull();
    expect(devnet.operator.chain.utxo(pendingPos)).toBeUndefined();
  });
});
