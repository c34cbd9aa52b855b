// Every wallet screen in Chromium, driven through a scripted main process (fakes/scripted-wallet):
// create and confirm a wallet, balances, send with its refusals and review, deposit, merge,
// history search, accounts, settings, lock and unlock, and Send refused while the chain is invalid.
// A screenshot of each screen is saved for review (see e2e/support/screens.ts).
import { test, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createHandlerTable } from '../src/main/ipc/app-handlers';
import { installBridge } from './support/bridge';
import { saveScreen } from './support/screens';
import { serveDirectory, type StaticServer } from './support/static-server';
import { ETH, scriptedChain } from './fakes/scripted-wallet';
import { hexToBytes } from '../src/plasma/hex';
import { decodeSigned } from '../src/plasma/tx';
import type { Hex } from '../src/plasma/types';
import {
  answerWords,
  createWalletPhrase,
  expectHome,
  importPhrase,
  lockAndUnlock,
  openScreen as screen,
} from './flows/wallet';

let server: StaticServer;

test.beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  server = await serveDirectory('out/renderer');
});
test.afterAll(async () => server?.close());

const facts = {
  appVersion: '0.1.0',
  electronVersion: null,
  chromeVersion: null,
  nodeVersion: process.versions.node,
  platform: process.platform,
  arch: process.arch,
  dataDirectory: '/home/user/.config/Vigil',
};
const PASSWORD = 'a long wallet password';
const DEV_PHRASE = 'test test test test test test test test test test test junk';
const DEV_ACCOUNT0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

const shot = saveScreen;

