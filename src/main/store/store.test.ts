import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hexToBytes } from '../../plasma/hex';
import { BlockExecution, LedgerError, type BlockEffects } from '../../plasma/ledger';
import { merkleRoot, verifyInclusion } from '../../plasma/merkle';
import { encodePayment, encodeSigned, txHash } from '../../plasma/tx';
import {
  ETH_TOKEN,
  NULL_METADATA,
  OUTPUT_TYPE_PAYMENT,
  type Address,
  type Hex,
  type PaymentTx,
} from '../../plasma/types';
import { StoreError, type StoreErrorCode } from './errors';
import {
  WatcherStore,
  type BlockToApply,
  type DepositInput,
  type DeploymentIdentity,
} from './store';
import { TEST_DEPLOYMENT, applyStep, syntheticChain } from './testing/synthetic';
import { tempDir } from './testing/tmp';

const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const BOB: Address = '0x0000000000000000000000000000000000000b0b';
const TOKEN: Address = '0x00000000000000000000000000000000000070c3';
const SIG: Hex = `0x${'11'.repeat(64)}1b`;
const ETH_TX = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;

const pos = (blknum: number, txindex = 0, oindex = 0): bigint =>
  BigInt(blknum) * 1_000_000_000n + BigInt(txindex) * 10_000n + BigInt(oindex);

const payment = (inputs: bigint[], outputs: [Address, bigint, Address?][]): PaymentTx => ({
  txType: 1n,
  inputs,
  outputs: outputs.map(([owner, amount, token = ETH_TOKEN]) => ({
    outputType: OUTPUT_TYPE_PAYMENT,
    outputGuard: owner,
    token,
    amount,
  })),
  txData: 0n,
  metadata: NULL_METADATA,
});

/**
 * Runs the real block executor against the store (the store is its UtxoLookup) and returns what
 * the watcher would persist: the block with its transactions and Merkle root, and the effects.
 */
function executeBlock(
  store: WatcherStore,
  blknum: bigint,
  ethHeight: number,
  txs: { tx: PaymentTx; signer: Address }[],
): { block: BlockToApply; effects: BlockEffects } {
  const exec = new BlockExecution(blknum, store);
  const transactions = txs.map(({ tx, signer }, txindex) => {
    const txBytes = encodePayment(tx);
    const hash = txHash(txBytes);
    exec.apply({ kind: 'payment', tx, txHash: hash, signers: tx.inputs.map(() => signer) });
    const signedBytes = encodeSigned({ tx, sigs: tx.inputs.map(() => SIG) });
    return { txindex, txHash: hash, signedBytes, txBytes };
  });
  const root = Buffer.from(merkleRoot(transactions.map((t) => t.txBytes))).toString('hex');
  return {
    block: {
      blknum,
      hash: `0x${root}`,
      ethHeight,
      timestamp: 1_700_000_000 + ethHeight,
      transactions,
    },
    effects: exec.effects(),
  };
}

const deposit = (
  blknum: number,
  owner: Address,
  amount: bigint,
  token = ETH_TOKEN,
  ethHeight = 10,
): DepositInput => ({
  blknum: BigInt(blknum),
  owner,
  token,
  amount,
  ethHeight,
  ethTxHash: ETH_TX(blknum),
  logIndex: 0,
});

function storeError(fn: () => unknown, code: StoreErrorCode): StoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).code).toBe(code);
    return e as StoreError;
  }
  throw new Error(`expected StoreError ${code}`);
}

let store: WatcherStore;
beforeEach(() => {
  store = WatcherStore.open(':memory:');
});
afterEach(() => store.close());

/** Alice and Bob deposit, then block 1000: Alice pays Bob 30 ETH, Bob pays Alice 20 TOKEN. */
function scenario() {
  store.applyDeposits([deposit(1, ALICE, 100n), deposit(2, BOB, 50n, TOKEN)], { depositor: 10 });
  const tx0 = payment(
    [pos(1)],
    [
      [BOB, 30n],
      [ALICE, 69n],
    ],
  );
  const tx1 = payment(
    [pos(2)],
    [
      [ALICE, 20n, TOKEN],
      [BOB, 30n, TOKEN],
    ],
  );
  const b = executeBlock(store, 1000n, 12, [
    { tx: tx0, signer: ALICE },
    { tx: tx1, signer: BOB },
  ]);
  store.applyBlock(b.block, b.effects, { block_getter: 12 });
  return b;
}

