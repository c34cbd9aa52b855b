// The operator's child chain without Ethereum: admission rules per atom, block formation, serving,
// restart continuity, and that every block cheat produces exactly the bad data it promises.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ETH_TOKEN,
  PlasmaError,
  decodeSignedTransaction,
  encodeSigned,
  encodeUtxoPos,
  hexToBytes,
  jsRecoverer,
  merkleRoot,
  bytesToHex,
  normalizeAddress,
  prepareTransactions,
  signPayment,
  type Address,
  type Hex,
  type PaymentTx,
} from '../../src/plasma';
import { ChildChain, SubmitError } from './chain';
import { BLOCK_CHEATS, CheatError, type BlockCheat } from './cheats';
import { OperatorState } from './state';

const FRAMEWORK: Address = '0x1234567890123456789012345678901234567890';
const operatorWallet = new Wallet('0x' + '0a'.repeat(32));
const alice = new Wallet('0x' + '11'.repeat(32));
const bob = new Wallet('0x' + '22'.repeat(32));
const OPERATOR = normalizeAddress(operatorWallet.address);
const ALICE = normalizeAddress(alice.address);
const BOB = normalizeAddress(bob.address);
const TOKEN: Address = '0x00000000000000000000000000000000000070c3';
const FEE = 10n;

let dir: string;
let state: OperatorState;

function newChain(s = state): ChildChain {
  return new ChildChain({
    state: s,
    verifyingContract: FRAMEWORK,
    operatorKey: operatorWallet.privateKey as Hex,
    operatorAddress: OPERATOR,
    fees: new Map([[ETH_TOKEN, FEE]]),
    recoverer: jsRecoverer,
  });
}

const pos = (blknum: bigint, txindex = 0n, oindex = 0n) =>
  encodeUtxoPos({ blknum, txindex, oindex });

function pay(inputs: bigint[], outputs: [Address, bigint, Address?][], keys: Wallet[]): Uint8Array {
  const tx: PaymentTx = {
    txType: 1n,
    inputs,
    outputs: outputs.map(([owner, amount, token]) => ({
      outputType: 1n,
      outputGuard: owner,
      token: token ?? ETH_TOKEN,
      amount,
    })),
    txData: 0n,
    metadata: `0x${'00'.repeat(32)}`,
  };
  return encodeSigned({
    tx,
    sigs: signPayment(
      tx,
      keys.map((k) => k.privateKey as Hex),
      FRAMEWORK,
    ),
  });
}

