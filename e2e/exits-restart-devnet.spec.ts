// Scenario 5 on a real devnet with the real services: the window dies in the middle of exit
// everything (after the first exit left, while the second was being recorded in main's outbox); a
// new window unlocks, finds the outbox and finishes on its own. Ethereum sees exactly one exit per
// output and no transaction more than the three exits.
import { test, expect } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, parseEther, Wallet } from 'ethers';
import type * as Contracts from '../src/plasma/contracts';
import type { HandlerTable } from '../src/main/ipc/router';
import { installBridge } from './support/bridge';
import { bridgeRealServices, type RealServices } from './support/app';
import type { StaticServer } from './support/static-server';
import { startDevnetApp, stopDevnetApp } from './support/devnet-app';
import { expectHome, importPhrase, openScreen as screen } from './flows/wallet';

let server: StaticServer;
let app: RealServices;
let provider: JsonRpcProvider;
let c: typeof Contracts;
const PASSWORD = 'devnet restart password';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ({ server, app, provider, c } = await startDevnetApp());
});
test.afterAll(async () => {
  await stopDevnetApp({ server, app, provider });
});

test('killed in the middle of exit everything, the next start finishes without a second exit', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const user = HDNodeWallet.fromPhrase(PHRASE).connect(provider);
  const me = user.address.toLowerCase();
  const { contracts } = app.devnet.profile;
  const funder = new Wallet(app.devnet.devKeys[6]!, provider);
  await (await funder.sendTransaction({ to: me, value: parseEther('2') })).wait();
  for (const amount of [1n, 2n, 3n].map((n) => n * 10n ** 16n)) {
    const r = c.depositTxRequest(contracts, { owner: me, token: '0x' + '0'.repeat(40), amount });
    await (await user.sendTransaction(r)).wait();
  }
  for (let i = 0; i <= app.devnet.profile.finality.deposits; i++)
    await provider.send('evm_mine', []);
  const nonceBefore = await provider.getTransactionCount(me);

  // The first window: the second outbox record never comes back, and the window is closed.
  const first = await browser.newPage();
  let marks = 0;
  const table: HandlerTable = {
    ...app.table,
    'exit.outbox.markSent': async (params) => {
      marks++;
      if (marks === 2) await new Promise(() => undefined);
      return app.table['exit.outbox.markSent'](params);
    },
  };
  await installBridge(first, table, { events: app.services.events, dispatch: app.dispatch });
  await first.goto(server.url);
  await importPhrase(first, PHRASE, PASSWORD);
  await screen(first, 'Exits');
  const outputs = first.getByRole('list', { name: 'Outputs to exit' }).getByRole('listitem');
  await expect(async () => {
    await screen(first, 'Home');
    await first.getByRole('button', { name: /^Refresh/ }).click();
    await screen(first, 'Exits');
    await expect(outputs).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 90_000, intervals: [500, 1000, 2000] });
  await first.getByRole('button', { name: 'Plan exit everything' }).click();
  await expect(first.getByTestId('plan-summary')).toContainText('3 exits to start');
  await first.getByRole('button', { name: 'Sign and start all exits' }).click();
  await expect.poll(() => marks, { timeout: 90_000 }).toBe(2);
  await first.close();
  expect(await provider.getTransactionCount(me)).toBe(nonceBefore + 1);

  // The next window: unlocking resumes the outbox; the two exits left are sent, nothing twice.
  const second = await browser.newPage();
  await bridgeRealServices(second, app);
  await second.goto(server.url);
  await second.getByLabel('Password').fill(PASSWORD);
  await second.getByRole('button', { name: 'Unlock' }).click();
  await expectHome(second);
  await expect
    .poll(() => provider.getTransactionCount(me), { timeout: 90_000 })
    .toBe(nonceBefore + 3);
  await screen(second, 'Exits');
  await expect(second.getByRole('status').filter({ hasText: '2 exits sent' })).toBeVisible({
    timeout: 90_000,
  });
  const logs = await provider.getLogs({
    address: contracts.paymentExitGame,
    topics: [c.paymentExitGameInterface.getEvent('ExitStarted')!.topicHash],
    fromBlock: 0,
  });
  const mine = logs
    .map((l) => c.paymentExitGameInterface.parseLog(l)!)
    .filter((l) => String(l.args[0]).toLowerCase() === me);
  expect(new Set(mine.map((l) => String(l.args[1]))).size).toBe(3);
  expect(mine).toHaveLength(3);
  // Settling a moment longer sends nothing more.
  await second.getByRole('button', { name: 'Refresh exits' }).click();
  await expect(second.getByRole('table', { name: 'Exits' }).getByRole('row')).toHaveCount(4, {
    timeout: 90_000,
  });
  expect(await provider.getTransactionCount(me)).toBe(nonceBefore + 3);
  await second.close();
});
