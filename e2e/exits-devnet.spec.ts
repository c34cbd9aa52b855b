// Exits end to end on a real local devnet with the real main-side services (support/app.ts): the
// operator starts an invalid exit of an output it already spent, the watcher raises invalid_exit,
// the user challenges it from the alert with a renderer-signed transaction relayed by main, the exit
// is gone on chain and its bond arrives in the user's Ethereum account to the wei (minus the gas);
// left alone past the SLA margin first, it is also reported as unchallenged_exit.
import { test, expect } from '@playwright/test';
import {
  HDNodeWallet,
  Interface,
  JsonRpcProvider,
  Wallet,
  parseEther,
  type TransactionRequest,
} from 'ethers';
import type * as Contracts from '../src/plasma/contracts';
import type { BridgeLog } from './support/bridge';
import { bridgeRealServices, type RealServices } from './support/app';
import { saveScreen } from './support/screens';
import type { StaticServer } from './support/static-server';
import { startDevnetApp, stopDevnetApp } from './support/devnet-app';
import {
  expectHome,
  expectOutputsToExit,
  importPhrase,
  openScreen as screen,
} from './flows/wallet';

test.describe.configure({ mode: 'serial' });

let server: StaticServer;
let app: RealServices;
let provider: JsonRpcProvider;
// The encoders are loaded through tsx: Playwright's loader cannot import their ABI JSON files.
let c: typeof Contracts;
const PASSWORD = 'devnet exit password';
/** A fixed phrase, so the account (and the screenshots) are the same on every run. */
const PHRASE =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ({ server, app, provider, c } = await startDevnetApp());
});
test.afterAll(async () => {
  await stopDevnetApp({ server, app, provider });
});

async function mine(blocks: number) {
  for (let i = 0; i < blocks; i++) await provider.send('evm_mine', []);
}

test('an invalid exit: alert, challenge from the alert, the exit is gone and the bond arrives', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await bridgeRealServices(page, app);
  await page.goto(server.url);
  await importPhrase(page, PHRASE, PASSWORD);
  // The same key the wallet derived, for the test's own deposits.
  expect((await page.getByRole('combobox', { name: 'Account' }).inputValue()).toLowerCase()).toBe(
    HDNodeWallet.fromPhrase(PHRASE).address.toLowerCase(),
  );
  await expect(page.getByTestId('chain-status')).toContainText('Chain valid', { timeout: 60_000 });
  const me = (await page.getByRole('combobox', { name: 'Account' }).inputValue()).toLowerCase();
  const funder = new Wallet(app.devnet.devKeys[4]!, provider);
  await (await funder.sendTransaction({ to: me, value: parseEther('1') })).wait();

  await app.cheat('invalid_exit');
  // The exit must be buried under the watcher's exit finality before it is judged.
  await mine(app.devnet.profile.finality.exits + 1);
  const challenge = page.getByRole('button', { name: /Challenge this exit/ });
  await expect(challenge).toBeVisible({ timeout: 90_000 });
  await expect(challenge).toHaveText(/you receive its [\d.]+ ETH bond/, { timeout: 30_000 });
  // Left alone past the SLA margin (Ethereum blocks), it also becomes unchallenged_exit; the alert
  // still offers one challenge for that one exit.
  await mine(app.devnet.profile.minExitPeriod);
  await expect
    .poll(
      async () =>
        ((await app.table['chain.snapshot']({})) as { events: { kind: string }[] }).events.map(
          (e) => e.kind,
        ),
      { timeout: 60_000 },
    )
    .toContain('unchallenged_exit');
  await expect(challenge).toHaveCount(1);
  await screen(page, 'Exits');
  await expect(page.getByRole('list', { name: 'Deadlines' })).toContainText('Challenge the exit');
  await saveScreen(page, 'devnet-invalid-exit');

  const { paymentExitGame } = app.devnet.profile.contracts;
  const bond = c.decodeUintResult(
    await provider.call(c.startStandardExitBondSizeCall(paymentExitGame)),
  );
  const before = await provider.getBalance(me);
  await challenge.click();
  await expect(page.getByRole('status').filter({ hasText: 'challenged' })).toBeVisible({
    timeout: 90_000,
  });
  const sent = await page
    .getByText(/^Sent 0x/)
    .first()
    .textContent();
  const hash = /0x[0-9a-f]{64}/.exec(sent ?? '')![0];
  const receipt = (await provider.getTransactionReceipt(hash))!;
  expect(receipt.status).toBe(1);
  expect(receipt.from.toLowerCase()).toBe(me);
  const gas = receipt.gasUsed * receipt.gasPrice;
  expect(await provider.getBalance(me)).toBe(before + bond - gas);

  // The exit is gone on chain: its ExitChallenged is logged and its record is cleared.
  const [log] = await provider.getLogs({
    address: paymentExitGame,
    topics: [c.paymentExitGameInterface.getEvent('ExitChallenged')!.topicHash],
    fromBlock: receipt.blockNumber,
    toBlock: receipt.blockNumber,
  });
  expect(log).toBeDefined();
  // The alert goes once the watcher sees the challenge under its exit finality.
  await mine(app.devnet.profile.finality.exits + 1);
  await expect(challenge).toHaveCount(0, { timeout: 90_000 });
});

