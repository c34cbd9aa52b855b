import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hexToBytes } from '../../plasma/hex';
import { verifyInclusion } from '../../plasma/merkle';
import { decodeSigned, txHash } from '../../plasma/tx';
import { ETH_TOKEN, type Hex } from '../../plasma/types';
import type { WatcherStore } from '../store';
import { RpcError } from '../api/http-rpc';
import { watcherApiMethods } from './api';
import { watcherConfigFor } from './config';
import { ExitDataError, ExitProcessor } from './exit-processor';
import {
  ScriptedService,
  TEST_DEPLOYMENT,
  TEST_PROFILE,
  ethereumProgress,
  getterProgress,
} from './testing';
import { ALICE, BOB, pos } from './testing-blocks';
import {
  FIXTURE_MEP,
  FIXTURE_SLA,
  exitFixture,
  fixtureReader,
  hash32,
  type ExitFixture,
} from './testing-exits';
import { Watcher } from './watcher';

const MEP = FIXTURE_MEP;
const SLA = FIXTURE_SLA;
const reader = fixtureReader;
const hash = hash32;

let fx: ExitFixture;
let store: WatcherStore;
let spendingTx: Uint8Array;

beforeEach(async () => {
  fx = await exitFixture();
  store = fx.store;
  spendingTx = fx.spendingTx;
});

afterEach(() => fx.close());

const processor = () => fx.processor();

function started(exitId: bigint, utxoPos: bigint, owner: Hex, ethHeight: number): void {
  store.recordEvents([
    {
      name: 'ExitStarted',
      ethHeight,
      logIndex: 0,
      ethTxHash: hash(ethHeight),
      args: { owner, exitId, utxoPos },
    },
  ]);
}
const open = (kind: string) => store.byzantineEvents().filter((e) => e.kind === kind);

describe('ExitProcessor', () => {
  it('refuses an SLA margin that is not below minExitPeriod', () => {
    expect(
      () =>
        new ExitProcessor(store, reader, {
          childBlockInterval: 1000n,
          minExitPeriod: 10,
          slaMargin: 10,
        }),
    ).toThrow(/must be below minExitPeriod/);
  });

  it('raises invalid_exit with the spec details for an exit of a spent output, then unchallenged_exit past the margin, and resolves both on a challenge', async () => {
    const p = processor();
    started(77n, pos(1n), ALICE, 20);
    await p.poll(21);
    const [invalid] = open('invalid_exit');
    expect(invalid?.key).toBe(pos(1n).toString());
    expect(invalid?.details).toEqual({
      name: 'invalid_exit',
      eth_height: 20,
      utxo_pos: pos(1n),
      owner: ALICE,
      currency: ETH_TOKEN,
      amount: 100n,
      root_chain_txhash: hash(20),
      // A deposit: one exit period after the exit's own block.
      scheduled_finalization_time: 1_700_000_020 + MEP,
      spending_txhash: txHash(decodeSigned(spendingTx).txBytes),
    });
    expect(open('unchallenged_exit')).toHaveLength(0);

    await p.poll(20 + SLA);
    expect(open('unchallenged_exit')[0]?.details['name']).toBe('unchallenged_exit');

    store.recordEvents([
      {
        name: 'ExitChallenged',
        ethHeight: 31,
        logIndex: 0,
        ethTxHash: hash(31),
        args: { utxoPos: pos(1n) },
      },
    ]);
    await p.poll(32);
    expect(open('invalid_exit')).toHaveLength(0);
    expect(open('unchallenged_exit')).toHaveLength(0);
    expect(p.list()[0]).toMatchObject({ challenged: true, invalid: false });
  });

  it('serves challenge data: the spending tx, the input index and the owner signature', async () => {
    const p = processor();
    started(77n, pos(1n), ALICE, 20);
    await p.poll(21);
    const data = p.challengeData(pos(1n));
    const signed = decodeSigned(spendingTx);
    expect(data.exitId).toBe(77n);
    expect(data.inputIndex).toBe(0);
    expect(data.sig).toBe(signed.sigs[0]);
    expect(hexToBytes(data.txBytes)).toEqual(signed.txBytes);
    expect(data.exitingTx).toBe(p.creatingTx(pos(1n)));
    expect(() => p.challengeData(pos(1000n))).toThrow(ExitDataError);
  });

  it('leaves a valid exit alone and does not raise after its valid finalization', async () => {
    const p = processor();
    started(88n, pos(1000n), BOB, 20);
    await p.poll(100);
    expect(store.byzantineEvents()).toHaveLength(0);
    store.markSpentByExit(pos(1000n), {
      ethHeight: 40,
      ethTxHash: hash(40),
      logIndex: 0,
      exitId: 88n,
    });
    store.recordEvents([
      {
        name: 'ExitFinalized',
        ethHeight: 40,
        logIndex: 0,
        ethTxHash: hash(40),
        args: { exitId: 88n },
      },
    ]);
    await p.poll(200);
    expect(store.byzantineEvents()).toHaveLength(0);
    expect(p.list()[0]).toMatchObject({ finalized: true, invalidFinalization: false });
    // A non-deposit output: two exit periods after its block.
    expect(p.list()[0]?.exitableAt).toBe(1_700_000_000 + 2 * MEP);
  });

  it('keeps unchallenged_exit open after an invalid exit is finalized', async () => {
    const p = processor();
    started(77n, pos(1n), ALICE, 20);
    store.recordEvents([
      {
        name: 'ExitFinalized',
        ethHeight: 25,
        logIndex: 0,
        ethTxHash: hash(25),
        args: { exitId: 77n },
      },
    ]);
    await p.poll(26);
    expect(open('unchallenged_exit')).toHaveLength(1);
    expect(open('invalid_exit')).toHaveLength(1);
  });

  it('ignores exit records with impossible positions or ids instead of failing every round', async () => {
    const p = processor();
    started(1n, 2n ** 200n, BOB, 20);
    store.recordEvents([
      {
        name: 'ExitStarted',
        ethHeight: 21,
        logIndex: 1,
        ethTxHash: hash(21),
        args: { owner: BOB, exitId: 'x', utxoPos: pos(1n) },
      },
    ]);
    started(77n, pos(1n), ALICE, 22);
    await p.poll(23);
    expect(p.list().map((e) => e.exitId)).toEqual([77n]);
    expect(open('invalid_exit')).toHaveLength(1);
  });

  it('raises invalid_exit for an output that never existed and waits for blocks it has not validated', async () => {
    const p = processor();
    started(99n, pos(1000n, 5n), BOB, 20);
    started(100n, pos(2000n), BOB, 20);
    await p.poll(21);
    expect(open('invalid_exit').map((e) => e.key)).toEqual([pos(1000n, 5n).toString()]);
    expect(open('invalid_exit')[0]?.details['spending_txhash']).toBeNull();
    // Neither the ledger nor calldata knows the output: the amount comes from the exit game, if asked.
    expect(open('invalid_exit')[0]?.details['amount']).toBeNull();
    const withGame = new ExitProcessor(
      store,
      { ...reader, standardExitAmount: (id) => Promise.resolve(id === 99n ? 42n : undefined) },
      { childBlockInterval: 1000n, minExitPeriod: MEP, slaMargin: SLA },
    );
    await withGame.poll(22);
    expect(open('invalid_exit')[0]?.details).toMatchObject({ amount: 42n, currency: null });
  });

  it('serves exit data that proves against the stored root, and refuses unknown outputs', async () => {
    const p = processor();
    const data = p.exitData(pos(1000n));
    expect(
      verifyInclusion(hexToBytes(data.txBytes), 0, hexToBytes(data.root), hexToBytes(data.proof)),
    ).toBe(true);
    expect(data).toMatchObject({ owner: BOB, amount: 100n });
    expect(() => p.exitData(pos(1n))).toThrow(/No unspent deposit/);
    expect(() => p.exitData(pos(3000n))).toThrow(ExitDataError);
    expect(() => p.exitData(2n ** 100n)).toThrow(/not an output position/);
  });
});

