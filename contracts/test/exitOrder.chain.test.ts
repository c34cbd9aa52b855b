// Property: whatever the ages of the outputs and the order in which their exits start, processExits
// pays them in exactly the order of their priorities (protocol.md §7.3, §7.4), and the heap the
// clients read stays a valid min-heap of exactly those priorities.
import fc from 'fast-check';
import { type Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployContract } from '../deploy';
import { increaseTime } from '../testing/anvil';
import { exitPriority, standardExitExitableAt } from '../../src/plasma/ids';
import {
  DEPOSIT_PROOF,
  ETH,
  MEP,
  contractAt,
  depositEth,
  encode,
  expectRevert,
  mined,
  payment,
  queueKey,
  seExitId,
  setupEnv,
  startExit,
  submitBlock,
  type Env,
} from './helpers';

let env: Env;
beforeAll(async () => {
  env = await setupEnv();
});
afterAll(async () => {
  await env?.anvil.stop();
});

const specArb = fc.record({
  kind: fc.constantFrom<'deposit' | 'block'>('deposit', 'block'),
  fillers: fc.integer({ min: 0, max: 3 }),
  oindex: fc.integer({ min: 0, max: 1 }),
  ageDelay: fc.integer({ min: 0, max: 3 * Number(MEP) }),
  startDelay: fc.integer({ min: 0, max: Number(MEP) }),
});

async function blockTimestamp(blknum: bigint): Promise<bigint> {
  const [, ts] = (await env.framework.getFunction('blocks')(blknum)) as [string, bigint];
  return ts;
}