describe('concurrency', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('reports database_busy when another process holds the write lock past the busy timeout', () => {
    const path = tmp.file();
    const holder = WatcherStore.open(path);
    const waiter = WatcherStore.open(path, { busyTimeoutMs: 50 });
    holder.db.exec('BEGIN IMMEDIATE');
    try {
      const e = storeError(() => waiter.setHeights({ depositor: 1 }), 'database_busy');
      expect(e.message).toContain('only one Vigil watcher');
    } finally {
      holder.db.exec('ROLLBACK');
      holder.close();
      waiter.close();
    }
  });
});

describe('deployment identity', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('is recorded on first use and accepted again, whatever the address case', () => {
    expect(store.deployment()).toBeUndefined();
    expect(store.assertDeployment(TEST_DEPLOYMENT)).toEqual(TEST_DEPLOYMENT);
    const upper = {
      ...TEST_DEPLOYMENT,
      ethVault: TEST_DEPLOYMENT.ethVault.toUpperCase().replace('0X', '0x') as Address,
    };
    expect(store.assertDeployment(upper)).toEqual(TEST_DEPLOYMENT);
    expect(store.deployment()).toEqual(TEST_DEPLOYMENT);
  });

  it('refuses a database that belongs to another deployment, naming the database and what differs', () => {
    const path = tmp.file();
    const first = WatcherStore.open(path);
    first.assertDeployment(TEST_DEPLOYMENT);
    first.close();
    const other: DeploymentIdentity = {
      ...TEST_DEPLOYMENT,
      chainId: 5n,
      plasmaFramework: '0x00000000000000000000000000000000000f4a3f',
    };
    const reopened = WatcherStore.open(path);
    const e = storeError(() => reopened.assertDeployment(other), 'wrong_deployment');
    expect(e.message).toContain('Refuses a database that belongs to another deployment');
    expect(e.message).toContain(path);
    expect(e.message).toContain('chain id is 1337 in the database but 5 in the configuration');
    expect(e.message).toContain(
      `plasma framework is ${TEST_DEPLOYMENT.plasmaFramework} in the database but 0x00000000000000000000000000000000000f4a3f`,
    );
    expect(e.message).not.toContain('ETH vault');
    expect(reopened.deployment()).toEqual(TEST_DEPLOYMENT);
    reopened.close();
  });

  it('refuses malformed identities with invalid_argument', () => {
    storeError(
      () => store.assertDeployment({ ...TEST_DEPLOYMENT, authority: '0x1234' }),
      'invalid_argument',
    );
    storeError(
      () => store.assertDeployment({ ...TEST_DEPLOYMENT, chainId: 0n }),
      'invalid_argument',
    );
    expect(store.deployment()).toBeUndefined();
  });
});

