// Scenario 4 on a real devnet: export the exit proof bundle, stop the operator (its API is gone), start
// a fresh profile of Vigil on the same Ethereum, import the bundle, exit from it, process: the money
// arrives on Ethereum to the wei minus the gas of the app's transactions.
import { test, expect } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, parseEther, Wallet } from 'ethers';
import type * as Contracts from '../src/plasma/contracts';
import { bridgeRealServices, startRealServices, type RealServices } from './support/app';
import { saveScreen } from './support/screens';
import type { StaticServer } from './support/static-server';
import { startDevnetApp, stopDevnetApp } from './support/devnet-app';
import { importPhrase, openScreen as screen } from './flows/wallet';

let server: StaticServer;
let app: RealServices;
let fresh: RealServices | undefined;
let provider: JsonRpcProvider;
let c: typeof Contracts;
const PASSWORD = 'devnet bundle password';
const PHRASE = 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ({ server, app, provider, c } = await startDevnetApp());
});
test.afterAll(async () => {
  await fresh?.dispose();
  await stopDevnetApp({ server, app, provider });
});

test('export the proofs, lose the operator, import them in a fresh profile, exit and process', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const user = HDNodeWallet.fromPhrase(PHRASE).connect(provider);
  const me = user.address.toLowerCase();
  const { contracts, minExitPeriod, finality } = app.devnet.profile;
  const funder = new Wallet(app.devnet.devKeys[7]!, provider);
  await (await funder.sendTransaction({ to: me, value: parseEther('1') })).wait();
  const amount = parseEther('0.3');
  await (
    await user.sendTransaction(
      c.depositTxRequest(contracts, { owner: me, token: '0x' + '0'.repeat(40), amount }),
    )
  ).wait();
  for (let i = 0; i <= finality.deposits; i++) await provider.send('evm_mine', []);

  const first = await browser.newPage();
  await bridgeRealServices(first, app);
  await first.goto(server.url);
  await importPhrase(first, PHRASE, PASSWORD);
  const bundle = first.getByRole('textbox', { name: /^Exit proof bundle/ });
  await expect(async () => {
    await screen(first, 'Home');
    await screen(first, 'Exits');
    await first.getByRole('button', { name: 'Export exit proofs' }).click();
    await expect(
      first.getByRole('textbox', { name: /^Exit proof bundle \(1 output\)/ }),
    ).toBeVisible({
      timeout: 1000,
    });
  }).toPass({ timeout: 90_000, intervals: [500, 1000, 2000] });
  const json = await bundle.inputValue();
  await first.close();

  // The operator is gone: no blocks, no API.
  await app.devnet.operator.stop();
  await app.devnet.server.close();

  fresh = await startRealServices({
    services: {
      launchDevnet: async () => ({ profile: app.devnet.profile, stop: async () => undefined }),
    },
  });
  const page = await browser.newPage();
  await bridgeRealServices(page, fresh);
  await page.goto(server.url);
  await importPhrase(page, PHRASE, PASSWORD);
  await screen(page, 'Exits');
  await page.getByRole('textbox', { name: 'Paste an exit proof bundle to import' }).fill(json);
  await page.getByRole('button', { name: 'Check and import' }).click();
  const imported = page.getByRole('list', { name: 'Imported outputs' }).getByRole('listitem');
  await expect(imported).toHaveCount(1, { timeout: 30_000 });
  await saveScreen(page, 'devnet-bundle-imported');
  await imported.getByRole('button').click();
  const review = page.getByRole('region', { name: 'Exit review' });
  await expect(review).toBeVisible({ timeout: 30_000 });
  const before = await provider.getBalance(me);
  const hashes: string[] = [];
  await review.getByRole('button', { name: 'Sign and start the exit' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The exit started' })).toBeVisible({
    timeout: 90_000,
  });
  hashes.push(...(await page.getByText(/^Sent 0x/).allTextContents()));

  for (let i = 0; i <= finality.exits; i++) await provider.send('evm_mine', []);
  await provider.send('evm_increaseTime', [minExitPeriod + 1]);
  await provider.send('evm_mine', []);
  const process = page.getByRole('button', { name: /^Process exits of output/ });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh exits' }).click();
    await expect(process).toBeEnabled({ timeout: 1000 });
  }).toPass({ timeout: 90_000, intervals: [500, 1000, 2000] });
  await process.click();
  await expect(page.getByRole('status').filter({ hasText: 'Exits processed' })).toBeVisible({
    timeout: 90_000,
  });
  hashes.push(...(await page.getByText(/^Sent 0x/).allTextContents()));

  let gas = 0n;
  for (const text of hashes) {
    const receipt = (await provider.getTransactionReceipt(/0x[0-9a-f]{64}/.exec(text)![0]))!;
    expect(receipt.status).toBe(1);
    gas += receipt.gasUsed * receipt.gasPrice;
  }
  expect(hashes).toHaveLength(2);
  expect(await provider.getBalance(me)).toBe(before + amount - gas);
  await page.close();
});
