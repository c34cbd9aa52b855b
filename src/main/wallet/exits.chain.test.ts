// Standard exits end to end on a real devnet, driven through the IPC router as the renderer drives
// it: an exit of an own output with the served exit data, recorded in the outbox before it is sent,
// processed after minExitPeriod with the funds back on Ethereum; the operator's invalid exit raised
// as invalid_exit with the spec's details and challenged with the served challenge data; another
// one left alone past the SLA margin → unchallenged_exit, status invalid, safe mode and a notice.
import { Transaction, Wallet, type TransactionReceipt } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { increaseTime } from '../../../contracts/testing/anvil';
import { call, fundedOutput, waitFor as until } from '../../../devnet/testing';
import { depositEthTx } from '../../plasma/contracts';
import { normalizeAddress } from '../../plasma/hex';
import { ETH_TOKEN, type Address, type Hex } from '../../plasma/types';
import type { NoticeView, UnsignedCall } from '../../shared/exits';
import type { RequestMethod, RequestParams } from '../../shared/ipc';
import { dispatch } from '../ipc/router';
import { RecordingNotifier } from './notifier';
import type { AppEventListener } from './services';
import { startTestApp, type TestApp } from './testing/app';
import { askRouter, signCall } from './testing/sign';

/** Long enough that an exit can be challenged before the SLA margin (blocks come every 250 ms). */
const MEP = 600;
const SLA = 300;

let app: TestApp;
const notifier = new RecordingNotifier();
const pushed: Parameters<AppEventListener>[] = [];

beforeAll(async () => {
  app = await startTestApp({
    devnet: { minExitPeriod: MEP },
    services: { watcherConfig: { exitProcessorSlaMargin: SLA }, notifier },
  });
  app.services.events.subscribe((name, payload) => pushed.push([name, payload]));
}, 240_000);
afterAll(async () => app?.dispose());

const ask = <M extends RequestMethod>(method: M, params: RequestParams<M>) =>
  askRouter(app.table, method, params);

const provider = () => app.devnet.operator.link.provider;
const keyOf = (i: number): Hex => app.devnet.devKeys[i]!;
const addressOf = (i: number): Address => normalizeAddress(new Wallet(keyOf(i)).address);

/** Signs main's unsigned call as account `i` (the renderer's job). */
const signed = (i: number, c: UnsignedCall): Promise<string> => signCall(app.table, keyOf(i), c);

async function relay(raw: string): Promise<TransactionReceipt> {
  const { hash } = await ask('eth.send', { raw });
  const receipt = await provider().waitForTransaction(hash, 1, 60_000);
  expect(receipt?.status).toBe(1);
  return receipt!;
}

const openEvents = async (kind: string) =>
  (await ask('chain.snapshot', {})).events.filter((e) => e.kind === kind);