describe('blocks and the UTXO set', () => {
  it('serves the executor: deposits are spendable, and what a block spends is gone afterwards', () => {
    store.applyDeposits([deposit(1, ALICE, 100n)], { depositor: 10 });
    expect(store.getUtxo(pos(1))).toEqual({
      outputType: 1n,
      owner: ALICE,
      token: ETH_TOKEN,
      amount: 100n,
    });
    scenarioAfterDeposit();
    // Spending the same deposit again in a later block is caught by the executor through the store.
    const exec = new BlockExecution(2000n, store);
    const again = payment([pos(1)], [[BOB, 1n]]);
    expect(() =>
      exec.apply({
        kind: 'payment',
        tx: again,
        txHash: txHash(encodePayment(again)),
        signers: [ALICE],
      }),
    ).toThrow(LedgerError);
  });

  function scenarioAfterDeposit(): void {
    const tx = payment(
      [pos(1)],
      [
        [BOB, 30n],
        [ALICE, 69n],
      ],
    );
    const b = executeBlock(store, 1000n, 12, [{ tx, signer: ALICE }]);
    store.applyBlock(b.block, b.effects, { block_getter: 12 });
    expect(store.getUtxo(pos(1))).toBeUndefined();
    expect(store.getUtxo(pos(1000, 0, 0))?.owner).toBe(BOB);
  }

  it('stores the block, its transactions, new outputs, spends and heights together', () => {
    const b = scenario();
    expect(store.lastAppliedBlock()).toBe(1000n);
    expect(store.getBlock(1000n)).toEqual({
      blknum: 1000n,
      hash: b.block.hash,
      ethHeight: 12,
      timestamp: 1_700_000_012,
      txCount: 2,
    });
    expect(store.getBlock(2000n)).toBeUndefined();
    const stored = store.blockTransactions(1000n);
    expect(stored.map((t) => t.txHash)).toEqual(b.block.transactions.map((t) => t.txHash));
    expect(
      Buffer.from(stored[1]!.signedBytes).equals(Buffer.from(b.block.transactions[1]!.signedBytes)),
    ).toBe(true);
    const tx = store.getTransaction(b.block.transactions[1]!.txHash)!;
    expect(tx.blknum).toBe(1000n);
    expect(tx.txindex).toBe(1);
    expect(Buffer.from(tx.txBytes).equals(Buffer.from(b.block.transactions[1]!.txBytes))).toBe(
      true,
    );
    expect(store.getTransaction(ETH_TX(1))).toBeUndefined();
    expect(store.heights()).toEqual({ depositor: 10, block_getter: 12 });
    expect(store.getHeight('block_getter')).toBe(12);
    expect(store.getHeight('exit_processor')).toBeUndefined();
    expect(store.getOutput(pos(1000, 1, 1))).toEqual({
      utxoPos: pos(1000, 1, 1),
      outputType: 1n,
      owner: BOB,
      token: TOKEN,
      amount: 30n,
      txHash: b.block.transactions[1]!.txHash,
    });
  });

  it('answers who spent an output, with the spending transaction', () => {
    const b = scenario();
    const spend = store.spendOf(pos(2));
    expect(spend).toEqual({
      by: 'tx',
      utxoPos: pos(2),
      blknum: 1000n,
      txindex: 1,
      txHash: b.block.transactions[1]!.txHash,
      output: {
        utxoPos: pos(2),
        outputType: 1n,
        owner: BOB,
        token: TOKEN,
        amount: 50n,
        txHash: store.getDeposit(2n)!.txHash,
      },
    });
    expect(store.spendOf(pos(1000, 0, 0))).toBeUndefined();
  });

  it('lists what an address owns and adds it up per token', () => {
    scenario();
    expect(store.utxosOf(ALICE).map((u) => u.utxoPos)).toEqual([pos(1000, 0, 1), pos(1000, 1, 0)]);
    expect(store.balancesOf(ALICE)).toEqual(
      new Map([
        [ETH_TOKEN, 69n],
        [TOKEN, 20n],
      ]),
    );
    expect(store.balancesOf(BOB)).toEqual(
      new Map([
        [ETH_TOKEN, 30n],
        [TOKEN, 30n],
      ]),
    );
    expect(store.utxosOf('0x000000000000000000000000000000000000dead')).toEqual([]);
    storeError(() => store.utxosOf('0xnope' as Address), 'invalid_argument');
  });

  it('adds balances beyond 2^64 exactly', () => {
    const big = (1n << 255n) + 12345n;
    store.applyDeposits([deposit(1, ALICE, big), deposit(2, ALICE, big)]);
    expect(store.balancesOf(ALICE).get(ETH_TOKEN)).toBe(2n * big);
    expect(store.getUtxo(pos(1))?.amount).toBe(big);
  });

  it('builds the inclusion proof of a stored transaction from the block, and it verifies', () => {
    const b = scenario();
    for (const t of b.block.transactions) {
      const p = store.inclusionProof(t.txHash)!;
      expect(p.blknum).toBe(1000n);
      expect(p.txindex).toBe(t.txindex);
      expect(p.root).toBe(b.block.hash);
      expect(p.proof.length).toBe(512);
      expect(verifyInclusion(t.txBytes, t.txindex, hexToBytes(p.root), p.proof)).toBe(true);
    }
    expect(store.inclusionProof(ETH_TX(9))).toBeUndefined();
  });

  it('reports a damaged block instead of handing out a proof that fails on chain', () => {
    const b = scenario();
    store.db
      .prepare('UPDATE transactions SET tx_bytes = ? WHERE txindex = 0')
      .run(Buffer.from('tampered'));
    const e = storeError(
      () => store.inclusionProof(b.block.transactions[1]!.txHash),
      'inconsistent_state',
    );
    expect(e.message).toContain('block 1000');
  });

  it('refuses a block that does not follow the last one, and writes nothing', () => {
    const b = scenario();
    const digest = store.stateDigest();
    const e = storeError(
      () => store.applyBlock(b.block, b.effects, { block_getter: 13 }),
      'block_out_of_order',
    );
    expect(e.message).toContain('Block 1000 cannot be applied after block 1000');
    expect(store.stateDigest()).toBe(digest);
  });

  it('rolls the whole block back when it spends an output the store does not hold', () => {
    scenario();
    const digest = store.stateDigest();
    const b = executeBlock(store, 2000n, 20, [
      { tx: payment([pos(1000, 0, 0)], [[ALICE, 30n]]), signer: BOB },
    ]);
    const bad: BlockEffects = {
      ...b.effects,
      spent: [...b.effects.spent, { utxoPos: pos(5000), txindex: 0 }], // never created
    };
    const e = storeError(
      () => store.applyBlock(b.block, bad, { block_getter: 20 }),
      'utxo_missing',
    );
    expect(e.message).toContain('Nothing was written');
    expect(e.message).toContain(`spends ${pos(5000)} `); // the missing one, not the good one before it
    expect(store.stateDigest()).toBe(digest);
    expect(store.lastAppliedBlock()).toBe(1000n);
    expect(store.getUtxo(pos(1000, 0, 0))).toBeDefined();
    expect(store.getHeight('block_getter')).toBe(12);
    // The same block spending twice is refused the same way; the honest one then applies.
    const twice: BlockEffects = { ...b.effects, spent: [...b.effects.spent, b.effects.spent[0]!] };
    storeError(() => store.applyBlock(b.block, twice, { block_getter: 20 }), 'utxo_missing');
    expect(store.stateDigest()).toBe(digest);
    store.applyBlock(b.block, b.effects, { block_getter: 20 });
    expect(store.getUtxo(pos(1000, 0, 0))).toBeUndefined();
    expect(store.spendOf(pos(1000, 0, 0))).toMatchObject({ by: 'tx', blknum: 2000n, txindex: 0 });
    // A block spending an unspent output and one spent already (by block 3000): the second is named.
    const spender = executeBlock(store, 3000n, 30, [
      { tx: payment([pos(1000, 1, 1)], [[ALICE, 30n, TOKEN]]), signer: BOB },
    ]);
    store.applyBlock(spender.block, spender.effects, { block_getter: 30 });
    const later = executeBlock(store, 4000n, 40, [
      { tx: payment([pos(1000, 0, 1)], [[BOB, 69n]]), signer: ALICE },
    ]);
    const respent: BlockEffects = {
      ...later.effects,
      spent: [...later.effects.spent, { utxoPos: pos(1000, 1, 1), txindex: 0 }],
    };
    const again = storeError(
      () => store.applyBlock(later.block, respent, { block_getter: 40 }),
      'utxo_missing',
    );
    expect(again.message).toContain(`spends ${pos(1000, 1, 1)} `);
    expect(store.getUtxo(pos(1000, 0, 1))).toBeDefined();
  });

  it('refuses effects of another block, gaps in tx indexes and outputs outside the block', () => {
    const b = executeBlock(store, 1000n, 12, []);
    storeError(() => store.applyBlock(b.block, { ...b.effects, blknum: 2000n }), 'invalid_block');
    const gap = {
      ...b.block,
      transactions: [
        {
          txindex: 1,
          txHash: ETH_TX(1),
          signedBytes: new Uint8Array(1),
          txBytes: new Uint8Array(1),
        },
      ],
    };
    storeError(() => store.applyBlock(gap, b.effects), 'invalid_block');
    const foreign = {
      ...b.effects,
      created: [
        {
          utxoPos: pos(3000),
          outputType: 1n,
          owner: ALICE,
          token: ETH_TOKEN,
          amount: 1n,
          txHash: ETH_TX(1),
        },
      ],
    };
    storeError(() => store.applyBlock(b.block, foreign), 'invalid_block');
    storeError(
      () => store.applyBlock(b.block, b.effects, { block_getter: -1 }),
      'invalid_argument',
    );
    storeError(() => store.applyBlock({ ...b.block, hash: '0x12' }, b.effects), 'invalid_argument');
    expect(store.lastAppliedBlock()).toBe(0n);
  });

  it('records the spend of an output created earlier in the same block, if the effects carry it', () => {
    const tx = (i: number) => ({
      txindex: i,
      txHash: ETH_TX(0x100 + i),
      signedBytes: new Uint8Array([i]),
      txBytes: new Uint8Array([i]),
    });
    const out = (p: bigint, i: number) => ({
      utxoPos: p,
      outputType: 1n,
      owner: ALICE,
      token: ETH_TOKEN,
      amount: 5n,
      txHash: ETH_TX(0x100 + i),
    });
    const block: BlockToApply = {
      blknum: 1000n,
      hash: ETH_TX(0xb),
      ethHeight: 12,
      timestamp: 1,
      transactions: [tx(0), tx(1)],
    };
    const effects: BlockEffects = {
      blknum: 1000n,
      created: [out(pos(1000, 0, 0), 0), out(pos(1000, 1, 0), 1)],
      spent: [{ utxoPos: pos(1000, 0, 0), txindex: 1 }],
      unclaimedFees: new Map(),
    };
    store.applyBlock(block, effects);
    expect(store.getUtxo(pos(1000, 0, 0))).toBeUndefined();
    expect(store.spendOf(pos(1000, 0, 0))).toMatchObject({
      by: 'tx',
      blknum: 1000n,
      txindex: 1,
      txHash: ETH_TX(0x101),
    });
    expect(store.getUtxo(pos(1000, 1, 0))?.amount).toBe(5n);
  });

  it('stores an empty block', () => {
    const b = executeBlock(store, 1000n, 12, []);
    store.applyBlock(b.block, b.effects, { block_getter: 12 });
    expect(store.getBlock(1000n)?.txCount).toBe(0);
    expect(store.lastAppliedBlock()).toBe(1000n);
  });

  it('looks up many positions at once, leaving out those with no unspent output', () => {
    scenario();
    const found = store.getUtxos([pos(1000, 1, 1), pos(1), pos(1000, 0, 0), -5n, pos(7)]);
    expect(new Set(found.keys())).toEqual(new Set([pos(1000, 0, 0), pos(1000, 1, 1)]));
    expect(found.get(pos(1000, 1, 1))).toEqual(store.getUtxo(pos(1000, 1, 1)));
  });

  it('turns a write that contradicts stored data into inconsistent_state and keeps nothing of it', () => {
    // An output already sits where deposit 5's output must go: the deposit row must not survive.
    store.db
      .prepare("INSERT INTO outputs VALUES (5, 0, 0, 1, ?, ?, '1', ?)")
      .run(Buffer.alloc(20, 1), Buffer.alloc(20), Buffer.alloc(32));
    const e = storeError(
      () => store.applyDeposits([deposit(5, ALICE, 9n)], { depositor: 10 }),
      'inconsistent_state',
    );
    expect(e.message).toContain('nothing of it was kept');
    expect(store.getDeposit(5n)).toBeUndefined();
    expect(store.getHeight('depositor')).toBeUndefined();
  });

  it('answers undefined for positions no output can have', () => {
    for (const p of [-1n, 0n, 180_143_985_095n * 1_000_000_000n, pos(1, 65_536)]) {
      expect(store.getUtxo(p)).toBeUndefined();
      expect(store.spendOf(p)).toBeUndefined();
    }
  });
});