async function open(page: Page, chain: ReturnType<typeof scriptedChain>) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The strict CSP stays intact: no screen needs an inline style or script.
  page.on('console', (m) => {
    if (/Refused to .*Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  const log = await installBridge(page, createHandlerTable(facts, chain.handlers));
  await page.goto(server.url);
  return { errors, log };
}

test('create a wallet, confirm the phrase, and use every screen', async ({ page }) => {
  test.setTimeout(120_000);
  const chain = scriptedChain();
  const { errors, log } = await open(page, chain);

  await test.step('onboarding: create, phrase shown once, words confirmed', async () => {
    await expect(page.getByRole('heading', { name: 'Set up your wallet' })).toBeVisible();
    await shot(page, 'onboarding');
    await page.getByLabel('New password for this wallet').fill(PASSWORD);
    await page.getByLabel('Repeat the password').fill(PASSWORD + 'x');
    await page.getByRole('button', { name: 'Create wallet' }).click();
    await expect(page.getByRole('alert')).toContainText('The two passwords differ');
    const phrase = await createWalletPhrase(page, PASSWORD);
    expect(chain.state.blob).toBeNull(); // nothing saved before the phrase is confirmed
    await shot(page, 'onboarding-phrase');
    await page.getByRole('button', { name: 'I wrote them down' }).click();
    const asked = page.getByLabel(/^Word \d+$/);
    await expect(asked).toHaveCount(3);
    for (let i = 0; i < 3; i++) await asked.nth(i).fill('wrong');
    await page.getByRole('button', { name: 'Confirm and save' }).click();
    await expect(page.getByRole('alert')).toContainText('do not match');
    await answerWords(page, phrase);
    await shot(page, 'onboarding-confirm');
    await page.getByRole('button', { name: 'Confirm and save' }).click();
    await expectHome(page);
    expect(chain.state.blob).toContain('aes-256-gcm');
    for (const word of new Set(phrase))
      expect(chain.state.blob).not.toMatch(new RegExp(`\\b${word}\\b`));
  });

  await test.step('home: both chains side by side, outputs, plain-words status', async () => {
    const eth = page.getByTestId('balance-ETH');
    await expect(eth).toContainText('2.5 ETH');
    await expect(eth).toContainText('9,997 ETH');
    await expect(page.getByTestId('balance-VTT')).toContainText('250 VTT');
    await expect(page.getByTestId('balance-VTT')).toContainText('1,000 VTT');
    await expect(page.getByRole('table', { name: 'Outputs' }).getByRole('row')).toHaveCount(4);
    await expect(page.getByText('block 1001, tx 0, output 0')).toBeVisible();
    await expect(page.getByTestId('chain-status')).toContainText('Chain valid');
    await shot(page, 'home');
  });

  await test.step('send: invalid address, amount above balance, review, sign, pending', async () => {
    await screen(page, 'Send');
    await page.getByLabel('Recipient address').fill(BOB.replace('C51812', 'c51812'));
    await page.getByLabel('Amount').fill('1');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByRole('alert')).toContainText('wrong checksum');
    await shot(page, 'send-invalid-address');
    await page.getByLabel('Recipient address').fill(BOB);
    await page.getByLabel('Amount').fill('3');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByRole('alert')).toContainText('Not enough funds');
    await expect(page.getByRole('alert')).toContainText('0.500001 ETH more is needed');
    await page.getByLabel('Amount').fill('1.25');
    await page.getByLabel('Note (optional, public, up to 32 bytes)').fill('rent');
    await page.getByRole('button', { name: 'Review' }).click();
    const review = page.getByRole('definition');
    await expect(page.getByRole('heading', { name: 'Review the payment' })).toBeVisible();
    await expect(review.filter({ hasText: '2 ETH from output 1001000000000' })).toBeVisible();
    await expect(review.filter({ hasText: `1.25 ETH to ${BOB.toLowerCase()}` })).toBeVisible();
    await expect(review.filter({ hasText: '0.749999 ETH' })).toHaveCount(2); // change output + change
    await expect(review.filter({ hasText: '0.000001 ETH' })).toBeVisible();
    await shot(page, 'send-review');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: 'accepted by the operator' }),
    ).toBeVisible();
    expect(chain.state.submitted).toHaveLength(1);
    expect(chain.state.submitted[0]).toMatch(/^0x[0-9a-f]+$/);
    await screen(page, 'Home');
    await expect(page.getByRole('list', { name: 'Pending payments' })).toContainText(
      `Sent 1.25 ETH to ${BOB}`,
    );
    await shot(page, 'home-pending');
    // Block 4000 validated: the pending payment goes away.
    chain.state.snapshot = {
      ...chain.state.snapshot,
      lastValidatedBlock: '4000',
      lastMinedBlock: '4000',
    };
    await expect(page.getByRole('list', { name: 'Pending payments' })).toHaveCount(0, {
      timeout: 15_000,
    });
  });

  await test.step('deposit: an ERC20 with approve, followed until spendable', async () => {
    await screen(page, 'Deposit');
    await page.getByLabel('Token').selectOption({ label: 'VTT (1,000 VTT on Ethereum)' });
    await page.getByLabel('Amount to deposit').fill('2000');
    await page.getByRole('button', { name: 'Sign and deposit' }).click();
    await expect(page.getByRole('alert')).toContainText('deposit at most that');
    await page.getByLabel('Amount to deposit').fill('10');
    await page.getByRole('button', { name: 'Sign and deposit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Deposit complete' })).toBeVisible({
      timeout: 20_000,
    });
    await expect(
      page.getByRole('list', { name: 'Deposit steps' }).getByRole('listitem'),
    ).toHaveCount(2);
    await shot(page, 'deposit');
  });

  await test.step('merge, history search, accounts, settings', async () => {
    await screen(page, 'Merge');
    await page.getByRole('checkbox').nth(0).check();
    await page.getByRole('checkbox').nth(1).check();
    await page.getByRole('button', { name: 'Review merge' }).click();
    await expect(page.getByRole('definition').filter({ hasText: '2.5 ETH to' })).toBeVisible();
    await shot(page, 'merge');

    await screen(page, 'History');
    await expect(page.getByRole('table', { name: 'Transactions' }).getByRole('row')).toHaveCount(3);
    await page.getByLabel('Search').fill('lunch');
    await expect(page.getByRole('table', { name: 'Transactions' }).getByRole('row')).toHaveCount(2);
    await expect(page.getByRole('cell', { name: 'lunch money' })).toBeVisible();
    await shot(page, 'history');

    await screen(page, 'Accounts');
    await page.getByRole('button', { name: 'Add an account from the recovery phrase' }).click();
    await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row')).toHaveCount(3);
    await page.getByLabel('Name of Account 2').fill('Savings');
    await page.getByRole('button', { name: 'Rename' }).nth(1).click();
    await expect(page.getByLabel('Name of Savings')).toBeVisible();
    await page.getByLabel('Address to watch').fill('0x1234');
    await page.getByRole('button', { name: 'Watch address' }).click();
    await expect(page.getByRole('alert')).toContainText('not an Ethereum address');
    await page.getByLabel('Address to watch').fill(BOB);
    await page.getByLabel('Name', { exact: true }).fill('Bob');
    await page.getByRole('button', { name: 'Watch address' }).click();
    await expect(page.getByRole('cell', { name: 'watch-only' })).toBeVisible();
    await shot(page, 'accounts');
    // A watch-only account shows balances but cannot sign.
    await page.getByRole('button', { name: 'Use Bob' }).click();
    await screen(page, 'Send');
    await expect(page.getByRole('alert')).toContainText('watch-only');
    await page.getByRole('combobox', { name: 'Account' }).selectOption({ index: 0 });

    await screen(page, 'Settings');
    await expect(page.getByRole('radio', { name: 'Local devnet (chain 31337)' })).toBeChecked();
    await page.getByLabel('Lock after this many idle minutes (0 = never)').fill('5');
    await page.getByRole('button', { name: 'Save lock time' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    expect(chain.state.settings.idleLockMinutes).toBe(5);
    await page.getByRole('checkbox', { name: 'Desktop notifications for chain events' }).uncheck();
    await expect.poll(() => chain.state.settings.notifications).toBe(false);
    await page.getByText('Add a profile field by field').click();
    const form = page.getByRole('form', { name: 'New network profile' });
    await form.getByLabel('Network name').fill('Staging');
    await form.getByLabel('Ethereum chain id').fill('five');
    await form.getByRole('button', { name: 'Add network' }).click();
    await expect(page.getByRole('alert')).toContainText(
      'The profile was not added: chainId must be a number.',
    );
    await form.getByLabel('Ethereum chain id').fill('5');
    await form.getByRole('button', { name: 'Add network' }).click();
    await page.getByRole('radio', { name: 'Staging (chain 5)' }).check();
    await expect(
      page.getByRole('status').filter({ hasText: 'Now following Staging' }),
    ).toBeVisible();
    await page.getByLabel('Add a profile from a file').setInputFiles({
      name: 'testnet.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ name: 'From a file', chainId: 11155111 })),
    });
    await expect(page.getByRole('radio', { name: 'From a file (chain 11155111)' })).toBeVisible();
    await shot(page, 'settings');
  });

  await test.step('lock, a wrong password says so, the right one opens', async () => {
    await lockAndUnlock(page, PASSWORD, () => shot(page, 'unlock-wrong-password'));
    await expect(page.getByRole('combobox', { name: 'Account' }).getByRole('option')).toHaveCount(
      3,
    );
  });

  await test.step('an invalid chain: banner with the action, Send refused', async () => {
    chain.makeInvalid({
      id: 9,
      kind: 'invalid_block',
      description:
        'Block 5000 spends an output twice: the operator is cheating. Exit all your outputs now.',
      invalidating: true,
      details: { blknum: 5000 },
      firstSeenAt: Date.now(),
    });
    const banner = page.getByRole('alert', { name: 'The chain is not safe' });
    await expect(banner).toContainText('Exit all your outputs now', { timeout: 15_000 });
    await expect(page.getByTestId('chain-status')).toContainText('Chain INVALID');
    await screen(page, 'Send');
    await expect(page.getByTestId('send-refused')).toContainText('the operator is cheating');
    await page.getByLabel('Recipient address').fill(BOB);
    await page.getByLabel('Amount').fill('0.1');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByRole('button', { name: 'Sign and send' })).toBeDisabled();
    await shot(page, 'send-refused-invalid-chain');
  });

  // No request ever carried the password or a phrase.
  const wire = JSON.stringify(log.requests);
  expect(wire).not.toContain(PASSWORD);
  expect(errors).toEqual([]);
});

