// Exits end to end on a real local devnet with the real main-side services (support/app.ts): the
// operator starts an invalid exit of an output it already spent, the watcher raises invalid_exit,
// the user challenges it from the alert with a renderer-signed transaction relayed by main, the exit
// is gone on chain and its bond arrives in the user's Ethereum account to the wei (minus the gas).
import { test, expect } from '@playwright/test';
import { JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { existsSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type * as Contracts from '../src/plasma/contracts';
import { bridgeRealServices, startRealServices, type RealServices } from './support/app';
import { saveScreen } from './support/screens';
import { serveDirectory, type StaticServer } from './support/static-server';
import { importPhrase, openScreen as screen } from './flows/wallet';

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
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  c = (await tsImport('../src/plasma/contracts.ts', import.meta.url)) as typeof Contracts;
  server = await serveDirectory('out/renderer');
  app = await startRealServices();
  provider = new JsonRpcProvider(app.devnet.profile.rpcUrl, undefined, {
    cacheTimeout: -1,
    batchMaxCount: 1,
  });
});
test.afterAll(async () => {
  provider?.destroy();
  await server?.close();
  await app?.dispose();
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