describe('ExitProcessor rounds: incremental and reorg-aware', () => {
  const challenged = (ethHeight: number, utxoPos: bigint) =>
    store.recordEvents([
      {
        name: 'ExitChallenged',
        ethHeight,
        logIndex: 0,
        ethTxHash: hash(ethHeight),
        args: { utxoPos },
      },
    ]);

  it('reads and applies only the exit records stored since the last round', async () => {
    const timestamps = vi.fn(reader.blockTimestamp);
    const p = new ExitProcessor(
      store,
      { ...reader, blockTimestamp: timestamps },
      { childBlockInterval: 1000n, minExitPeriod: MEP, slaMargin: SLA },
    );
    started(88n, pos(1000n), BOB, 20);
    started(89n, pos(2n), ALICE, 21);
    await p.poll(22);
    expect(timestamps).toHaveBeenCalledTimes(2);

    const reads = vi.spyOn(store, 'events');
    const txReads = vi.spyOn(store, 'getTransaction');
    const depositReads = vi.spyOn(store, 'getDeposit');
    started(77n, pos(1n), ALICE, 23);
    await p.poll(24);
    // One read, from the newest applied record's height: that record (to see it is still there)
    // and the new one, nothing older.
    expect(reads).toHaveBeenCalledTimes(1);
    const rows = reads.mock.results[0]!.value as { ethHeight: number }[];
    expect(rows.map((r) => r.ethHeight)).toEqual([21, 23]);
    // Only the new exit was tracked: one timestamp read, one creating-transaction look-up.
    expect(timestamps).toHaveBeenCalledTimes(3);
    expect(depositReads).toHaveBeenCalledTimes(1);
    expect(txReads).not.toHaveBeenCalled();
    expect(p.list().map((e) => e.exitId)).toEqual([88n, 89n, 77n]);
    expect(open('invalid_exit').map((e) => e.key)).toEqual([pos(1n).toString()]);

    // A round with nothing new reads the anchor record alone and changes nothing.
    reads.mockClear();
    await p.poll(25);
    expect((reads.mock.results[0]!.value as unknown[]).length).toBe(1);
    expect(timestamps).toHaveBeenCalledTimes(3);
    expect(p.rebuilds).toBe(0);
  });

  it('applies several records of one height once each, even when they arrive over two rounds', async () => {
    const p = processor();
    started(88n, pos(1000n), BOB, 20);
    await p.poll(21);
    store.recordEvents([
      {
        name: 'ExitStarted',
        ethHeight: 20,
        logIndex: 1,
        ethTxHash: hash(20),
        args: { owner: ALICE, exitId: 77n, utxoPos: pos(1n) },
      },
    ]);
    challenged(22, pos(1n));
    await p.poll(23);
    expect(p.list().map((e) => [e.exitId, e.challenged])).toEqual([
      [77n, true],
      [88n, false],
    ]);
    expect(open('invalid_exit')).toHaveLength(0);
  });

  it('on a rollback, forgets the exits of rolled-back records and resolves their events', async () => {
    const p = processor();
    started(88n, pos(1000n), BOB, 20);
    started(77n, pos(1n), ALICE, 30);
    await p.poll(30 + SLA);
    expect(open('invalid_exit').map((e) => e.key)).toEqual([pos(1n).toString()]);
    expect(open('unchallenged_exit')).toHaveLength(1);

    store.rollbackTo(25);
    const list = await p.poll(30 + SLA);
    expect(p.rebuilds).toBe(1);
    expect(list.map((e) => e.exitId)).toEqual([88n]);
    expect(open('invalid_exit')).toHaveLength(0);
    expect(open('unchallenged_exit')).toHaveLength(0);
    const resolved = store.byzantineEvents({ includeResolved: true });
    expect(
      resolved
        .filter((e) => e.resolvedAt !== undefined)
        .map((e) => e.kind)
        .sort(),
    ).toEqual(['invalid_exit', 'unchallenged_exit']);
  });

  it('on a rollback of a challenge, the exit is open again and its invalid_exit comes back', async () => {
    const p = processor();
    started(77n, pos(1n), ALICE, 20);
    challenged(31, pos(1n));
    await p.poll(32);
    expect(open('invalid_exit')).toHaveLength(0);
    expect(p.list()[0]?.challenged).toBe(true);

    store.rollbackTo(30);
    // The new chain records another record at a height the old one had, under a reused row id.
    started(88n, pos(1000n), BOB, 31);
    await p.poll(32);
    expect(p.rebuilds).toBe(1);
    expect(p.list().map((e) => [e.exitId, e.challenged])).toEqual([
      [77n, false],
      [88n, false],
    ]);
    expect(open('invalid_exit').map((e) => e.key)).toEqual([pos(1n).toString()]);
  });
});