/** The ETH the account paid in gas for the transactions the renderer sent through eth.send. */
async function gasOfSends(log: BridgeLog): Promise<bigint> {
  let total = 0n;
  for (const m of log.messages) {
    if (m.direction !== 'response' || m.method !== 'eth.send') continue;
    const response = m.response as { ok: boolean; value?: { hash: string } };
    if (!response.ok) continue;
    const receipt = (await provider.getTransactionReceipt(response.value!.hash))!;
    total += receipt.gasUsed * receipt.gasPrice;
  }
  return total;
}

test('a withheld block: safe mode, exit everything, process; ETH and VTT back on Ethereum to the wei', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const log = await bridgeRealServices(page, app);
  await page.goto(server.url);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expectHome(page);

  // Deposits made outside the app with the same key: ETH, and VTT (approve, deposit).
  const { contracts, minExitPeriod } = app.devnet.profile;
  const vtt = app.devnet.profile.tokens[0]!.address.toLowerCase();
  const user = HDNodeWallet.fromPhrase(PHRASE).connect(provider);
  const me = user.address.toLowerCase();
  const funder = new Wallet(app.devnet.devKeys[4]!, provider);
  const send = async (from: Wallet | HDNodeWallet, r: TransactionRequest) =>
    expect((await (await from.sendTransaction(r)).wait())!.status).toBe(1);
  await send(funder, {
    to: vtt,
    data: new Interface(['function transfer(address to, uint256 amount)']).encodeFunctionData(
      'transfer',
      [me, parseEther('300')],
    ),
  });
  const ethIn = parseEther('0.25');
  const vttIn = parseEther('120');
  await send(user, {
    ...c.depositTxRequest(contracts, { owner: me, token: '0x' + '0'.repeat(40), amount: ethIn }),
  });
  await send(user, c.erc20ApproveTx(vtt, contracts.erc20Vault, vttIn));
  await send(user, c.depositTxRequest(contracts, { owner: me, token: vtt, amount: vttIn }));
  await mine(app.devnet.profile.finality.deposits + 1);
  await expectOutputsToExit(page, 2);

  const ethBefore = await provider.getBalance(me);
  const vttBefore = c.decodeUintResult(await provider.call(c.erc20BalanceOfCall(vtt, me)));

  await app.cheat('withhold_block');
  await expect(page.getByRole('heading', { name: 'Safe mode: exits only' })).toBeVisible({
    timeout: 90_000,
  });
  await screen(page, 'Deposit');
  await expect(page.getByRole('alert').filter({ hasText: 'Safe mode' })).toBeVisible();
  await screen(page, 'Exits');
  await page.getByRole('button', { name: 'Plan exit everything' }).click();
  await expect(page.getByTestId('plan-summary')).toContainText('2 exits to start', {
    timeout: 30_000,
  });
  await saveScreen(page, 'devnet-exit-everything');
  await page.getByRole('button', { name: 'Sign and start all exits' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 exits sent' })).toBeVisible({
    timeout: 90_000,
  });

  // Past the exit period on Ethereum's clock, both exits can be processed, one per token.
  await mine(app.devnet.profile.finality.exits + 1);
  await provider.send('evm_increaseTime', [minExitPeriod + 1]);
  await mine(1);
  const exits = page.getByRole('table', { name: 'Exits' });
  const process = exits.getByRole('button', { name: /^Process exits of output/ });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh exits' }).click();
    await expect(process.and(page.locator(':enabled'))).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 90_000, intervals: [500, 1000, 2000] });
  for (let i = 0; i < 2; i++) {
    await process.first().click();
    await expect(page.getByRole('status').filter({ hasText: 'Exits processed' })).toBeVisible({
      timeout: 90_000,
    });
    await mine(app.devnet.profile.finality.exits + 1);
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh exits' }).click();
      await expect(exits.getByText('processed: paid out')).toHaveCount(i + 1, { timeout: 1000 });
    }).toPass({ timeout: 90_000, intervals: [500, 1000, 2000] });
  }
  await saveScreen(page, 'devnet-exits-processed');

  // Every wei: the deposits back, the bonds returned, only the gas of what the app sent is gone.
  const gas = await gasOfSends(log);
  expect(await provider.getBalance(me)).toBe(ethBefore + ethIn - gas);
  expect(c.decodeUintResult(await provider.call(c.erc20BalanceOfCall(vtt, me)))).toBe(
    vttBefore + vttIn,
  );
});