async function refusal(chain: ChildChain, signed: Uint8Array): Promise<string> {
  try {
    await chain.submit(signed);
  } catch (e) {
    expect(e).toBeInstanceOf(SubmitError);
    return (e as SubmitError).atom;
  }
  throw new Error('the transaction was accepted');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-operator-'));
  state = new OperatorState(join(dir, 'operator.sqlite'));
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

async function funded(): Promise<ChildChain> {
  const chain = newChain();
  await chain.init();
  chain.addDeposit({ blknum: 1n, owner: ALICE, token: ETH_TOKEN, amount: 1000n, ethHeight: 5 });
  chain.addDeposit({ blknum: 2n, owner: OPERATOR, token: ETH_TOKEN, amount: 500n, ethHeight: 6 });
  chain.addDeposit({ blknum: 3n, owner: ALICE, token: TOKEN, amount: 70n, ethHeight: 7 });
  return chain;
}

describe('admission', () => {
  it('accepts a valid payment with its fee and answers blknum, txindex and txhash', async () => {
    const chain = await funded();
    const signed = pay(
      [pos(1n)],
      [
        [BOB, 600n],
        [ALICE, 390n],
      ],
      [alice],
    );
    const result = await chain.submit(signed);
    expect(result).toEqual({
      blknum: 1000n,
      txindex: 0,
      txhash: (await prepareTransactions([signed], FRAMEWORK, jsRecoverer))[0]!.txHash,
    });
    expect((await chain.submit(pay([pos(2n)], [[OPERATOR, 490n]], [operatorWallet]))).txindex).toBe(
      1,
    );
  });

  it.each([
    ['utxo_not_found', () => pay([pos(9n)], [[BOB, 1n]], [alice])],
    ['unauthorized_spend', () => pay([pos(1n)], [[BOB, 990n]], [bob])],
    ['amounts_do_not_add_up', () => pay([pos(1n)], [[BOB, 1001n]], [alice])],
    ['fees_not_covered', () => pay([pos(1n)], [[BOB, 995n]], [alice])],
    ['overpaying_fees', () => pay([pos(1n)], [[BOB, 900n]], [alice])],
    ['fees_not_covered', () => pay([pos(3n)], [[BOB, 60n, TOKEN]], [alice])],
    [
      'multiple_potential_currency_fees',
      () =>
        pay(
          [pos(1n), pos(3n)],
          [
            [BOB, 990n],
            [BOB, 60n, TOKEN],
          ],
          [alice, alice],
        ),
    ],
    ['malformed_transaction_rlp', () => hexToBytes('0xf8ff00')],
    ['input_utxo_ahead_of_state', () => pay([pos(5000n)], [[BOB, 1n]], [alice])],
  ] as const)('refuses with %s', async (atom, make) => {
    const chain = await funded();
    expect(await refusal(chain, make())).toBe(atom);
  });

  it('refuses a double spend across submissions and a signature of the wrong length', async () => {
    const chain = await funded();
    await chain.submit(pay([pos(1n)], [[BOB, 990n]], [alice]));
    expect(await refusal(chain, pay([pos(1n)], [[BOB, 990n]], [alice]))).toBe('utxo_not_found');
    const good = decodeSignedTransaction(pay([pos(2n)], [[BOB, 490n]], [operatorWallet]));
    expect(good.kind).toBe('payment');
    if (good.kind !== 'payment') return;
    expect(() => encodeSigned({ tx: good.tx, sigs: ['0x1234'] })).toThrow(PlasmaError);
  });

  it('makes an exiting output unspendable', async () => {
    const chain = await funded();
    chain.markExiting(pos(1n));
    expect(await refusal(chain, pay([pos(1n)], [[BOB, 990n]], [alice]))).toBe('utxo_not_found');
  });
});

describe('blocks', () => {
  it('forms a block whose root is the Merkle root of the served transactions', async () => {
    const chain = await funded();
    await chain.submit(pay([pos(1n)], [[BOB, 990n]], [alice]));
    await chain.submit(pay([pos(1000n, 0n, 0n)], [[ALICE, 980n]], [bob]));
    const block = await chain.formBlock();
    expect(block).toMatchObject({ blknum: 1000n, transactionCount: 2 });
    const served = chain.blockByHash(block!.hash)!;
    const unsigned = served.transactions.map((t) => decodeSignedTransaction(hexToBytes(t)).txBytes);
    expect(bytesToHex(merkleRoot(unsigned))).toBe(block!.hash);
    expect(await chain.formBlock()).toBeNull();
    expect(chain.nextBlknum()).toBe(2000n);
  });

  it('keeps its chain across a restart: same blocks served, same outputs spendable', async () => {
    const chain = await funded();
    await chain.submit(pay([pos(1n)], [[BOB, 990n]], [alice]));
    const first = (await chain.formBlock())!;
    await chain.submit(pay([pos(1000n)], [[ALICE, 980n]], [bob]));
    state.close();

    state = new OperatorState(join(dir, 'operator.sqlite'));
    const again = newChain(state);
    await again.init();
    expect(again.blockByHash(first.hash)?.transactions).toHaveLength(1);
    expect(again.pendingCount).toBe(1);
    expect(await refusal(again, pay([pos(1000n)], [[ALICE, 980n]], [bob]))).toBe('utxo_not_found');
    const second = (await again.formBlock())!;
    expect(second.blknum).toBe(2000n);
    expect(again.utxo(pos(2000n))?.owner).toBe(ALICE);
    expect(again.utxo(pos(1n))).toBeUndefined();
  });
});

describe('cheats', () => {
  async function cheatBlock(cheat: BlockCheat) {
    const chain = await funded();
    await chain.submit(pay([pos(1n)], [[BOB, 990n]], [alice]));
    await chain.formBlock();
    await chain.submit(pay([pos(1000n)], [[ALICE, 980n]], [bob]));
    chain.arm(cheat);
    const block = (await chain.formBlock())!;
    return { chain, block, stored: state.blockByHash(block.hash)! };
  }

  it('documents every block cheat', () => {
    for (const text of Object.values(BLOCK_CHEATS)) expect(text).toMatch(/Watcher: /);
  });

  it('withhold_block: the root exists but block.get finds nothing', async () => {
    const { chain, block, stored } = await cheatBlock('withhold_block');
    expect(stored.withheld).toBe(true);
    expect(chain.blockByHash(block.hash)).toBeNull();
  });

  it('root_mismatch: served contents hash to another root', async () => {
    const { chain, block } = await cheatBlock('root_mismatch');
    const served = chain.blockByHash(block.hash)!;
    const unsigned = served.transactions.map((t) => decodeSignedTransaction(hexToBytes(t)).txBytes);
    expect(bytesToHex(merkleRoot(unsigned))).not.toBe(block.hash);
  });

  async function servedBadTx(cheat: BlockCheat): Promise<Uint8Array> {
    const { chain, block } = await cheatBlock(cheat);
    const served = chain.blockByHash(block.hash)!;
    expect(served.transactions).toHaveLength(2);
    // Where every transaction decodes, the served block is exactly the one whose root was submitted
    // (a watcher stops at the first undecodable transaction, before it would compare roots).
    try {
      const unsigned = served.transactions.map(
        (t) => decodeSignedTransaction(hexToBytes(t)).txBytes,
      );
      expect(bytesToHex(merkleRoot(unsigned))).toBe(block.hash);
    } catch (e) {
      expect(e).toBeInstanceOf(PlasmaError);
    }
    return hexToBytes(served.transactions[1]!);
  }

  it.each([
    ['double_spend_in_tx', 'duplicate_inputs'],
    ['malformed_transaction', 'malformed_transaction_rlp'],
  ] as const)('%s: the served block holds a transaction failing with %s', async (cheat, atom) => {
    const bad = await servedBadTx(cheat);
    await expect(prepareTransactions([bad], FRAMEWORK, jsRecoverer)).rejects.toMatchObject({
      code: atom,
    });
  });

  it.each([
    ['bad_signature', 'unauthorized_spend'],
    ['unknown_output', 'utxo_not_found'],
    ['double_spend_across_blocks', 'utxo_not_found'],
    ['outputs_exceed_inputs', 'amounts_do_not_add_up'],
  ] as const)(
    '%s: the served block holds a transaction the ledger rejects with %s',
    async (cheat, atom) => {
      const bad = await servedBadTx(cheat);
      const [prepared] = await prepareTransactions([bad], FRAMEWORK, jsRecoverer);
      const fresh = new ChildChain({
        state,
        verifyingContract: FRAMEWORK,
        operatorKey: operatorWallet.privateKey as Hex,
        operatorAddress: OPERATOR,
        fees: new Map(),
        recoverer: jsRecoverer,
      });
      await fresh.init();
      // The operator's ledger, replayed from its own state, is exactly what a watcher would hold.
      expect(await refusal(fresh, prepared!.signedBytes)).toBe(atom);
    },
  );

  it('keeps an armed cheat across a restart until a block uses it', async () => {
    const chain = await funded();
    await chain.submit(pay([pos(1n)], [[BOB, 990n]], [alice]));
    chain.arm('outputs_exceed_inputs');
    chain.arm('spend_exiting');
    state.close();

    state = new OperatorState(join(dir, 'operator.sqlite'));
    const again = newChain(state);
    await again.init();
    expect(again.armedCheat).toBe('outputs_exceed_inputs');
    expect(again.spendsExiting).toBe(true);
    const block = (await again.formBlock())!;
    expect(block.transactionCount).toBe(2);
    expect(again.armedCheat).toBeNull();
    state.close();

    // Used up: a second restart forms honest blocks, while spend_exiting stays on.
    state = new OperatorState(join(dir, 'operator.sqlite'));
    const third = newChain(state);
    await third.init();
    expect(third.armedCheat).toBeNull();
    expect(third.spendsExiting).toBe(true);
    await third.submit(pay([pos(1000n)], [[ALICE, 980n]], [bob]));
    expect((await third.formBlock())!.transactionCount).toBe(1);
  });

  it('refuses to arm a cheat it could not carry out, and arms nothing', async () => {
    const chain = newChain();
    await chain.init();
    for (const cheat of ['bad_signature', 'double_spend_across_blocks', 'root_mismatch'] as const)
      expect(() => chain.arm(cheat)).toThrow(CheatError);
    expect(chain.armedCheat).toBeNull();
    expect(state.getMeta('armed_cheat')).toBeUndefined();
  });

  it('the operator never applies its own bad transaction', async () => {
    const { chain } = await cheatBlock('outputs_exceed_inputs');
    expect(chain.utxo(pos(2n))?.amount).toBe(500n);
  });
});