test('import a recovery phrase: the same accounts as anywhere else', async ({ page }) => {
  test.setTimeout(60_000);
  const chain = scriptedChain();
  await open(page, chain);
  await importPhrase(page, DEV_PHRASE, PASSWORD, () => shot(page, 'onboarding-import'));
  await screen(page, 'Accounts');
  await page.getByRole('button', { name: 'Add an account from the recovery phrase' }).click();
  const addresses = page.getByRole('table', { name: 'Accounts' }).getByRole('code');
  await expect(addresses).toHaveText([
    '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  ]);
});

test('the wallet locks itself after the idle time set in Settings', async ({ page }) => {
  test.setTimeout(60_000);
  const chain = scriptedChain();
  chain.state.settings.idleLockMinutes = 2;
  await page.clock.install();
  await open(page, chain);
  await importPhrase(page, DEV_PHRASE, PASSWORD);
  await page.clock.fastForward('01:30');
  await page.mouse.move(10, 10); // input restarts the countdown
  await page.clock.fastForward('01:30');
  await expect(page.getByRole('heading', { name: 'Balances' })).toBeVisible();
  await page.clock.fastForward('00:31');
  await expect(page.getByRole('heading', { name: 'Unlock your wallet' })).toBeVisible();
  await shot(page, 'unlock');
});

test('a payment needing more than 4 inputs proposes a free merge first', async ({ page }) => {
  test.setTimeout(60_000);
  const chain = scriptedChain();
  chain.state.utxoAmounts = Array.from({ length: 6 }, () => ({ token: ETH, amount: 10n ** 18n }));
  await open(page, chain);
  await importPhrase(page, DEV_PHRASE, PASSWORD);
  await screen(page, 'Send');
  await page.getByLabel('Recipient address').fill(BOB);
  await page.getByLabel('Amount').fill('5.5');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('heading', { name: 'Merge your outputs first' })).toBeVisible();
  await expect(page.getByText('This payment needs 6 inputs')).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^none$/ })).toHaveCount(2); // nothing to others, no fee
  await shot(page, 'send-merge-proposal');
  await page.getByRole('button', { name: 'Sign and merge' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Merge accepted' })).toBeVisible();
  expect(chain.state.submitted).toHaveLength(1);
  // What was signed is the reviewed merge: the 3 outputs that bring the payment down to 4 inputs,
  // into one output, nothing left as a fee.
  const { tx, sigs } = decodeSigned(hexToBytes(chain.state.submitted[0]! as Hex));
  expect(tx.inputs).toHaveLength(3);
  expect(sigs).toHaveLength(3);
  expect(tx.outputs).toEqual([
    expect.objectContaining({ outputGuard: DEV_ACCOUNT0, amount: 3n * 10n ** 18n }),
  ]);
});