describe('exits', () => {
  const exit = { ethHeight: 30, ethTxHash: ETH_TX(0xe0), logIndex: 4, exitId: (1n << 159n) + 7n };

  it('take a finalized output out of the set and remember the exit as its spender', () => {
    scenario();
    const out = store.markSpentByExit(pos(1000, 0, 0), exit, { exit_finalizer: 30 });
    expect(out?.owner).toBe(BOB);
    expect(out?.amount).toBe(30n);
    expect(store.getUtxo(pos(1000, 0, 0))).toBeUndefined();
    expect(store.balancesOf(BOB).get(ETH_TOKEN)).toBeUndefined();
    expect(store.spendOf(pos(1000, 0, 0))).toEqual({
      by: 'exit',
      utxoPos: pos(1000, 0, 0),
      output: out,
      ...exit,
    });
    expect(store.getHeight('exit_finalizer')).toBe(30);
  });

  it('report an invalid finalization (output already spent) as undefined, changing nothing but heights', () => {
    scenario();
    expect(store.markSpentByExit(pos(1), exit, { exit_finalizer: 31 })).toBeUndefined();
    expect(store.spendOf(pos(1))?.by).toBe('tx');
    expect(store.getHeight('exit_finalizer')).toBe(31);
  });
});

describe('deposits', () => {
  it('are idempotent and never bring back a spent deposit output', () => {
    scenario();
    expect(store.applyDeposits([deposit(1, ALICE, 100n)], { depositor: 11 })).toBe(0);
    expect(store.getUtxo(pos(1))).toBeUndefined();
    expect(store.getHeight('depositor')).toBe(11);
    expect(store.getDeposit(1n)).toMatchObject({
      blknum: 1n,
      owner: ALICE,
      amount: 100n,
      ethHeight: 10,
    });
    expect(store.getDeposit(1n)?.txHash).toBe(txHash(encodePayment(payment([], [[ALICE, 100n]]))));
  });

  it('refuse a different deposit under a stored block number (a reorg the caller must roll back)', () => {
    store.applyDeposits([deposit(1, ALICE, 100n)]);
    const e = storeError(
      () => store.applyDeposits([deposit(1, ALICE, 101n)]),
      'inconsistent_state',
    );
    expect(e.message).toMatch(/Roll the store back below height 10/);
    storeError(() => store.applyDeposits([deposit(2, ALICE, 0n)]), 'invalid_argument');
  });
});