describe('standard exits on a real devnet', () => {
  it('exits an own deposit with the served exit data, through the outbox, and pays it out after processExits', async () => {
    const owner = addressOf(1);
    const amount = 10n ** 17n;
    const utxoPos = await fundedOutput(app.devnet, keyOf(1), amount);
    await until('the watcher to know the deposit', async () =>
      (await ask('chain.account', { address: owner })).utxos.some(
        (u) => u.utxoPos === utxoPos.toString(),
      ),
    );
    const plan = await ask('exit.plan', { address: owner });
    expect(plan.items).toContainEqual({
      utxoPos: utxoPos.toString(),
      token: ETH_TOKEN,
      amount: amount.toString(),
      alreadyExiting: false,
    });
    const [entry] = await ask('exit.outbox.add', {
      address: owner,
      utxoPositions: [utxoPos.toString()],
    });
    const data = await ask('exit.data', { utxoPos: utxoPos.toString() });
    expect(data).toMatchObject({ token: ETH_TOKEN, amount: amount.toString() });
    expect(data.proof.length).toBe(2 + 2 * 512);
    // The outbox knows the hash before the transaction leaves: a restart cannot send it twice.
    for (const c of data.calls) {
      const raw = await signed(1, c);
      if (c === data.calls.at(-1))
        await ask('exit.outbox.markSent', {
          id: entry!.id,
          ethTxHash: Transaction.from(raw).hash!,
        });
      await relay(raw);
    }
    const started = await until('the exit in exit.list', async () =>
      (await ask('exit.list', { address: owner })).find((e) => e.utxoPos === utxoPos.toString()),
    );
    expect(started).toMatchObject({ state: 'started', amount: amount.toString(), invalid: false });
    expect(started.exitableAt).toBeGreaterThanOrEqual(data.earliestProcessingAt);
    expect(started.queuePosition).not.toBeNull();
    const outbox = await ask('exit.outbox.list', { address: owner });
    expect(outbox.find((o) => o.id === entry!.id)?.state).toBe('confirmed');
    expect((await ask('exit.plan', { address: owner })).items[0]?.alreadyExiting).toBe(true);
    expect(await openEvents('invalid_exit')).toEqual([]);

    await increaseTime(provider(), MEP + 1);
    const exitable = await until('the exit to become exitable', async () => {
      const e = (await ask('exit.list', { address: owner })).find(
        (x) => x.exitId === started.exitId,
      );
      return e?.state === 'exitable' ? e : undefined;
    });
    const before = await provider().getBalance(owner);
    const process = await ask('exit.processCall', {
      token: ETH_TOKEN,
      maxExits: (exitable.exitsBefore ?? 0) + 1,
    });
    const receipt = await relay(await signed(1, process));
    const after = await provider().getBalance(owner);
    const gas = receipt.gasUsed * receipt.gasPrice;
    // The output's amount and the bond come back, less the gas of processExits.
    expect(after - before + gas).toBe(amount + BigInt(data.bond));
    await until('the exit to be processed', async () =>
      (await ask('exit.list', { address: owner })).some(
        (e) => e.exitId === started.exitId && e.state === 'processed',
      ),
    );
    // Main pushed each step of this exit to the window.
    await until('exit.changed up to processed', () =>
      pushed.some(
        ([name, p]) =>
          name === 'exit.changed' &&
          (p as { exit: { exitId: string; state: string } }).exit.exitId === started.exitId &&
          (p as { exit: { state: string } }).exit.state === 'processed',
      ),
    );
    const states = pushed
      .filter(
        ([name, p]) =>
          name === 'exit.changed' &&
          (p as { exit: { exitId: string } }).exit.exitId === started.exitId,
      )
      .map(([, p]) => (p as { exit: { state: string } }).exit.state);
    // Each change once, in order ('exitable' may fall between two rounds on a fast devnet).
    expect(states[0]).toBe('started');
    expect(states.at(-1)).toBe('processed');
    expect(new Set(states).size).toBe(states.length);
  });

  it("raises invalid_exit for the operator's exit of a spent output, with the spec's details, and resolves it once challenged with the served data", async () => {
    const cheat = await call<{ exitedUtxoPos: number | bigint }>(app.devnet, 'devnet.cheat', {
      name: 'invalid_exit',
    });
    const exited = BigInt(cheat.exitedUtxoPos).toString();
    const [event] = await until('invalid_exit', async () => {
      const found = (await openEvents('invalid_exit')).filter(
        (e) => e.details['utxo_pos'] === exited,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(Object.keys(event!.details).sort()).toEqual([
      'amount',
      'currency',
      'eth_height',
      'name',
      'owner',
      'root_chain_txhash',
      'scheduled_finalization_time',
      'spending_txhash',
      'utxo_pos',
    ]);
    expect(event!.details['owner']).toBe(app.devnet.operator.address.toLowerCase());
    expect(event!.details['spending_txhash']).toMatch(/^0x[0-9a-f]{64}$/);
    expect(event!.invalidating).toBe(false);
    expect(notifier.notices.some((n: NoticeView) => n.kind === 'invalid_exit')).toBe(true);

    const challenger = addressOf(2);
    const data = await ask('exit.challengeData', { utxoPos: exited, challenger });
    expect(BigInt(data.bondReward)).toBeGreaterThan(0n);
    const before = await provider().getBalance(challenger);
    const receipt = await relay(await signed(2, data.call));
    const after = await provider().getBalance(challenger);
    expect(after - before + receipt.gasUsed * receipt.gasPrice).toBe(BigInt(data.bondReward));
    await until('invalid_exit to resolve', async () =>
      (await openEvents('invalid_exit')).every((e) => e.details['utxo_pos'] !== exited),
    );
    expect((await ask('chain.snapshot', {})).status.kind).not.toBe('invalid');
  });

  it('turns an invalid exit left alone past the SLA margin into unchallenged_exit: status invalid, safe mode, payments and deposits refused, exits allowed', async () => {
    const cheat = await call<{ exitedUtxoPos: number | bigint }>(app.devnet, 'devnet.cheat', {
      name: 'invalid_exit',
    });
    const exited = BigInt(cheat.exitedUtxoPos).toString();
    await until('invalid_exit', async () =>
      (await openEvents('invalid_exit')).some((e) => e.details['utxo_pos'] === exited),
    );
    await provider().send('anvil_mine', [`0x${(SLA + 1).toString(16)}`]);
    const snap = await until('unchallenged_exit', async () => {
      const s = await ask('chain.snapshot', {});
      return s.events.some(
        (e) => e.kind === 'unchallenged_exit' && e.details['utxo_pos'] === exited,
      )
        ? s
        : undefined;
    });
    expect(snap.status.kind).toBe('invalid');
    const safe = await until('safe mode', async () => {
      const s = await ask('safeMode.get', {});
      return s.active ? s : undefined;
    });
    expect(safe.reason).toBe('unchallenged_exit');
    expect(notifier.notices.find((n) => n.kind === 'unchallenged_exit')?.action).toMatch(
      /exit all your funds/,
    );
    expect(
      pushed.some(([name, p]) => name === 'safeMode.changed' && (p as { active: boolean }).active),
    ).toBe(true);
    expect(
      pushed.some(
        ([name, p]) => name === 'notice' && (p as NoticeView).kind === 'unchallenged_exit',
      ),
    ).toBe(true);
    // Deposits are refused by the relay; the exit-game calls are not.
    const request = depositEthTx(app.devnet.profile.contracts.ethVault, {
      owner: addressOf(3),
      amount: 1000n,
    });
    const deposit = await dispatch(app.table, 'eth.send', {
      raw: await signed(3, { ...request, value: '1000', gas: '200000' }),
    });
    expect(deposit).toMatchObject({
      ok: false,
      error: { code: 'transaction_refused', message: expect.stringMatching(/safe mode/) },
    });
    const process = await ask('exit.processCall', { token: ETH_TOKEN });
    const sent = await dispatch(app.table, 'eth.send', { raw: await signed(3, process) });
    expect(sent.ok ? 'relayed' : sent.error.code).not.toBe('transaction_refused');
    const acknowledged = await ask('safeMode.acknowledge', {});
    expect(acknowledged.active).toBe(false);
    expect((await ask('safeMode.get', {})).active).toBe(false);
  });
});
