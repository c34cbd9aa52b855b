// Scenario 5 on a real devnet: the app is killed in the middle of exit everything and finishes on
// the next start without sending any exit twice. Main's real services run in a process of their
// own (support/main-process.ts) that SIGKILLs itself at the two dangerous moments of an exit:
//   - after main relayed the second exit's Ethereum transaction, before it answered the window;
//   - after main recorded the second exit's hash in the outbox, before the window relayed it.
// The devnet lives in the test process and survives. A fresh main process on the same data dir and
// a new window that unlocks must finish the outbox on their own: Ethereum sees exactly one
// ExitStarted per output and exactly three transactions from the user (its nonce), every outbox
// entry ends confirmed, and a second hash for an exit already sent is refused with main's typed
// error, across the process boundary.
import { test, expect, type Page } from '@playwright/test';
import { HDNodeWallet, JsonRpcProvider, parseEther, Wallet } from 'ethers';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type * as Contracts from '../src/plasma/contracts';
import type { OutboxItem } from '../src/shared/exits';
import { installBridge, type BridgeLog } from './support/bridge';
import { serveDirectory, type StaticServer } from './support/static-server';
import {
  startMainProcess,
  startSharedDevnet,
  type MainProcess,
  type SharedDevnet,
} from './support/main-process';
import type { KillAfter } from './support/main-protocol';
import {
  expectHome,
  expectOutputsToExit,
  importPhrase,
  openScreen as screen,
} from './flows/wallet';

test.describe.configure({ mode: 'serial' });

let server: StaticServer;
let shared: SharedDevnet;
let provider: JsonRpcProvider;
let c: typeof Contracts;
const PASSWORD = 'devnet restart password';
const PHRASE_A = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PHRASE_B = 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  c = (await tsImport('../src/plasma/contracts.ts', import.meta.url)) as typeof Contracts;
  server = await serveDirectory('out/renderer');
  shared = await startSharedDevnet();
  provider = new JsonRpcProvider(shared.devnet.profile.rpcUrl, undefined, {
    cacheTimeout: -1,
    batchMaxCount: 1,
  });
});
test.afterAll(async () => {
  provider?.destroy();
  await server?.close();
  await shared?.dispose();
});

/** Three ETH deposits of the phrase's account, made outside the app; returns it and its nonce. */
async function depositThree(phrase: string, funderIndex: number) {
  const { devnet } = shared;
  const user = HDNodeWallet.fromPhrase(phrase).connect(provider);
  const me = user.address.toLowerCase();
  const funder = new Wallet(devnet.devKeys[funderIndex]!, provider);
  await (await funder.sendTransaction({ to: me, value: parseEther('2') })).wait();
  for (const amount of [1n, 2n, 3n].map((n) => n * 10n ** 16n)) {
    const r = c.depositTxRequest(devnet.profile.contracts, {
      owner: me,
      token: '0x' + '0'.repeat(40),
      amount,
    });
    await (await user.sendTransaction(r)).wait();
  }
  for (let i = 0; i <= devnet.profile.finality.deposits; i++) await provider.send('evm_mine', []);
  return { me, nonce: await provider.getTransactionCount(me) };
}

async function bridge(page: Page, main: MainProcess): Promise<BridgeLog> {
  return installBridge(page, main.table, { events: main.events, dispatch: main.dispatch });
}

/** The user's exits on chain, as the exit game logged them. */
async function exitsStartedBy(me: string) {
  const logs = await provider.getLogs({
    address: shared.devnet.profile.contracts.paymentExitGame,
    topics: [c.paymentExitGameInterface.getEvent('ExitStarted')!.topicHash],
    fromBlock: 0,
  });
  return logs
    .map((l) => c.paymentExitGameInterface.parseLog(l)!)
    .filter((l) => String(l.args[0]).toLowerCase() === me)
    .map((l) => String(l.args[1]));
}

/** The outbox as main left it on disk. */
function outboxOnDisk(dataDir: string): OutboxItem[] {
  const file = readdirSync(dataDir).find((f) => /^exit-outbox-.*\.json$/.test(f));
  if (!file) throw new Error(`no exit outbox in ${dataDir}`);
  return (JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as { items: OutboxItem[] }).items;
}

/** Requests of one method the window made, with main's answers. */
function answered(log: BridgeLog, method: string) {
  return log.messages.filter(
    (m): m is Extract<typeof m, { direction: 'response' }> =>
      m.direction === 'response' && m.method === method,
  );
}

/**
 * Imports the phrase in a window on a main process armed with `killAfter`, plans and signs exit
 * everything, and waits for main to die; returns the data dir it left.
 */
