// Queue positions of standard exits: everybody's exits of a token in the contract's priority order,
// from the watcher's table when it is complete, from the contract's queue otherwise.
import { AbiCoder, type JsonRpcProvider } from 'ethers';
import { describe, expect, it } from 'vitest';
import { exitPriority } from '../../plasma/ids';
import type { Address, Hex } from '../../plasma/types';
import type { TrackedExit } from '../watcher/exit-processor';
import { TEST_PROFILE } from '../watcher/testing';
import type { Watcher } from '../watcher/watcher';
import { ExitServices, exitsBefore, type ImportedExitData } from './exits';

const ETH = '0x0000000000000000000000000000000000000000' as Address;
const VTT = '0x00000000000000000000000000000000000000aa' as Address;
const ALICE = '0x00000000000000000000000000000000000000a1' as Address;
const BOB = '0x00000000000000000000000000000000000000b0' as Address;
const CAROL = '0x00000000000000000000000000000000000000c0' as Address;
const pos = (blknum: bigint, txindex = 0n) => blknum * 1_000_000_000n + txindex * 10_000n;

function exit(
  exitId: bigint,
  owner: Address,
  exitableAt: number,
  utxoPos: bigint,
  more: Partial<TrackedExit> = {},
): TrackedExit {
  return {
    exitId,
    utxoPos,
    owner,
    token: ETH,
    amount: 1n,
    ethHeight: 10,
    ethTxHash: `0x${'00'.repeat(31)}01` as Hex,
    exitableAt,
    challenged: false,
    finalized: false,
    invalidFinalization: false,
    outputTx: null,
    invalid: false,
    spendingTxHash: null,
    ...more,
  };
}

// Alice's exit is due at 1000. Before it: Bob's due earlier, Carol's due at the same time from an
// older block, and a challenged exit of Bob's (its queue entry is still popped). After it: Carol's
// due later, and Bob's due at the same time from a younger block. Elsewhere: a VTT exit, and a
// finalized exit (gone from the queue) with an exit due before it (popped on the way, no event).
const table = [
  exit(11n, BOB, 900, pos(1000n)),
  exit(12n, CAROL, 1000, pos(2000n)),
  exit(13n, BOB, 950, pos(3000n), { challenged: true }),
  exit(14n, ALICE, 1000, pos(3000n, 1n)),
  exit(15n, CAROL, 1100, pos(1000n, 1n)),
  exit(16n, BOB, 1000, pos(4000n)),
  exit(17n, BOB, 500, pos(5000n), { token: VTT }),
  exit(18n, CAROL, 400, pos(1000n, 2n), { finalized: true }),
  exit(19n, CAROL, 300, pos(1000n, 3n)),
];
const alice = { token: ETH, exitableAt: 1000, utxoPos: pos(3000n, 1n), exitId: 14n };

describe('exitsBefore', () => {
  it('counts every owner’s exits of the token that the contract processes before ours', () => {
    expect(exitsBefore(table, alice)).toBe(3);
    // Cross-check with the contract's ordering: the priorities below Alice's in the ETH queue.
    const queued = table.filter(
      (e) => e.token === ETH && !e.finalized && e.exitId !== 19n && e.exitId !== 14n,
    );
    const mine = exitPriority(1000n, alice.utxoPos, 14n);
    expect(
      queued.filter((e) => exitPriority(BigInt(e.exitableAt!), e.utxoPos, e.exitId) < mine),
    ).toHaveLength(3);
    expect(exitsBefore(table, { ...alice, token: VTT })).toBe(1);
  });

  it('places an exit not started yet where its priority puts it', () => {
    expect(
      exitsBefore(table, { token: ETH, exitableAt: 10_000, utxoPos: pos(9000n), exitId: 99n }),
    ).toBe(6);
    expect(exitsBefore(table, { token: ETH, exitableAt: 1, utxoPos: pos(1n), exitId: 99n })).toBe(
      0,
    );
  });

  it('cannot say when an exit of the table has no token or time yet', () => {
    expect(exitsBefore([...table, exit(20n, BOB, 0, pos(6000n), { token: null })], alice)).toBe(
      undefined,
    );
    expect(
      exitsBefore([...table, exit(20n, BOB, 0, pos(6000n), { exitableAt: null })], alice),
    ).toBe(undefined);
  });
});

describe('ExitServices queue positions', () => {
  const abi = AbiCoder.defaultAbiCoder();
  const QUEUE = '0x00000000000000000000000000000000000000ee';
  const none: ImportedExitData = { get: () => undefined, all: () => [] };

  function services(caughtUp: boolean, heap: bigint[]) {
    const calls: string[] = [];
    const provider = {
      getBlock: () => Promise.resolve({ timestamp: 500 }),
      call: (request: { to: string; data: string }) => {
        calls.push(request.data.slice(0, 10));
        if (request.to.toLowerCase() === QUEUE)
          return Promise.resolve(abi.encode(['uint256[]'], [[0n, ...heap]]));
        // hasExitQueue, then exitsQueues.
        return Promise.resolve(
          calls.length === 1 ? abi.encode(['bool'], [true]) : abi.encode(['address'], [QUEUE]),
        );
      },
    } as unknown as JsonRpcProvider;
    const watcher = {
      exits: { list: () => table },
      snapshot: () => ({ ethereum: { caughtUp } }),
    } as unknown as Watcher;
    return { exits: new ExitServices(watcher, provider, TEST_PROFILE, none), calls };
  }

  it('takes the position from the watcher’s exits of every owner, with no chain read', async () => {
    const { exits, calls } = services(true, []);
    const [mine] = await exits.list(ALICE);
    expect(mine).toMatchObject({ exitId: '14', exitsBefore: 3, queuePosition: 3 });
    const bobs = await exits.list(BOB);
    expect(bobs.map((e) => [e.exitId, e.exitsBefore])).toEqual([
      ['11', 0],
      ['13', null],
      ['16', 4],
      ['17', 0],
    ]);
    expect(calls).toEqual([]);
  });

  it('reads the contract’s queue while the watcher is still catching up', async () => {
    const priorities = [11n, 12n, 14n, 16n].map((id) => {
      const e = table.find((x) => x.exitId === id)!;
      return exitPriority(BigInt(e.exitableAt!), e.utxoPos, id);
    });
    const { exits, calls } = services(false, [...priorities].reverse());
    const [mine] = await exits.list(ALICE);
    expect(mine?.exitsBefore).toBe(2);
    expect(calls).toHaveLength(3);
  });
});
