// Scenario 2 on a real devnet: every kind of invalid block the operator can make (every block cheat
// of devnet/operator/cheats.ts but the withheld block, which is scenario 1 in exits-devnet.spec.ts)
// turns the app's safe mode on under the banner, and an exit started in safe mode succeeds on chain.
// The watcher stops at the first bad block, so each kind gets its own devnet and services.
// root_mismatch and double_spend_across_blocks re-serve or re-spend an earlier payment: there the
// user first pays through the Send screen, and the payment must stay applied after the bad block
// (the recipient keeps it, the user's change output is what exits).
import { test, expect } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, parseEther, Wallet } from 'ethers';
import { existsSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type * as Contracts from '../src/plasma/contracts';
import type { BlockCheat } from '../devnet/operator/cheats';
import type { ChildAccount } from '../src/shared/wallet';
import { bridgeRealServices, startRealServices } from './support/app';
import { blockCheats } from './support/block-cheats';
import { serveDirectory, type StaticServer } from './support/static-server';
import { importPhrase, openScreen as screen } from './flows/wallet';

const BLOCK_CHEATS = blockCheats();
const KINDS = BLOCK_CHEATS.filter((k) => k !== 'withhold_block');
/** The cheats that need an output spent in an earlier block (devnet/README.md). */
const NEEDS_PAYMENT: ReadonlySet<BlockCheat> = new Set([
  'root_mismatch',
  'double_spend_across_blocks',
]);

let server: StaticServer;
let c: typeof Contracts;
const PASSWORD = 'devnet cheats password';
const PHRASE = 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above';
const DEPOSIT = parseEther('0.1');
const PAID = parseEther('0.02');
/** The devnet's payment fee (1 gwei, in ETH here). */
const FEE = 10n ** 9n;

test.beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  c = (await tsImport('../src/plasma/contracts.ts', import.meta.url)) as typeof Contracts;
  server = await serveDirectory('out/renderer');
});
test.afterAll(async () => server?.close());

test('covers every block cheat but the withheld block', () => {
  expect(BLOCK_CHEATS).toContain('withhold_block');
  expect(KINDS).toHaveLength(BLOCK_CHEATS.length - 1);
  for (const kind of NEEDS_PAYMENT) expect(KINDS).toContain(kind);
});

for (const kind of KINDS) {
  test(`${kind}: banner and safe mode; an exit in safe mode succeeds`, async ({ page }) => {
    test.setTimeout(240_000);
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
            amount: DEPOSIT,
          }),
        )
      ).wait();
      for (let i = 0; i <= finality.deposits; i++) await provider.send('evm_mine', []);

      await bridgeRealServices(page, app);
      await page.goto(server.url);
      await importPhrase(page, PHRASE, PASSWORD);
      await screen(page, 'Exits');
      const review = page.getByRole('button', { name: /^Review the exit of output/ });
      const untilOneOutput = () =>
        expect(async () => {
          await screen(page, 'Home');
          await screen(page, 'Exits');
          await expect(review).toHaveCount(1, { timeout: 1000 });
        }).toPass({ timeout: 60_000, intervals: [500, 1000, 2000] });
      await untilOneOutput();

      // The honest payment the cheat builds on: the user pays from the Send screen, and waits
      // until Vigil has validated its block.
      const payee = new Wallet(app.devnet.devKeys[9]!).address.toLowerCase();
      const payeeBalance = async () =>
        ((await app.table['chain.account']({ address: payee })) as ChildAccount).balances.find(
          (b) => BigInt(b.token) === 0n,
        )?.amount;
      if (NEEDS_PAYMENT.has(kind)) {
        await screen(page, 'Send');
        await page.getByLabel('Recipient address').fill(payee);
        await page.getByLabel('Amount').fill('0.02');
        await page.getByRole('button', { name: 'Review' }).click();
        await page.getByRole('button', { name: 'Sign and send' }).click();
        await expect(
          page.getByRole('status').filter({ hasText: 'accepted by the operator' }),
        ).toBeVisible({ timeout: 30_000 });
        await screen(page, 'Home');
        await expect(async () => {
          await page.getByRole('button', { name: /^Refresh/ }).click();
          await expect(page.getByRole('list', { name: 'Pending payments' })).toHaveCount(0, {
            timeout: 1000,
          });
          expect(await payeeBalance()).toBe(PAID.toString());
        }).toPass({ timeout: 60_000, intervals: [500, 1000, 2000] });
        await untilOneOutput();
      }

      await app.cheat(kind);
      await expect(page.getByRole('heading', { name: 'Safe mode: exits only' })).toBeVisible({
        timeout: 60_000,
      });
      await expect(page.getByRole('alert', { name: 'The chain is not safe' })).toBeVisible();
      const snapshot = (await app.table['chain.snapshot']({})) as { events: { kind: string }[] };
      expect(snapshot.events.map((e) => e.kind)).toContain('invalid_block');

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
      const mine = logs
        .map((l) => c.paymentExitGameInterface.parseLog(l)!)
        .filter((l) => String(l.args[0]).toLowerCase() === me);
      expect(mine).toHaveLength(1);
      const [record] = c.decodeStandardExitsResult(
        await provider.call(
          c.standardExitsCall(contracts.paymentExitGame, [mine[0]!.args[1] as bigint]),
        ),
      );
      expect(record!.exitTarget).toBe(me);
      if (NEEDS_PAYMENT.has(kind)) {
        // The payment stays applied: the change exits (not the spent deposit), the payee keeps it.
        expect(record!.amount).toBe(DEPOSIT - PAID - FEE);
        expect(record!.utxoPos / 1_000_000_000n).toBeGreaterThanOrEqual(1000n);
        expect(await payeeBalance()).toBe(PAID.toString());
      } else {
        expect(record!.amount).toBe(DEPOSIT);
      }
    } finally {
      provider.destroy();
      await app.dispose();
    }
  });
}
