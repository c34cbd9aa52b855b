// Scenario 2 on a real devnet: each kind of bad block the operator can make (and a withheld block)
// turns the app's safe mode on under the banner, and an exit started in safe mode succeeds on chain.
// The watcher stops at the first bad block, so each kind gets its own devnet and services (bad
// signatures are covered, with processing to the wei, by exits-devnet.spec.ts; root_mismatch and
// double_spend_across_blocks need earlier payments this test does not make).
import { test, expect } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, parseEther, Wallet } from 'ethers';
import { existsSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type * as Contracts from '../src/plasma/contracts';
import { bridgeRealServices, startRealServices } from './support/app';
import { serveDirectory, type StaticServer } from './support/static-server';
import { importPhrase, openScreen as screen } from './flows/wallet';

let server: StaticServer;
let c: typeof Contracts;
const PASSWORD = 'devnet cheats password';
const PHRASE = 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above';
// The withheld block is scenario 1 (exits-devnet.spec.ts), carried through processing.
const KINDS = [
  'bad_signature',
  'unknown_output',
  'double_spend_in_tx',
  'outputs_exceed_inputs',
  'malformed_transaction',
];

test.beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  c = (await tsImport('../src/plasma/contracts.ts', import.meta.url)) as typeof Contracts;
  server = await serveDirectory('out/renderer');
});
test.afterAll(async () => server?.close());

for (const kind of KINDS) {
  test(`${kind}: banner and safe mode; an exit in safe mode succeeds`, async ({ page }) => {
    test.setTimeout(180_000);
    const app = await startRealServices();
    const provider = new JsonRpcProvider(app.devnet.profile.rpcUrl, undefined, {
      cacheTimeout: -1,
      batchMaxCount: 1,
    });
    try {
      const user = HDNodeWallet.fromPhrase(PHRASE).connect(provider);
      const me = user.address.toLowerCase();
      const { contracts, finality } = app.devnet.profile;
      const funder = new Wallet(app.devnet.devKeys[8]!, provider);
      await (await funder.sendTransaction({ to: me, value: parseEther('1') })).wait();
      await (
        await user.sendTransaction(
          c.depositTxRequest(contracts, {
            owner: me,
            token: '0x' + '0'.repeat(40),
            amount: parseEther('0.1'),
          }),
        )
      ).wait();
      for (let i = 0; i <= finality.deposits; i++) await provider.send('evm_mine', []);

      await bridgeRealServices(page, app);
      await page.goto(server.url);
      await importPhrase(page, PHRASE, PASSWORD);
      await screen(page, 'Exits');
      const review = page.getByRole('button', { name: /^Review the exit of output/ });
      await expect(async () => {
        await screen(page, 'Home');
        await screen(page, 'Exits');
        await expect(review).toHaveCount(1, { timeout: 1000 });
      }).toPass({ timeout: 60_000, intervals: [500, 1000, 2000] });

      await app.cheat(kind);
      await expect(page.getByRole('heading', { name: 'Safe mode: exits only' })).toBeVisible({
        timeout: 60_000,
      });
      await expect(page.getByRole('alert', { name: 'The chain is not safe' })).toBeVisible();

      await review.click();
      await page.getByRole('button', { name: 'Sign and start the exit' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'The exit started' })).toBeVisible({
        timeout: 60_000,
      });
      const logs = await provider.getLogs({
        address: contracts.paymentExitGame,
        topics: [c.paymentExitGameInterface.getEvent('ExitStarted')!.topicHash],
        fromBlock: 0,
      });
      expect(
        logs.filter(
          (l) => String(c.paymentExitGameInterface.parseLog(l)!.args[0]).toLowerCase() === me,
        ),
      ).toHaveLength(1);
    } finally {
      provider.destroy();
      await app.dispose();
    }
  });
}
