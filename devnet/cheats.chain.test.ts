// Every cheat switch against a real devnet, checked the way a watcher would see it: roots read from
// PlasmaFramework, blocks fetched with block.get, decoded and executed with the shared library
// (src/plasma decoders and ledger) from deposits found on chain. Each cheat must produce exactly the
// bad data it promises, and the honest blocks around it must stay clean.
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockExecution,
  ETH_TOKEN,
  bytesToHex,
  decodeSignedTransaction,
  depositProof,
  encodeDeposit,
  hexToBytes,
  isPlasmaError,
  jsRecoverer,
  merkleRoot,
  normalizeAddress,
  prepareTransactions,
  type Hex,
  type LedgerUtxo,
} from '../src/plasma';
import {
  blocksCall,
  decodeBlockResult,
  decodeStandardExitsResult,
  ethVaultInterface,
  paymentExitGameInterface,
  standardExitsCall,
  startStandardExitBondSizeCall,
  startStandardExitTx,
} from '../src/plasma/contracts';
import { ANVIL_DEV_KEYS } from '../contracts/testing/anvil';
import { ChildChainError, requestChildChain } from './client';
import { unsignedOf } from './operator/chain';
import { ALL_CHEATS, type BlockCheat } from './operator/cheats';
import {
  FEE,
  addressOf,
  call,
  fundedOutput,
  mine,
  nextChildBlock,
  payment,
  rootOnChain,
  servedRoot,
  startTestDevnet,
  submit,
  waitFor,
  type TestDevnet,
} from './testing';

const ALICE_KEY = ANVIL_DEV_KEYS[3] as Hex;
const ALICE = addressOf(ALICE_KEY);
const ETH = 1_000_000_000_000_000_000n;

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
  // The operator's own deposit (made at deployment) must be final before its cheats can spend it.
  await mine(devnet, devnet.profile.finality.deposits + 1);
  await waitFor('the operator to own an output', () =>
    devnet.operator.chain.utxosOf(devnet.operator.address).length > 0 ? true : undefined,
  );
});
afterAll(async () => {
  await devnet?.dispose();
});

interface Finding {
  blknum: bigint;
  txindex: number | null;
  code: string;
}

/**
 * What a watcher finds in blocks 1000…upTo: block.get failures, transactions that do not decode,
 * served contents whose root is not the one on chain, and transactions the ledger refuses.
 */
async function audit(upTo: bigint): Promise<Finding[]> {
  const provider = devnet.operator.link.provider;
  const { contracts } = devnet.profile;
  const framework = normalizeAddress(contracts.plasmaFramework);
  const utxos = new Map<bigint, LedgerUtxo>();
  const logs = await provider.getLogs({
    address: [contracts.ethVault, contracts.erc20Vault],
    topics: [ethVaultInterface.getEvent('DepositCreated')!.topicHash],
    fromBlock: 0,
  });
  for (const log of logs) {
    const { args } = ethVaultInterface.parseLog(log)!;
    utxos.set((args[1] as bigint) * 1_000_000_000n, {
      outputType: 1n,
      owner: normalizeAddress(args[0] as string),
      token: normalizeAddress(args[2] as string),
      amount: args[3] as bigint,
    });
  }
  const findings: Finding[] = [];
  for (let blknum = 1000n; blknum <= upTo; blknum += 1000n) {
    const { root } = decodeBlockResult(await provider.call(blocksCall(framework, blknum)));
    const { body } = await requestChildChain(devnet.profile.childChainUrl, 'block.get', {
      hash: root,
    });
    if (!body.success) {
      findings.push({ blknum, txindex: null, code: (body.data as { code: string }).code });
      continue;
    }
    const served = body.data as { blknum: bigint | number; hash: Hex; transactions: Hex[] };
    expect(BigInt(served.blknum)).toBe(blknum);
    expect(served.hash).toBe(root);
    const prepared = [];
    let decodes = true;
    for (const [txindex, tx] of served.transactions.entries()) {
      try {
        prepared.push((await prepareTransactions([hexToBytes(tx)], framework, jsRecoverer))[0]!);
      } catch (e) {
        if (!isPlasmaError(e)) throw e;
        findings.push({ blknum, txindex, code: e.code });
        decodes = false;
      }
    }
    if (decodes && servedRoot(served.transactions) !== root) {
      findings.push({ blknum, txindex: null, code: 'incorrect_hash' });
      continue;
    }
    const exec = new BlockExecution(blknum, { getUtxo: (p) => utxos.get(p) });
    for (const p of prepared) {
      try {
        exec.apply(p.exec);
      } catch (e) {
        if (!isPlasmaError(e)) throw e;
        findings.push({ blknum, txindex: exec.transactionCount, code: e.code });
      }
    }
    const effects = exec.effects();
    for (const s of effects.spent) utxos.delete(s.utxoPos);
    for (const c of effects.created) utxos.set(c.utxoPos, c);
  }
  return findings;
}

