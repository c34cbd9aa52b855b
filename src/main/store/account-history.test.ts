import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WatcherStore } from './store';
import { accountDeposits, accountTransactions, inputsSpentBy } from './account-history';
import { OWNERS, TEST_DEPLOYMENT, applyStep, syntheticChain } from './testing/synthetic';

let store: WatcherStore;
/** Per owner, the "blknum:txindex" of every transaction that paid it or spent from it, from the generated chain itself. */
const expected = new Map<string, Set<string>>();

beforeAll(() => {
  store = WatcherStore.open(':memory:');
  store.assertDeployment(TEST_DEPLOYMENT);
  const ownerOf = new Map<bigint, string>();
  const note = (owner: string, key: string) => {
    if (!expected.has(owner)) expected.set(owner, new Set());
    expected.get(owner)!.add(key);
  };
  for (const step of syntheticChain({ seed: 7, heights: 12, txPerBlock: 6 })) {
    for (const d of step.deposits) ownerOf.set(d.blknum * 1_000_000_000n, d.owner);
    const { blknum, spent, created } = step.block.effects;
    for (const s of spent) note(ownerOf.get(s.utxoPos)!, `${blknum}:${s.txindex}`);
    for (const c of created) {
      ownerOf.set(c.utxoPos, c.owner);
      note(c.owner, `${blknum}:${(c.utxoPos / 10_000n) % 100_000n}`);
    }
    applyStep(store, step);
  }
});
afterAll(() => store.close());

const newestFirst = (keys: Iterable<string>): string[] =>
  [...keys].sort((a, b) => {
    const [ab, at] = a.split(':').map(BigInt) as [bigint, bigint];
    const [bb, bt] = b.split(':').map(BigInt) as [bigint, bigint];
    return ab !== bb ? (ab > bb ? -1 : 1) : at > bt ? -1 : 1;
  });

describe('account history queries', () => {
  it('find exactly the transactions that paid or spent from each owner, newest first', () => {
    let total = 0;
    for (const owner of OWNERS) {
      const got = accountTransactions(store, owner, 10_000).map((t) => `${t.blknum}:${t.txindex}`);
      expect(got, owner).toEqual(newestFirst(expected.get(owner) ?? []));
      total += got.length;
    }
    expect(total).toBeGreaterThan(20);
    const owner = OWNERS[0]!;
    expect(accountTransactions(store, owner, 2)).toEqual(
      accountTransactions(store, owner, 10_000).slice(0, 2),
    );
  });

  it('list the inputs a transaction spent with their owners and amounts', () => {
    const inputs = inputsSpentBy(store, 5000n, 0);
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) {
      const spend = store.spendOf(input.utxoPos);
      expect(spend).toMatchObject({ by: 'tx', blknum: 5000n, txindex: 0 });
      expect(spend?.output.owner).toBe(input.owner);
    }
    expect(inputsSpentBy(store, 5000n, 60)).toEqual([]);
    for (const input of inputs)
      expect(store.spendOf(input.utxoPos)?.output.amount).toBe(input.amount);
  });

  it('list an owner’s deposits newest first', () => {
    const all = OWNERS.flatMap((o) => accountDeposits(store, o, 10_000));
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const owner of OWNERS) {
      const mine = accountDeposits(store, owner, 10_000);
      expect(mine.every((d) => d.owner === owner)).toBe(true);
      expect(mine.map((d) => d.blknum)).toEqual(
        [...mine.map((d) => d.blknum)].sort((a, b) => (a > b ? -1 : 1)),
      );
    }
  });

  it('refuses a malformed address with a store error', () => {
    expect(() => accountTransactions(store, '0xnope' as `0x${string}`, 5)).toThrow(/address/);
  });
});
