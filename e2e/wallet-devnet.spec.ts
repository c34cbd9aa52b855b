// The wallet end to end on a real local devnet with the real main-side services (support/app.ts):
// create a wallet, deposit ETH and the test ERC20, pay a second account, see both balances and
// histories; import the same phrase elsewhere and find the same accounts; a wrong password; an
// invalid address; an amount above the balance; a cheat makes the chain invalid and Send is refused
// with the banner. Every IPC message is recorded and scanned for the password and the phrase.
import { test, expect, type Page } from '@playwright/test';
import { Contract, JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { existsSync } from 'node:fs';
import { installBridge, type BridgeLog } from './support/bridge';
import { bridgeRealServices, startRealServices, type RealServices } from './support/app';
import { findSecrets } from './support/secrets';
import { saveScreen } from './support/screens';
import { serveDirectory, type StaticServer } from './support/static-server';
import {
  createWallet,
  expectHome,
  importPhrase,
  lockAndUnlock,
  openScreen as screen,
} from './flows/wallet';

test.describe.configure({ mode: 'serial' });

let server: StaticServer;
let app: RealServices;
const PASSWORD = 'devnet wallet password';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  server = await serveDirectory('out/renderer');
  app = await startRealServices();
});
test.afterAll(async () => {
  await server?.close();
  await app?.dispose();
});

/** Presses Refresh on Home until `check` passes (balances change as Ethereum and the chain move). */
async function homeUntil(page: Page, check: () => Promise<void>, timeout = 60_000) {
  await screen(page, 'Home');
  await expect(async () => {
    await page.getByRole('button', { name: /^Refresh/ }).click();
    await check();
  }).toPass({ timeout, intervals: [500, 1000, 2000] });
}

/** Gives the new wallet's address ETH and VTT on Ethereum from one of anvil's funded dev keys. */
async function fund(address: string) {
  const provider = new JsonRpcProvider(app.devnet.profile.rpcUrl, undefined, {
    cacheTimeout: -1,
    batchMaxCount: 1,
  });
  const funder = new Wallet(app.devnet.devKeys[3]!, provider);
  await (await funder.sendTransaction({ to: address, value: parseEther('10') })).wait();
  const vtt = new Contract(
    app.devnet.profile.tokens[0]!.address,
    ['function transfer(address to, uint256 amount) returns (bool)'],
    funder,
  );
  await (
    (await vtt.getFunction('transfer')(address, parseEther('500'))) as { wait(): Promise<unknown> }
  ).wait();
  provider.destroy();
}

let phrase: string[] = [];
/** The first installation's two accounts, lowercase. */
let accounts: string[] = [];
let log: BridgeLog;