/** The Merkle root over what the operator stored for a block (the leaves it submitted). */
function storedRoot(transactions: readonly Uint8Array[]): Hex {
  return bytesToHex(merkleRoot(transactions.map((t) => unsignedOf(t))));
}

/** An honest payment, then the cheat armed over HTTP; returns the block that carries the cheat. */
async function cheatBlock(cheat: BlockCheat): Promise<{ blknum: bigint; root: Hex }> {
  const pos = await fundedOutput(devnet, ALICE_KEY, ETH);
  await submit(devnet, payment(devnet, [pos], [[ALICE, ETH - FEE]], [ALICE_KEY]));
  expect(await call(devnet, 'devnet.cheat', { name: cheat })).toEqual({ cheat, armed: true });
  await waitFor(`the ${cheat} block`, () => devnet.operator.chain.armedCheat === null);
  const blknum = devnet.operator.state.lastBlknum();
  return { blknum, root: await rootOnChain(devnet, blknum) };
}

const expected: Finding[] = [];

describe('block cheats', () => {
  it('lists every cheat with what a watcher should report', async () => {
    const listed = await requestChildChain(
      devnet.profile.childChainUrl,
      'devnet.cheats',
      {},
      'GET',
    );
    expect(listed.body.data).toEqual({ cheats: ALL_CHEATS, armed: null });
    expect(Object.keys(ALL_CHEATS)).toHaveLength(10);
  });

  it.each([
    ['bad_signature', 'unauthorized_spend'],
    ['unknown_output', 'utxo_not_found'],
    ['double_spend_across_blocks', 'utxo_not_found'],
    ['double_spend_in_tx', 'duplicate_inputs'],
    ['outputs_exceed_inputs', 'amounts_do_not_add_up'],
    ['malformed_transaction', 'malformed_transaction_rlp'],
  ] as const)(
    '%s: the block whose root is on chain ends with one transaction failing with %s',
    async (cheat, code) => {
      const { blknum, root } = await cheatBlock(cheat);
      const stored = devnet.operator.state.blockByHash(root)!;
      // Served exactly as submitted: the root on chain commits to the bad transaction.
      expect(stored.servedTransactions).toBeNull();
      expect(storedRoot(stored.transactions)).toBe(root);
      expect(stored.applied.at(-1)).toBe(false);
      expect(stored.applied.slice(0, -1).every(Boolean)).toBe(true);
      const txindex = stored.transactions.length - 1;
      expected.push({ blknum, txindex, code });
      expect((await audit(blknum)).filter((f) => f.blknum === blknum)).toEqual([expected.at(-1)]);
    },
  );

  it('withhold_block: the root is on chain, block.get refuses the contents', async () => {
    const { blknum, root } = await cheatBlock('withhold_block');
    const stored = devnet.operator.state.blockByHash(root)!;
    expect(stored.withheld).toBe(true);
    expect(stored.blknum).toBe(blknum);
    expect(storedRoot(stored.transactions)).toBe(root);
    const { body } = await requestChildChain(devnet.profile.childChainUrl, 'block.get', {
      hash: root,
    });
    expect(body).toMatchObject({ success: false, data: { code: 'get_block:not_found' } });
    expected.push({ blknum, txindex: null, code: 'get_block:not_found' });
    expect((await audit(blknum)).filter((f) => f.blknum === blknum)).toEqual([expected.at(-1)]);
  });

  it('root_mismatch: every served transaction decodes, but their root is not the one on chain', async () => {
    const { blknum, root } = await cheatBlock('root_mismatch');
    const served = await call<{ transactions: Hex[] }>(devnet, 'block.get', { hash: root });
    expect(served.transactions.length).toBeGreaterThan(0);
    for (const tx of served.transactions) decodeSignedTransaction(hexToBytes(tx));
    expect(servedRoot(served.transactions)).not.toBe(root);
    // What was submitted is the honest block.
    const stored = devnet.operator.state.blockByHash(root)!;
    expect(storedRoot(stored.transactions)).toBe(root);
    expected.push({ blknum, txindex: null, code: 'incorrect_hash' });
    expect((await audit(blknum)).filter((f) => f.blknum === blknum)).toEqual([expected.at(-1)]);
  });

  it('leaves every other block clean: a watcher finds exactly one fault per cheat', async () => {
    const last = (await nextChildBlock(devnet)) - 1000n;
    expect(await audit(last)).toEqual(expected);
  });
});