describe('root-chain events', () => {
  const ev = (logIndex: number, name = 'ExitStarted', ethHeight = 40) => ({
    ethHeight,
    logIndex,
    ethTxHash: ETH_TX(0x40),
    name,
    args: { exitId: (1n << 150n) + 1n, owner: ALICE, txBytes: new Uint8Array([0xf8, 0x01]), n: 3 },
  });

  it('are stored raw, once per (tx hash, log index), with bigints and bytes intact', () => {
    expect(store.recordEvents([ev(0), ev(1)], { exit_processor: 40 }, 1234)).toBe(2);
    expect(
      store.recordEvents([ev(1), ev(2, 'ExitFinalized', 41)], { exit_processor: 41 }, 5678),
    ).toBe(1);
    const all = store.events();
    expect(all.map((e) => [e.ethHeight, e.logIndex, e.name, e.firstSeenAt])).toEqual([
      [40, 0, 'ExitStarted', 1234],
      [40, 1, 'ExitStarted', 1234],
      [41, 2, 'ExitFinalized', 5678],
    ]);
    expect(all[0]!.args).toEqual({
      exitId: (1n << 150n) + 1n,
      owner: ALICE,
      txBytes: '0xf801',
      n: 3,
    });
    expect(store.events({ names: ['ExitFinalized'] })).toHaveLength(1);
    // Several names come back merged in chain order, each once.
    expect(
      store
        .events({ names: ['ExitFinalized', 'ExitStarted', 'ExitStarted'], toEthHeight: 41 })
        .map((e) => [e.ethHeight, e.logIndex]),
    ).toEqual([
      [40, 0],
      [40, 1],
      [41, 2],
    ]);
    expect(store.events({ names: ['ExitStarted'], fromEthHeight: 41 })).toEqual([]);
    expect(store.events({ fromEthHeight: 41 })).toHaveLength(1);
    expect(store.events({ toEthHeight: 40 })).toHaveLength(2);
    expect(store.getHeight('exit_processor')).toBe(41);
  });
});