describe('the exit processor in the watcher round and the HTTP API', () => {
  it('raises invalid_exit after a round and serves utxo.get_challenge_data / utxo.get_exit_data in the elixir-omg format', async () => {
    const watcher = new Watcher({
      profile: TEST_PROFILE,
      deployment: TEST_DEPLOYMENT,
      config: watcherConfigFor(TEST_PROFILE),
      store,
      follower: new ScriptedService(() => ethereumProgress({ headHeight: 21 })),
      getter: new ScriptedService(() => getterProgress({ lastAppliedBlock: 1000n })),
      exits: processor(),
    });
    started(77n, pos(1n), ALICE, 20);
    const snap = await watcher.round();
    expect(snap.events.map((e) => e.kind)).toEqual(['invalid_exit']);
    const api = watcherApiMethods(watcher);
    const challenge = (await api['utxo.get_challenge_data']!.handler({
      utxo_pos: Number(pos(1n)),
    })) as Record<string, unknown>;
    expect(Object.keys(challenge).sort()).toEqual([
      'exit_id',
      'exiting_tx',
      'input_index',
      'sig',
      'txbytes',
    ]);
    expect(challenge['exit_id']).toBe(77n);
    const exit = (await api['utxo.get_exit_data']!.handler({
      utxo_pos: pos(1000n).toString(),
    })) as Record<string, unknown>;
    expect(exit['utxo_pos']).toBe(pos(1000n));
    expect((exit['proof'] as string).length).toBe(2 + 2 * 512);
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as RpcError).code;
      }
      return 'no error';
    };
    expect(
      refusal(() => api['utxo.get_exit_data']!.handler({ utxo_pos: Number(pos(5000n)) })),
    ).toBe('exit:invalid');
    expect(
      refusal(() => api['utxo.get_challenge_data']!.handler({ utxo_pos: Number(pos(1000n)) })),
    ).toBe('challenge:exit_not_found');
    expect(refusal(() => api['utxo.get_exit_data']!.handler({ utxo_pos: 'x' }))).toBe(
      'operation:bad_request',
    );
  });
});