describe('exit cheats', () => {
  it('spend_exiting: a spend of an output under a standard exit is included', async () => {
    const provider = devnet.operator.link.provider;
    const { paymentExitGame } = devnet.profile.contracts;
    const utxoPos = await fundedOutput(devnet, ALICE_KEY, ETH);
    const bond = BigInt(await provider.call(startStandardExitBondSizeCall(paymentExitGame)));
    const exit = startStandardExitTx(paymentExitGame, {
      utxoPos,
      outputTx: encodeDeposit(ALICE, ETH_TOKEN, ETH),
      outputTxInclusionProof: depositProof(),
      bond,
    });
    const alice = new Wallet(ALICE_KEY, provider);
    await (await alice.sendTransaction({ ...exit, value: exit.value ?? 0n })).wait();
    await mine(devnet, devnet.profile.finality.exits + 1);
    await waitFor('the operator to see the exit', () =>
      devnet.operator.state.exiting().includes(utxoPos),
    );

    const spend = payment(devnet, [utxoPos], [[ALICE, ETH - FEE]], [ALICE_KEY]);
    await expect(submit(devnet, spend)).rejects.toMatchObject({ code: 'submit:utxo_not_found' });
    expect(await call(devnet, 'devnet.cheat', { name: 'spend_exiting' })).toEqual({
      cheat: 'spend_exiting',
      armed: true,
    });
    const included = await submit(devnet, spend);
    const root = await rootOnChain(devnet, included.blknum);
    const served = await call<{ transactions: Hex[] }>(devnet, 'block.get', { hash: root });
    const tx = decodeSignedTransaction(hexToBytes(served.transactions[included.txindex]!));
    expect(tx.kind === 'payment' && tx.tx.inputs).toEqual([utxoPos]);
    // …while the exit of that very output is still in progress on chain.
    const exits = await exitsStartedFor(utxoPos);
    expect(exits).toHaveLength(1);
    expect(exits[0]!.exitable).toBe(true);
  });

  it('invalid_exit: the operator exits an output it has already spent on the child chain', async () => {
    const result = await call<{ cheat: string; exitTx: Hex; exitedUtxoPos: bigint | number }>(
      devnet,
      'devnet.cheat',
      { name: 'invalid_exit' },
    );
    const exited = BigInt(result.exitedUtxoPos);
    const receipt = (await devnet.operator.link.provider.getTransactionReceipt(result.exitTx))!;
    expect(receipt.status).toBe(1);
    const exits = await exitsStartedFor(exited);
    expect(exits).toHaveLength(1);
    expect(exits[0]!.exitTarget).toBe(devnet.operator.address);

    // The spend is in a block whose root is on chain, before the exit started.
    let spentIn: bigint | null = null;
    for (const block of devnet.operator.state.blocks()) {
      const root = await rootOnChain(devnet, block.blknum);
      const { body } = await requestChildChain(devnet.profile.childChainUrl, 'block.get', {
        hash: root,
      });
      if (!body.success) continue;
      for (const tx of (body.data as { transactions: Hex[] }).transactions) {
        try {
          const d = decodeSignedTransaction(hexToBytes(tx));
          if (d.kind === 'payment' && d.tx.inputs.includes(exited)) spentIn = block.blknum;
        } catch {
          // The malformed cheat's block: not a spend.
        }
      }
    }
    expect(spentIn).not.toBeNull();
    expect(devnet.operator.chain.utxo(exited)).toBeUndefined();
  });

  it('refuses a cheat it cannot carry out with devnet:cheat_unavailable', async () => {
    const fresh = await startTestDevnet();
    try {
      const error = await call(fresh, 'devnet.cheat', { name: 'double_spend_across_blocks' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChildChainError);
      expect((error as ChildChainError).code).toBe('devnet:cheat_unavailable');
      expect(fresh.operator.chain.armedCheat).toBeNull();
    } finally {
      await fresh.dispose();
    }
  });
});

/** Standard exits whose ExitStarted is on chain for `utxoPos`, as the exit game records them. */
async function exitsStartedFor(utxoPos: bigint) {
  const provider = devnet.operator.link.provider;
  const { paymentExitGame } = devnet.profile.contracts;
  const logs = await provider.getLogs({
    address: paymentExitGame,
    topics: [paymentExitGameInterface.getEvent('ExitStarted')!.topicHash],
    fromBlock: 0,
  });
  const records = [];
  for (const log of logs) {
    const exitId = paymentExitGameInterface.parseLog(log)!.args[1] as bigint;
    const [record] = decodeStandardExitsResult(
      await provider.call(standardExitsCall(paymentExitGame, [exitId])),
    );
    if (record && record.utxoPos === utxoPos) records.push(record);
  }
  return records;
}