describe('byzantine events', () => {
  it('open once per kind and key, refresh while present, resolve, and reopen as a new event', () => {
    const first = store.upsertByzantineEvent(
      'invalid_exit',
      '1000000000',
      { utxoPos: 1000000000n },
      100,
    );
    expect(first.isNew).toBe(true);
    const again = store.upsertByzantineEvent(
      'invalid_exit',
      '1000000000',
      { utxoPos: 1000000000n, late: true },
      200,
    );
    expect(again).toEqual({ id: first.id, isNew: false });
    store.upsertByzantineEvent('invalid_block', '0xabc', { blknum: 2000n }, 150);
    expect(store.byzantineEvents()).toEqual([
      {
        id: first.id,
        kind: 'invalid_exit',
        key: '1000000000',
        details: { utxoPos: 1000000000n, late: true },
        firstSeenAt: 100,
        lastSeenAt: 200,
        resolvedAt: undefined,
      },
      expect.objectContaining({ kind: 'invalid_block', details: { blknum: 2000n } }),
    ]);
    expect(store.resolveByzantineEvent('invalid_exit', '1000000000', 300)).toBe(true);
    expect(store.resolveByzantineEvent('invalid_exit', '1000000000', 301)).toBe(false);
    expect(store.byzantineEvents().map((e) => e.kind)).toEqual(['invalid_block']);
    const reopened = store.upsertByzantineEvent('invalid_exit', '1000000000', {}, 400);
    expect(reopened.isNew).toBe(true);
    expect(reopened.id).not.toBe(first.id);
    const history = store.byzantineEvents({ includeResolved: true });
    expect(history.map((e) => [e.kind, e.resolvedAt])).toEqual([
      ['invalid_exit', 300],
      ['invalid_block', undefined],
      ['invalid_exit', undefined],
    ]);
  });
});