test('create a wallet, deposit ETH and VTT, pay a second account, see both sides', async ({
  page,
}) => {
  test.setTimeout(300_000);
  log = await bridgeRealServices(page, app);
  await page.goto(server.url);

  await test.step('create the wallet', async () => {
    phrase = await createWallet(page, PASSWORD);
    await expect(page.getByTestId('chain-status')).toContainText('Chain valid', {
      timeout: 60_000,
    });
  });

  const alice = (await page.getByRole('combobox', { name: 'Account' }).inputValue()).toLowerCase();
  await fund(alice);
  await homeUntil(page, async () => {
    await expect(page.getByTestId('balance-ETH')).toContainText('10 ETH', { timeout: 1000 });
    await expect(page.getByTestId('balance-VTT')).toContainText('500 VTT', { timeout: 1000 });
  });

  await test.step('deposit ETH, then VTT (approve, deposit), each until spendable', async () => {
    await screen(page, 'Deposit');
    await page.getByLabel('Token').selectOption({ index: 0 });
    await page.getByLabel('Amount to deposit').fill('2');
    await page.getByRole('button', { name: 'Sign and deposit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Deposit complete' })).toBeVisible({
      timeout: 90_000,
    });
    await page.getByRole('button', { name: 'Clear' }).click();
    const vttOption = await page.getByRole('option', { name: /^VTT/ }).textContent();
    await page.getByLabel('Token').selectOption({ label: vttOption! });
    await page.getByLabel('Amount to deposit').fill('100');
    await page.getByRole('button', { name: 'Sign and deposit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Deposit complete' })).toBeVisible({
      timeout: 90_000,
    });
    await expect(
      page.getByRole('list', { name: 'Deposit steps' }).getByRole('listitem'),
    ).toHaveCount(2);
    await saveScreen(page, 'devnet-deposit');
  });

  await homeUntil(page, async () => {
    await expect(page.getByTestId('balance-ETH')).toContainText('2 ETH', { timeout: 1000 });
    await expect(page.getByTestId('balance-VTT')).toContainText('100 VTT', { timeout: 1000 });
  });

  await test.step('a second account from the same phrase', async () => {
    await screen(page, 'Accounts');
    await page.getByRole('button', { name: 'Add an account from the recovery phrase' }).click();
    await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row')).toHaveCount(3);
  });
  const bob = await page
    .getByRole('table', { name: 'Accounts' })
    .getByRole('code')
    .nth(1)
    .textContent();
  accounts = [alice, bob!.toLowerCase()];

  await test.step('send: invalid address and amount above balance refused, then a payment', async () => {
    await screen(page, 'Send');
    await page.getByLabel('Recipient address').fill('0x1234');
    await page.getByLabel('Amount').fill('0.5');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByRole('alert')).toContainText('not an Ethereum address');
    await page.getByLabel('Recipient address').fill(bob!);
    await page.getByLabel('Amount').fill('5');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByRole('alert')).toContainText('Not enough funds');
    await page.getByLabel('Amount').fill('0.5');
    await page.getByLabel('Note (optional, public, up to 32 bytes)').fill('for bob');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(
      page.getByRole('definition').filter({ hasText: `0.5 ETH to ${bob!.toLowerCase()}` }),
    ).toBeVisible();
    await saveScreen(page, 'devnet-send-review');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'accepted by the operator' }),
    ).toBeVisible({ timeout: 30_000 });
  });

  await homeUntil(page, async () => {
    await expect(page.getByTestId('balance-ETH')).toContainText('1.499999999 ETH', {
      timeout: 1000,
    });
    await expect(page.getByRole('list', { name: 'Pending payments' })).toHaveCount(0);
  });
  await screen(page, 'History');
  await expect(page.getByRole('row').filter({ hasText: 'Sent' })).toContainText('for bob', {
    timeout: 15_000,
  });
  await expect(page.getByRole('row').filter({ hasText: 'Deposit' })).toHaveCount(2);

  await test.step('merge two ETH outputs into one: free, accepted by the operator', async () => {
    await screen(page, 'Deposit');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Token').selectOption({ index: 0 });
    await page.getByLabel('Amount to deposit').fill('0.5');
    await page.getByRole('button', { name: 'Sign and deposit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Deposit complete' })).toBeVisible({
      timeout: 90_000,
    });
    await homeUntil(page, async () => {
      await expect(page.getByRole('table', { name: 'Outputs' }).getByRole('row')).toHaveCount(4, {
        timeout: 1000,
      });
    });
    await screen(page, 'Merge');
    await page.getByRole('checkbox', { name: /ETH/ }).nth(0).check();
    await page.getByRole('checkbox', { name: /ETH/ }).nth(1).check();
    await page.getByRole('button', { name: 'Review merge' }).click();
    await expect(
      page.getByRole('definition').filter({ hasText: '1.999999999 ETH to' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Sign and merge' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Merge accepted' })).toBeVisible({
      timeout: 30_000,
    });
    await homeUntil(page, async () => {
      await expect(page.getByRole('table', { name: 'Outputs' }).getByRole('row')).toHaveCount(3, {
        timeout: 1000,
      });
      await expect(page.getByTestId('balance-ETH')).toContainText('1.999999999 ETH', {
        timeout: 1000,
      });
    });
  });

  await test.step("the second account's side", async () => {
    await page.getByRole('combobox', { name: 'Account' }).selectOption({ index: 1 });
    await homeUntil(page, async () => {
      await expect(page.getByTestId('balance-ETH')).toContainText('0.5 ETH', { timeout: 1000 });
    });
    await screen(page, 'History');
    await page.getByLabel('Search').fill('for bob');
    await expect(page.getByRole('row').filter({ hasText: 'Received' })).toContainText(alice, {
      timeout: 15_000,
    });
    await saveScreen(page, 'devnet-history');
  });

  await test.step('a wrong password says so and changes nothing', async () => {
    await lockAndUnlock(page, PASSWORD);
  });
});

test('import the same phrase elsewhere: the same accounts', async ({ page }) => {
  test.setTimeout(120_000);
  // Another installation: its own (empty) vault file, the same network.
  let blob: string | null = null;
  const elsewhere = await installBridge(
    page,
    {
      ...app.table,
      'vault.load': () => ({ blob }),
      'vault.save': (p) => {
        blob = (p as { blob: string }).blob;
        return { savedAt: Date.now() };
      },
    },
    { events: app.services.events, dispatch: app.dispatch },
  );
  await page.goto(server.url);
  await importPhrase(page, phrase.join(' '), PASSWORD);
  await screen(page, 'Accounts');
  await page.getByRole('button', { name: 'Add an account from the recovery phrase' }).click();
  const here = page.getByRole('table', { name: 'Accounts' }).getByRole('code');
  await expect(here).toHaveCount(2);
  expect((await here.allTextContents()).map((a) => a.toLowerCase())).toEqual(accounts);
  await homeUntil(page, async () => {
    await expect(page.getByTestId('balance-ETH')).toContainText('1.999999999 ETH', {
      timeout: 1000,
    });
  });
  expect(
    findSecrets(elsewhere.messages, { password: PASSWORD, mnemonic: phrase.join(' ') }),
  ).toEqual([]);
});

test('a cheat makes the chain invalid: the banner says what to do and Send is refused', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const cheatLog = await bridgeRealServices(page, app);
  await page.goto(server.url);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expectHome(page);
  await app.cheat('bad_signature');
  const banner = page.getByRole('alert', { name: 'The chain is not safe' });
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('chain-status')).toContainText('Chain INVALID');
  await saveScreen(page, 'devnet-invalid-banner');
  await screen(page, 'Send');
  await expect(page.getByTestId('send-refused')).toContainText('not safe');
  await page.getByLabel('Recipient address').fill(app.devnet.profile.authority);
  await page.getByLabel('Amount').fill('0.1');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('button', { name: 'Sign and send' })).toBeDisabled();
  await saveScreen(page, 'devnet-send-refused');
  // The whole run: no message in either direction carried the password or the phrase.
  for (const messages of [log.messages, cheatLog.messages])
    expect(findSecrets(messages, { password: PASSWORD, mnemonic: phrase.join(' ') })).toEqual([]);
});