test('hostile data from main fails one screen in words, not the window', async ({ page }) => {
  test.setTimeout(60_000);
  const chain = scriptedChain();
  const honest = chain.handlers['chain.account'];
  let hostile = false;
  (chain.handlers as Record<string, unknown>)['chain.account'] = (p: { address: string }) =>
    hostile
      ? { address: p.address, balances: [{ token: ETH, amount: 'a lot' }], utxos: [] }
      : honest(p);
  await open(page, chain);
  await importPhrase(page, DEV_PHRASE, PASSWORD);
  hostile = true;
  // Refresh fetches the hostile answer, unless a background refresh (a block validated just after
  // the import) got it first and the screen is already down.
  const refresh = page.getByRole('button', { name: 'Refresh' });
  await expect(async () => {
    if (await refresh.isVisible()) await refresh.click({ timeout: 1000 });
    await expect(page.getByRole('alert')).toContainText('This screen could not be shown', {
      timeout: 1000,
    });
  }).toPass({ timeout: 20_000, intervals: [250, 500, 1000] });
  await expect(page.getByRole('alert')).toContainText('is not a decimal integer');
  await expect(page.getByTestId('chain-status')).toContainText('Chain valid');
  await shot(page, 'screen-failed');
  // Main answers sensibly again and a new block is validated: the screen comes back.
  hostile = false;
  chain.state.snapshot = { ...chain.state.snapshot, lastValidatedBlock: '4000' };
  await expect(async () => {
    await page.getByRole('button', { name: 'Try again' }).click({ timeout: 1000 });
    await expect(page.getByTestId('balance-ETH')).toContainText('2.5 ETH', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
});