describe('stateDigest', () => {
  it('is equal for two stores that processed the same chain, and changes with any content', () => {
    const other = WatcherStore.open(':memory:');
    for (const s of syntheticChain({ seed: 7, heights: 12, txPerBlock: 20 })) {
      applyStep(store, s);
    }
    for (const s of syntheticChain({ seed: 7, heights: 12, txPerBlock: 20 })) applyStep(other, s);
    expect(other.stateDigest()).toBe(store.stateDigest());
    expect(store.stateDigest()).toMatch(/^0x[0-9a-f]{64}$/);
    other.setHeights({ depositor: 99 });
    expect(other.stateDigest()).not.toBe(store.stateDigest());
    other.close();
  });

  it('ignores local bookkeeping: byzantine events and when events were first seen', () => {
    const digest = store.stateDigest();
    store.upsertByzantineEvent('block_withholding', 'x', {});
    expect(store.stateDigest()).toBe(digest);
  });
});

describe('rollbackTo', () => {
  it('forgets everything above a height and restores the store to what it was there', () => {
    const steps = [...syntheticChain({ seed: 11, heights: 30, txPerBlock: 25 })];
    const snapshots = new Map<number, string>();
    for (const s of steps) {
      applyStep(store, s);
      snapshots.set(s.ethHeight, store.stateDigest());
    }
    const summary = store.rollbackTo(20);
    expect(summary.fromBlknum).toBe(21_000n);
    expect(summary.blocksRemoved).toBe(10);
    expect(summary.eventsRemoved).toBe(4); // one every third height: 21, 24, 27, 30
    expect(summary.exitSpendsUndone).toBe(2); // heights 25 and 30
    expect(store.stateDigest()).toBe(snapshots.get(20));
    expect(store.lastAppliedBlock()).toBe(20_000n);
    // And the chain can continue from there exactly as before.
    for (const s of steps.slice(20)) applyStep(store, s);
    expect(store.stateDigest()).toBe(snapshots.get(30));
  });

  it('also removes a block that spends a deposit above the height, even if submitted below it', () => {
    store.applyDeposits([deposit(1, ALICE, 100n, ETH_TOKEN, 50)], { depositor: 50 });
    const b = executeBlock(store, 1000n, 40, [
      { tx: payment([pos(1)], [[BOB, 100n]]), signer: ALICE },
    ]);
    store.applyBlock(b.block, b.effects, { block_getter: 40 });
    // Bob exits that block's output, finalized below the height: it goes with the block.
    const exit = { ethHeight: 42, ethTxHash: ETH_TX(0x42), logIndex: 0 };
    expect(store.markSpentByExit(pos(1000), exit)).toBeDefined();
    const summary = store.rollbackTo(45);
    expect(summary).toMatchObject({ fromBlknum: 1000n, blocksRemoved: 1, depositsRemoved: 1 });
    expect(summary.exitSpendsUndone).toBe(0);
    expect(store.getUtxo(pos(1))).toBeUndefined();
    expect(store.getUtxo(pos(1000))).toBeUndefined();
    expect(store.spendOf(pos(1))).toBeUndefined();
    expect(store.spendOf(pos(1000))).toBeUndefined();
    expect(store.heights()).toEqual({ depositor: 45, block_getter: 40 });
  });

  it('is a no-op at or above every stored height', () => {
    scenario();
    const digest = store.stateDigest();
    expect(store.rollbackTo(12)).toEqual({
      fromBlknum: undefined,
      blocksRemoved: 0,
      depositsRemoved: 0,
      eventsRemoved: 0,
      exitSpendsUndone: 0,
    });
    expect(store.stateDigest()).toBe(digest);
  });
});