describe('exit processing order', () => {
  it('processes any mix of exits in priority order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(specArb, { minLength: 2, maxLength: 7 }),
        fc.infiniteStream(fc.nat()),
        async (specs, rnd) => {
          const snap = (await env.provider.send('evm_snapshot', [])) as string;
          try {
            const users = env.users;
            // The vault must hold what block outputs pay: fund it once.
            await depositEth(env, env.maintainer, 10n ** 18n);
            const outputs: {
              owner: Wallet;
              utxoPos: bigint;
              txBytes: string;
              proof: string;
              isDeposit: boolean;
              amount: bigint;
            }[] = [];
            for (const [i, s] of specs.entries()) {
              await increaseTime(env.provider, s.ageDelay);
              const owner = users[i % users.length]!;
              const amount = BigInt(1000 + i);
              if (s.kind === 'deposit') {
                const d = await depositEth(env, owner, amount);
                outputs.push({
                  owner,
                  utxoPos: d.utxoPos,
                  txBytes: d.txBytes,
                  proof: DEPOSIT_PROOF(),
                  isDeposit: true,
                  amount,
                });
              } else {
                const other = users[(i + 1) % users.length]!;
                const outs: [Wallet, string, bigint][] =
                  s.oindex === 0
                    ? [
                        [owner, ETH, amount],
                        [other, ETH, 1n],
                      ]
                    : [
                        [other, ETH, 1n],
                        [owner, ETH, amount],
                      ];
                const tx = encode(payment([BigInt(i + 1) * 1_000_000_000n + 7n], outs));
                const fillers = Array.from({ length: s.fillers }, (_, k) =>
                  encode(payment([BigInt(k + 1) * 1_000_000_000n], [[other, ETH, 2n]])),
                );
                const b = await submitBlock(env, [...fillers, tx]);
                const utxoPos =
                  b.blknum * 1_000_000_000n + BigInt(s.fillers) * 10_000n + BigInt(s.oindex);
                outputs.push({
                  owner,
                  utxoPos,
                  txBytes: tx,
                  proof: b.proofs[s.fillers]!,
                  isDeposit: false,
                  amount,
                });
              }
            }

            // Start the exits in a random order, at random times.
            const order = outputs.map((_, i) => i);
            for (let i = order.length - 1; i > 0; i--) {
              const j = rnd.next().value % (i + 1);
              [order[i], order[j]] = [order[j]!, order[i]!];
            }
            const expected: { exitId: bigint; priority: bigint }[] = [];
            for (const i of order) {
              const o = outputs[i]!;
              await increaseTime(env.provider, specs[i]!.startDelay);
              const r = await startExit(env, o.owner, o.utxoPos, o.txBytes, o.proof);
              const startTs = BigInt((await env.provider.getBlock(r.blockNumber))!.timestamp);
              const exitableAt = standardExitExitableAt({
                isDeposit: o.isDeposit,
                blockTimestamp: await blockTimestamp(o.utxoPos / 1_000_000_000n),
                now: startTs,
                minExitPeriod: MEP,
              });
              const exitId = seExitId(o.txBytes, o.utxoPos, o.isDeposit);
              const priority = exitPriority(exitableAt, o.utxoPos, exitId);
              const queued = r.logs
                .map((l) => {
                  try {
                    return env.framework.interface.parseLog(l);
                  } catch {
                    return null;
                  }
                })
                .find((l) => l?.name === 'ExitQueued');
              expect(queued?.args.toArray()).toEqual([exitId, priority]);
              expect((await env.exitGame.getFunction('standardExits')([exitId]))[0][4]).toBe(
                o.amount,
              );
              expected.push({ exitId, priority });
            }

            // The heap holds exactly these priorities and is a valid min-heap.
            const q = contractAt(
              'PriorityQueue',
              (await env.framework.getFunction('exitsQueues')(queueKey(1n, ETH))) as string,
              env.provider,
            );
            const heap = (await q.getFunction('heapList')()) as bigint[];
            expect(heap[0]).toBe(0n);
            expect([...heap.slice(1)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(
              expected.map((e) => e.priority).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
            );
            for (let k = 2; k < heap.length; k++)
              expect(heap[Math.floor(k / 2)]! <= heap[k]!).toBe(true);

            // Process one at a time after everything is due.
            await increaseTime(env.provider, 3n * MEP + 10n);
            const processed: bigint[] = [];
            for (let k = 0; k < expected.length; k++) {
              const r = await mined(
                env.as(env.framework, env.users[0]!).getFunction('processExits')(1n, ETH, 0n, 1n),
              );
              for (const l of r.logs) {
                try {
                  const p = env.exitGame.interface.parseLog(l);
                  if (p?.name === 'ExitFinalized') processed.push(p.args[0] as bigint);
                } catch {
                  // other contract
                }
              }
            }
            const sorted = [...expected].sort((a, b) => (a.priority < b.priority ? -1 : 1));
            expect(processed).toEqual(sorted.map((e) => e.exitId));
            expect(await q.getFunction('currentSize')()).toBe(0n);
          } finally {
            await env.provider.send('evm_revert', [snap]);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

/** The v1.0.5 heap, written the swap-by-swap way, as a model of the layout clients read. */
class HeapModel {
  list: bigint[] = [0n];
  insert(x: bigint): void {
    this.list.push(x);
    let j = this.list.length - 1;
    while (Math.floor(j / 2) > 0) {
      const p = Math.floor(j / 2);
      if (this.list[j]! < this.list[p]!)
        [this.list[j], this.list[p]] = [this.list[p]!, this.list[j]!];
      j = p;
    }
  }
  delMin(): bigint {
    const size = this.list.length - 1;
    const min = this.list[1]!;
    this.list[1] = this.list[size]!;
    this.list.pop();
    const n = size - 1;
    let i = 1;
    while (i * 2 <= n) {
      const l = i * 2;
      const mc = l + 1 > n || this.list[l]! < this.list[l + 1]! ? l : l + 1; // ties go right
      if (this.list[i]! > this.list[mc]!)
        [this.list[i], this.list[mc]] = [this.list[mc]!, this.list[i]!];
      i = mc;
    }
    return min;
  }
}

describe('PriorityQueue', () => {
  it('matches the v1.0.5 heap layout under any insert/delMin sequence (duplicates included)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.bigInt({ min: 1n, max: 20n }), fc.constant(-1n)), {
          minLength: 1,
          maxLength: 40,
        }),
        async (ops) => {
          const q = (await deployContract('PriorityQueue', env.users[5]!)).contract;
          const model = new HeapModel();
          for (const op of ops) {
            if (op === -1n) {
              if (model.list.length === 1) {
                await expectRevert(q.getFunction('delMin')(), 'Queue is empty');
                continue;
              }
              const expectedMin = model.delMin();
              expect(await q.getFunction('delMin').staticCall()).toBe(expectedMin);
              await mined(q.getFunction('delMin')());
            } else {
              model.insert(op);
              await mined(q.getFunction('insert')(op));
            }
          }
          expect(await q.getFunction('heapList')()).toEqual(model.list);
          expect(await q.getFunction('currentSize')()).toBe(BigInt(model.list.length - 1));
          expect(await q.getFunction('queue')()).toBe(BigInt(model.list.length - 1));
          if (model.list.length > 1) expect(await q.getFunction('getMin')()).toBe(model.list[1]);
          else await expectRevert(q.getFunction('getMin')(), 'Queue is empty');
        },
      ),
      { numRuns: 10 },
    );
  });

  it('only its creator may insert or delete', async () => {
    const q = (await deployContract('PriorityQueue', env.users[5]!)).contract;
    expect(await q.getFunction('framework')()).toBe(env.users[5]!.address);
    await expectRevert(
      env.as(q, env.users[6]!).getFunction('insert')(1n),
      'Caller address is unauthorized',
    );
    await expectRevert(
      env.as(q, env.users[6]!).getFunction('delMin')(),
      'Caller address is unauthorized',
    );
  });
});
