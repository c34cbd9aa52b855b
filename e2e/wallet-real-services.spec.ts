// The wallet in Chromium against the REAL main-side services and a fresh devnet (support/app.ts):
// import anvil's well-known test phrase, see its funded account on both chains through the real
// handlers, watch a devnet cheat turn the chain invalid and Send refuse, and check that no IPC
// message of the whole run, in either direction, carried the password, the phrase or a private key.
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { HDNodeWallet, Mnemonic } from 'ethers';
import { bridgeRealServices, startRealServices, type RealServices } from './support/app';
import type { BridgeLog } from './support/bridge';
import { findSecrets } from './support/secrets';
import { serveDirectory, type StaticServer } from './support/static-server';

const PHRASE = 'test test test test test test test test test test test junk';
const PASSWORD = 'a real-services wallet password';

let server: StaticServer;
let app: RealServices;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  server = await serveDirectory('out/renderer');
  app = await startRealServices();
});
test.afterAll(async () => {
  await app?.dispose();
  await server?.close();
});

function derivedKeys(count: number): string[] {
  const mnemonic = Mnemonic.fromPhrase(PHRASE);
  return Array.from(
    { length: count },
    (_, i) => HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`).privateKey,
  );
}

test('import, balances from the real chain, a cheat refuses Send, and no secret crosses IPC', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const log: BridgeLog = await bridgeRealServices(page, app);
  await page.goto(server.url);

  await page.getByRole('radio', { name: 'Import a recovery phrase' }).check();
  await page.getByRole('textbox', { name: 'Recovery phrase' }).fill(PHRASE);
  await page.getByLabel('New password for this wallet').fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Import wallet' }).click();
  await expect(page.getByRole('heading', { name: 'Balances' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('balance-ETH')).toContainText('ETH', { timeout: 30_000 });
  await expect(page.getByTestId('chain-status')).toContainText('Chain valid', { timeout: 60_000 });
  expect(log.messages).toContainEqual(
    expect.objectContaining({ direction: 'request', method: 'vault.save' }),
  );

  await app.cheat('bad_signature');
  await expect(page.getByTestId('chain-status')).toContainText('Chain INVALID', {
    timeout: 60_000,
  });
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: 'Send' })
    .click();
  await expect(page.getByTestId('send-refused')).toContainText('cheating');

  expect(log.messages.filter((m) => m.direction === 'event').length).toBeGreaterThan(0);
  expect(
    findSecrets(log.messages, {
      password: PASSWORD,
      mnemonic: PHRASE,
      privateKeys: derivedKeys(5),
    }),
  ).toEqual([]);
  expect(errors).toEqual([]);
});