async function killedInExitEverything(
  page: Page,
  phrase: string,
  killAfter: KillAfter,
): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-killed-'));
  const main = await startMainProcess({ dataDir, profile: shared.devnet.profile, killAfter });
  try {
    await bridge(page, main);
    await page.goto(server.url);
    await importPhrase(page, phrase, PASSWORD);
    await expectOutputsToExit(page, 3);
    await page.getByRole('button', { name: 'Plan exit everything' }).click();
    await expect(page.getByTestId('plan-summary')).toContainText('3 exits to start');
    await page.getByRole('button', { name: 'Sign and start all exits' }).click();
    const end = await Promise.race([
      main.ended,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 120_000)),
    ]);
    expect(end?.signal).toBe('SIGKILL');
    // The window of a dead app: whatever it was waiting for failed, it sends nothing more.
    await page.close();
    return dataDir;
  } catch (error) {
    await main.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A fresh main process on the same data dir and a new window that unlocks: the outbox finishes on
 * its own. Returns the new window's bridge log and the outbox entries once all are confirmed.
 */
async function restartAndFinish(
  page: Page,
  dataDir: string,
  me: string,
  nonceBefore: number,
  summary: string,
): Promise<{ log: BridgeLog; main: MainProcess; items: OutboxItem[] }> {
  const main = await startMainProcess({ dataDir, profile: shared.devnet.profile });
  try {
    const log = await bridge(page, main);
    await page.goto(server.url);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expectHome(page);
    await expect
      .poll(() => provider.getTransactionCount(me), { timeout: 90_000 })
      .toBe(nonceBefore + 3);
    await screen(page, 'Exits');
    await expect(page.getByRole('status').filter({ hasText: summary })).toBeVisible({
      timeout: 90_000,
    });
    // Once the watcher sees every exit on chain, every entry is confirmed, none failed or pending.
    for (let i = 0; i <= shared.devnet.profile.finality.exits; i++)
      await provider.send('evm_mine', []);
    let items: OutboxItem[] = [];
    await expect
      .poll(
        async () => {
          const r = await main.dispatch(main.table, 'exit.outbox.list', { address: me });
          items = r.ok ? (r.value as OutboxItem[]) : [];
          return items.map((i) => i.state);
        },
        { timeout: 90_000 },
      )
      .toEqual(['confirmed', 'confirmed', 'confirmed']);
    const started = await exitsStartedBy(me);
    expect(started).toHaveLength(3);
    expect(new Set(started).size).toBe(3);
    // A second hash for an exit already sent: main's typed error comes through the proxy table
    // and the router as the bridge would give it to the window.
    expect(
      await main.dispatch(main.table, 'exit.outbox.markSent', {
        id: items[0]!.id,
        ethTxHash: `0x${'ab'.repeat(32)}`,
      }),
    ).toMatchObject({ ok: false, error: { code: 'already_sent' } });
    // Settling a moment longer sends nothing more.
    await page.getByRole('button', { name: 'Refresh exits' }).click();
    await expect(page.getByRole('table', { name: 'Exits' }).getByRole('row')).toHaveCount(4, {
      timeout: 90_000,
    });
    expect(await provider.getTransactionCount(me)).toBe(nonceBefore + 3);
    return { log, main, items };
  } catch (error) {
    await main.stop();
    throw error;
  }
}

test('killed right after main relayed an exit: the restart sends only the exit never sent', async ({
  browser,
}) => {
  test.setTimeout(360_000);
  const { me, nonce } = await depositThree(PHRASE_A, 6);
  const dataDir = await killedInExitEverything(await browser.newPage(), PHRASE_A, {
    method: 'eth.send',
    count: 2,
  });
  let main: MainProcess | undefined;
  try {
    // Two exits left main and were mined; the outbox says so; the third was never started.
    await expect.poll(() => provider.getTransactionCount(me), { timeout: 30_000 }).toBe(nonce + 2);
    expect(await exitsStartedBy(me)).toHaveLength(2);
    const left = outboxOnDisk(dataDir);
    expect(left.map((i) => i.state)).toEqual(['sent', 'sent', 'pending']);
    for (const item of left.slice(0, 2))
      expect((await provider.getTransactionReceipt(item.ethTxHash!))?.status).toBe(1);

    const page = await browser.newPage();
    const done = await restartAndFinish(
      page,
      dataDir,
      me,
      nonce,
      '1 exit sent; 2 already under way',
    );
    main = done.main;
    // The new window sent the third exit only, recording it once.
    expect(answered(done.log, 'eth.send')).toHaveLength(1);
    const marks = answered(done.log, 'exit.outbox.markSent').filter(
      (m) => (m.response as { ok: boolean }).ok,
    );
    expect(marks).toHaveLength(1);
    expect(done.items.slice(0, 2).map((i) => i.ethTxHash)).toEqual(
      left.slice(0, 2).map((i) => i.ethTxHash),
    );
    await page.close();
  } finally {
    await main?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('killed right after main recorded an exit, before it left: the restart sends that exit once', async ({
  browser,
}) => {
  test.setTimeout(360_000);
  const { me, nonce } = await depositThree(PHRASE_B, 7);
  const dataDir = await killedInExitEverything(await browser.newPage(), PHRASE_B, {
    method: 'exit.outbox.markSent',
    count: 2,
  });
  let main: MainProcess | undefined;
  try {
    // One exit left; the second has a hash in the outbox that Ethereum never received.
    await expect.poll(() => provider.getTransactionCount(me), { timeout: 30_000 }).toBe(nonce + 1);
    expect(await exitsStartedBy(me)).toHaveLength(1);
    const left = outboxOnDisk(dataDir);
    expect(left.map((i) => i.state)).toEqual(['sent', 'sent', 'pending']);
    expect((await provider.getTransactionReceipt(left[0]!.ethTxHash!))?.status).toBe(1);
    expect(await provider.getTransaction(left[1]!.ethTxHash!)).toBeNull();

    const page = await browser.newPage();
    const done = await restartAndFinish(
      page,
      dataDir,
      me,
      nonce,
      '2 exits sent; 1 already under way',
    );
    main = done.main;
    // The recorded-but-lost exit went again under a new hash, once, and the third once.
    expect(answered(done.log, 'eth.send')).toHaveLength(2);
    const marks = answered(done.log, 'exit.outbox.markSent').filter(
      (m) => (m.response as { ok: boolean }).ok,
    );
    expect(marks).toHaveLength(2);
    expect(done.items[0]!.ethTxHash).toBe(left[0]!.ethTxHash);
    expect(done.items[1]!.ethTxHash).not.toBe(left[1]!.ethTxHash);
    expect((await provider.getTransactionReceipt(done.items[1]!.ethTxHash!))?.status).toBe(1);
    await page.close();
  } finally {
    await main?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
