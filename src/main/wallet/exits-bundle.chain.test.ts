// The offline proof bundle on a real devnet: exported while the operator serves blocks, then the
// operator's API is shut and a fresh wallet (new data dir, empty store) that cannot download any
// block imports the bundle (a tampered copy is refused by name), exits the output with the data it
// carries, and gets the funds back on Ethereum after processExits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { increaseTime } from '../../../contracts/testing/anvil';
import { devnetProvider } from '../../../devnet/operator/root-chain';
import { FEE, fundedOutput, payment, submit, waitFor as until } from '../../../devnet/testing';
import { normalizeAddress } from '../../plasma/hex';
import { encodeUtxoPos } from '../../plasma/position';
import { ETH_TOKEN, type Address, type Hex } from '../../plasma/types';
import type { UnsignedCall } from '../../shared/exits';
import { createNativeRecoverer } from '../crypto/native-recoverer';
import { createHandlerTable } from '../ipc/app-handlers';
import { dispatch, type HandlerTable } from '../ipc/router';
import { startAppServices, type AppServices } from './services';
import { startTestApp, testFacts, type TestApp } from './testing/app';
import { askRouter, signCall } from './testing/sign';

const MEP = 60;
let app: TestApp;
let provider: JsonRpcProvider;
let fresh: { services: AppServices; table: HandlerTable; dir: string } | undefined;

beforeAll(async () => {
  app = await startTestApp({ devnet: { minExitPeriod: MEP } });
  provider = devnetProvider(app.devnet.profile.rpcUrl);
}, 240_000);
afterAll(async () => {
  provider?.destroy();
  if (fresh) {
    await fresh.services.stop();
    rmSync(fresh.dir, { recursive: true, force: true });
  }
  await app?.dispose();
});

const ask = askRouter;

const KEY = (): Hex => app.devnet.devKeys[4]!;
const OWNER = (): Address => normalizeAddress(new Wallet(KEY()).address);

async function sendAs(table: HandlerTable, c: UnsignedCall): Promise<bigint> {
  const raw = await signCall(table, KEY(), c);
  const { hash } = await ask(table, 'eth.send', { raw });
  const receipt = await provider.waitForTransaction(hash, 1, 60_000);
  expect(receipt?.status).toBe(1);
  return receipt!.gasUsed * receipt!.gasPrice;
}

describe('exit proof bundle on a real devnet', () => {
  it('exits with an imported bundle after the operator is gone, on a fresh store', async () => {
    const amount = 2n * 10n ** 17n;
    const deposit = await fundedOutput(app.devnet, KEY(), amount);
    const included = await submit(
      app.devnet,
      payment(app.devnet, [deposit], [[OWNER(), amount - FEE]], [KEY()]),
    );
    const utxoPos = encodeUtxoPos({
      blknum: included.blknum,
      txindex: BigInt(included.txindex),
      oindex: 0n,
    }).toString();
    await until('the watcher to validate the payment', async () =>
      (await ask(app.table, 'chain.account', { address: OWNER() })).utxos.some(
        (u) => u.utxoPos === utxoPos,
      ),
    );
    const exported = await ask(app.table, 'exit.bundle.export', { address: OWNER() });
    expect(exported.entries).toBe(1);

    // The operator's API goes away; a fresh wallet on the same chain cannot get any block.
    await app.devnet.server.close();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-fresh-'));
    const services = await startAppServices({
      dataDir: dir,
      launchDevnet: () => Promise.resolve({ profile: app.devnet.profile, stop: async () => {} }),
      recoverer: createNativeRecoverer(),
    });
    fresh = { services, dir, table: createHandlerTable(testFacts(dir), services.handlers) };
    const table = fresh.table;
    const before = await dispatch(table, 'exit.data', { utxoPos });
    expect(before.ok ? 'served' : before.error.code).toBe('exit_data_unavailable');

    const tampered = JSON.parse(exported.json) as { entries: { proof: string }[] };
    tampered.entries[0]!.proof = `0x${'00'.repeat(512)}`;
    const refused = await ask(table, 'exit.bundle.import', { json: JSON.stringify(tampered) });
    expect(refused.accepted).toEqual([]);
    expect(refused.rejected).toEqual([{ entry: utxoPos, reason: expect.stringMatching(/proof/) }]);
    const report = await ask(table, 'exit.bundle.import', { json: exported.json });
    expect(report).toEqual({ accepted: [utxoPos], rejected: [] });

    const data = await ask(table, 'exit.data', { utxoPos });
    expect(data.amount).toBe((amount - FEE).toString());
    for (const c of data.calls) await sendAs(table, c);
    const started = await until('the exit on chain', async () =>
      (await ask(table, 'exit.list', { address: OWNER() })).find((e) => e.utxoPos === utxoPos),
    );

    {
      await increaseTime(provider, 2 * MEP + 1);
      const exitable = await until('the exit to become exitable', async () => {
        const e = (await ask(table, 'exit.list', { address: OWNER() })).find(
          (x) => x.exitId === started.exitId,
        );
        return e?.state === 'exitable' ? e : undefined;
      });
      const balance = await provider.getBalance(OWNER());
      const process = await ask(table, 'exit.processCall', {
        token: ETH_TOKEN,
        maxExits: (exitable.exitsBefore ?? 0) + 1,
      });
      const gas = await sendAs(table, process);
      const after = await provider.getBalance(OWNER());
      expect(after - balance + gas).toBe(amount - FEE + BigInt(data.bond));
    }
  });
});
