// The exit screens in Chromium, driven through a scripted main process (the wallet's scripted chain
// plus scripted exit services): review and start the exit of one output, process exits, challenge an
// invalid exit from its alert, safe mode closing Send, and exit everything through the outbox. Every
// transaction the renderer signs is decoded here to check what it asks Ethereum to do. The clock is
// fixed so the screenshots (test-results/screens, or e2e/screens on update) are the same every run.
import { test, expect, type Page } from '@playwright/test';
import { Transaction } from 'ethers';
import { existsSync } from 'node:fs';
import { createHandlerTable, type WalletHandlers } from '../src/main/ipc/app-handlers';
import { tsImport } from 'tsx/esm/api';
import type * as Contracts from '../src/plasma/contracts';
import type { TxRequest } from '../src/plasma/contracts';
import type {
  ExitView,
  NoticeView,
  OutboxItem,
  SafeModeState,
  UnsignedCall,
} from '../src/shared/exits';
import { installBridge } from './support/bridge';
import { saveScreen as shot } from './support/screens';
import { serveDirectory, type StaticServer } from './support/static-server';
import { ETH, VTT, scriptedChain } from './fakes/scripted-wallet';
import { importPhrase, openScreen as screen } from './flows/wallet';

let server: StaticServer;
// The encoders are loaded through tsx: Playwright's loader cannot import their ABI JSON files.
let c: typeof Contracts;
test.beforeAll(async () => {
  c = (await tsImport('../src/plasma/contracts.ts', import.meta.url)) as typeof Contracts;
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  server = await serveDirectory('out/renderer');
});
test.afterAll(async () => server?.close());

const PASSWORD = 'a long wallet password';
const DEV_PHRASE = 'test test test test test test test test test test test junk';
const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const GAME = '0x9a9f2ccfde556a7e9ff0848998aa4a0cfd8863ae';
const ATTACKER = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';
const BOND = 14_000_000_000_000_000n;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0) / 1000;
const PROOF = '0x' + '00'.repeat(512);
/** The watcher's event for an attacker's exit of an output already spent (deadline in 3 days). */
const INVALID_EXIT_EVENT = {
  id: 9,
  kind: 'invalid_exit',
  description:
    'Someone started an exit of output 2000000000 that was already spent. Challenge it before it is processed.',
  invalidating: false,
  details: {
    name: 'invalid_exit',
    utxo_pos: '2000000000',
    owner: ATTACKER,
    currency: ETH,
    amount: '1000',
    scheduled_finalization_time: NOW + 3 * 86400,
  },
  firstSeenAt: NOW * 1000,
};
const facts = {
  appVersion: '0.1.0',
  electronVersion: null,
  chromeVersion: null,
  nodeVersion: process.versions.node,
  platform: process.platform,
  arch: process.arch,
  dataDirectory: '/home/user/.config/Vigil',
  logDirectory: '/home/user/.config/Vigil/logs',
  devnetManaged: false,
};

const unsigned = (r: TxRequest): UnsignedCall => ({
  to: r.to,
  data: r.data,
  value: (r.value ?? 0n).toString(),
  gas: '250000',
});

/** Scripted exit services: Ethereum mines every send at once (the nonce counts them). */
function scriptedExits(chain: ReturnType<typeof scriptedChain>) {
  const framework = chain.state.snapshot.network.contracts.plasmaFramework;
  const sent: Transaction[] = [];
  const outbox: OutboxItem[] = [];
  const exits: ExitView[] = [
    {
      exitId: '111',
      utxoPos: '1003000000000',
      owner: ME,
      token: VTT,
      amount: '250000000',
      state: 'exitable',
      ethTxHash: '0x' + 'e1'.repeat(32),
      ethHeight: 200,
      exitableAt: NOW - 600,
      queuePosition: 1,
      exitsBefore: 1,
      invalid: false,
    },
  ];
  let safeMode: SafeModeState = { active: false, reason: null, since: null, acknowledgedAt: null };
  const exitData = (utxoPos: string) => {
    const u = (
      chain.handlers['chain.account']({ address: ME }) as {
        utxos: { utxoPos: string; token: string; amount: string }[];
      }
    ).utxos.find((x) => x.utxoPos === utxoPos)!;
    const txBytes = '0xf8' + utxoPos.slice(0, 4);
    return {
      utxoPos,
      txBytes,
      proof: PROOF,
      root: '0x' + '33'.repeat(32),
      token: u.token,
      amount: u.amount,
      bond: BOND.toString(),
      earliestProcessingAt: NOW + 7 * 86400,
      // Everybody's exits of the token due before it (main counts them all, not only ours).
      exitsBefore: 3,
      queueExists: true,
      calls: [
        unsigned(
          c.startStandardExitTx(GAME, {
            utxoPos: BigInt(utxoPos),
            outputTx: txBytes,
            outputTxInclusionProof: PROOF,
            bond: BOND,
          }),
        ),
      ],
    };
  };
  const startedBy = (tx: Transaction) => {
    if (tx.to!.toLowerCase() !== GAME || tx.value !== BOND) return;
    const [args] = c.paymentExitGameInterface.decodeFunctionData('startStandardExit', tx.data);
    const utxoPos = (args[0] as bigint).toString();
    const d = exitData(utxoPos);
    exits.push({
      exitId: String(200 + exits.length),
      utxoPos,
      owner: ME,
      token: d.token,
      amount: d.amount,
      state: 'started',
      ethTxHash: tx.hash! as `0x${string}`,
      ethHeight: 240,
      exitableAt: d.earliestProcessingAt,
      queuePosition: exits.length,
      exitsBefore: exits.length,
      invalid: false,
    });
  };
  const handlers = {
    ...chain.handlers,
    'eth.account': ({ address }: { address: string }) => ({
      address,
      eth: (10n ** 21n).toString(),
      tokens: [],
      nonce: sent.length,
    }),
    'eth.send': ({ raw }: { raw: string }) => {
      const tx = Transaction.from(raw);
      sent.push(tx);
      startedBy(tx);
      return { hash: tx.hash! };
    },
    'exit.list': () => exits,
    'exit.data': ({ utxoPos }: { utxoPos: string }) => exitData(utxoPos),
    'exit.challengeData': ({ utxoPos }: { utxoPos: string }) => ({
      exitId: '999',
      utxoPos,
      exitingTx: '0x01',
      txBytes: '0x02',
      inputIndex: 0,
      sig: '0x' + 'ab'.repeat(65),
      bondReward: BOND.toString(),
      call: unsigned(
        c.challengeStandardExitTx(GAME, {
          exitId: 999n,
          exitingTx: '0x01',
          challengeTx: '0x02',
          inputIndex: 0n,
          witness: '0x' + 'ab'.repeat(65),
          sender: ME,
        }),
      ),
    }),
    'exit.processCall': ({ token, maxExits }: { token: string; maxExits?: number }) =>
      unsigned(
        c.processExitsTx(framework, {
          token,
          topExitId: 0n,
          maxExitsToProcess: BigInt(maxExits ?? 1),
        }),
      ),
    'exit.plan': ({ address }: { address: string }) => {
      const utxos = (
        chain.handlers['chain.account']({ address }) as {
          utxos: { utxoPos: string; token: string; amount: string }[];
        }
      ).utxos;
      const items = utxos.map((u) => ({
        utxoPos: u.utxoPos,
        token: u.token,
        amount: u.amount,
        alreadyExiting: exits.some((e) => e.utxoPos === u.utxoPos),
      }));
      const todo = items.filter((i) => !i.alreadyExiting).length;
      return {
        address,
        items,
        missingQueues: [],
        totalBond: (BigInt(todo) * BOND).toString(),
        estimatedGas: String(todo * 250_000),
      };
    },
    'exit.outbox.add': ({
      address,
      utxoPositions,
    }: {
      address: string;
      utxoPositions: string[];
    }) => {
      for (const utxoPos of utxoPositions) {
        if (outbox.some((o) => o.utxoPos === utxoPos)) continue;
        outbox.push({
          id: outbox.length + 1,
          address: address as `0x${string}`,
          utxoPos,
          state: 'pending',
          ethTxHash: null,
          error: null,
          createdAt: NOW,
          updatedAt: NOW,
        });
      }
      return outbox;
    },
    'exit.outbox.list': () => outbox,
    'exit.outbox.markSent': ({ id, ethTxHash }: { id: number; ethTxHash: string }) => {
      const item = outbox.find((o) => o.id === id)!;
      Object.assign(item, { state: 'sent', ethTxHash });
      return item;
    },
    'safeMode.get': () => safeMode,
    'safeMode.acknowledge': () => {
      safeMode = { ...safeMode, active: false, acknowledgedAt: NOW };
      return safeMode;
    },
  };
  return {
    handlers: handlers as unknown as WalletHandlers,
    sent,
    outbox,
    exits,
    framework,
    setSafeMode: (s: SafeModeState) => (safeMode = s),
  };
}

async function open(page: Page) {
  const chain = scriptedChain();
  const exits = scriptedExits(chain);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (/Refused to .*Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.clock.setFixedTime(NOW * 1000);
  await installBridge(page, createHandlerTable(facts, exits.handlers), { events: chain.events });
  await page.goto(server.url);
  await importPhrase(page, DEV_PHRASE, PASSWORD);
  return { chain, exits, errors };
}

test('exit one output, process, and challenge an invalid exit from its alert', async ({ page }) => {
  test.setTimeout(120_000);
  const { chain, exits, errors } = await open(page);
  await test.step('review and start the exit of one output, from Home’s outputs list', async () => {
    await page.getByRole('button', { name: 'Exit output 1001000000000 to Ethereum' }).click();
    await expect(page.getByRole('table', { name: 'Exits' })).toContainText('exitable');
    await expect(page.getByRole('list', { name: 'Deadlines' })).toContainText('Process your exits');
    const review = page.getByRole('region', { name: 'Exit review' });
    await expect(review.getByTestId('exit-bond')).toHaveText('0.014 ETH');
    await expect(review).toContainText('in 7 days');
    await expect(review).toContainText(
      '3 exits of this token (everybody’s) would be processed before it',
    );
    await shot(page, 'exit-review');
    await review.getByRole('button', { name: 'Sign and start the exit' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The exit started' })).toBeVisible();
    expect(exits.sent).toHaveLength(1);
    const tx = exits.sent[0]!;
    expect(tx.from!.toLowerCase()).toBe(ME);
    expect([tx.to!.toLowerCase(), tx.value]).toEqual([GAME, BOND]);
    const [args] = c.paymentExitGameInterface.decodeFunctionData('startStandardExit', tx.data);
    expect(args[0]).toBe(1_001_000_000_000n);
    await expect(page.getByTestId('exit-1001000000000')).toContainText('in challenge period');
    await shot(page, 'exits');
  });

  await test.step('process the exitable exit and the one ahead of it', async () => {
    await page.getByRole('button', { name: 'Process exits of output 1003000000000' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Exits processed' })).toBeVisible();
    const tx = exits.sent[1]!;
    expect(tx.to!.toLowerCase()).toBe(exits.framework);
    const [vaultId, token, top, max] = c.plasmaFrameworkInterface.decodeFunctionData(
      'processExits',
      tx.data,
    );
    expect([vaultId, String(token).toLowerCase(), top, max]).toEqual([2n, VTT, 0n, 2n]);
  });

  await test.step('challenge an invalid exit from its alert; the bond reward is shown', async () => {
    chain.state.snapshot = { ...chain.state.snapshot, events: [INVALID_EXIT_EVENT] };
    const challenge = page.getByRole('button', { name: /Challenge this exit/ });
    await expect(challenge).toHaveText(/you receive its 0\.014 ETH bond/, { timeout: 15_000 });
    await expect(page.getByRole('list', { name: 'Deadlines' })).toContainText(
      'Challenge the exit of output 2000000000',
      { timeout: 15_000 },
    );
    await shot(page, 'invalid-exit-alert');
    await challenge.click();
    await expect(page.getByRole('status').filter({ hasText: 'challenged' })).toBeVisible();
    const tx = exits.sent[2]!;
    expect(tx.to!.toLowerCase()).toBe(GAME);
    const [args] = c.paymentExitGameInterface.decodeFunctionData('challengeStandardExit', tx.data);
    expect(args[0]).toBe(999n);
  });
  expect(errors).toEqual([]);
});

test('safe mode warns on Send and closes Deposit; exit everything runs through the outbox once', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { exits, errors } = await open(page);
  exits.setSafeMode({
    active: true,
    reason: 'invalid_block',
    since: NOW - 60,
    acknowledgedAt: null,
  });
  await screen(page, 'Exits');
  await expect(page.getByRole('heading', { name: 'Safe mode: exits only' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Deadlines' })).toContainText('Exit everything');
  await screen(page, 'Send');
  await expect(page.getByRole('alert').filter({ hasText: 'Safe mode' })).toBeVisible();
  await shot(page, 'safe-mode-send');
  await screen(page, 'Deposit');
  await expect(page.getByRole('heading', { name: 'Deposit from Ethereum' })).toBeHidden();

  await screen(page, 'Exits');
  await page.getByRole('button', { name: 'Plan exit everything' }).click();
  const plan = page.getByRole('table', { name: 'Exit plan' });
  await expect(plan.getByRole('row')).toHaveCount(4);
  await expect(page.getByTestId('plan-summary')).toHaveText(
    /^2 exits to start · bonds 0\.028 ETH · estimated gas 500000$/,
  );
  await shot(page, 'exit-everything-plan');
  await page.getByRole('button', { name: 'Sign and start all exits' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 exits sent' })).toBeVisible();
  // The VTT output already has an exit on chain: only the two ETH outputs go.
  expect(exits.outbox.map((o) => [o.utxoPos, o.state])).toEqual([
    ['1001000000000', 'sent'],
    ['1002000000000', 'sent'],
  ]);
  // Each recorded hash is the transaction that was sent, and each output left exactly once.
  expect(exits.outbox.map((o) => o.ethTxHash)).toEqual(exits.sent.map((t) => t.hash));
  const started = exits.sent.map((t) =>
    String(c.paymentExitGameInterface.decodeFunctionData('startStandardExit', t.data)[0][0]),
  );
  expect(started).toEqual(['1001000000000', '1002000000000']);

  // Planning again finds nothing left to exit and sends nothing.
  await page.getByRole('button', { name: 'Plan exit everything' }).click();
  await expect(page.getByTestId('plan-summary')).toHaveText(/^0 exits to start/);
  await page.getByRole('button', { name: 'Sign and start all exits' }).click();
  await expect(page.getByRole('status').filter({ hasText: '0 exits sent' })).toBeVisible();
  expect(exits.sent).toHaveLength(2);

  await page.getByRole('button', { name: 'I understand: leave safe mode' }).click();
  await expect(page.getByRole('heading', { name: 'Safe mode: exits only' })).toBeHidden();
  await screen(page, 'Send');
  await expect(page.getByRole('alert').filter({ hasText: 'Safe mode' })).toBeHidden();
  expect(errors).toEqual([]);
});

test('a notice shows in the window with its deadline, and Open (or a click on the desktop notification) goes to its action', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { chain, errors } = await open(page);
  // Desktop notifications off: main shows none, the window still shows every notice.
  chain.state.settings = { ...chain.state.settings, notifications: false };
  chain.state.snapshot = { ...chain.state.snapshot, events: [INVALID_EXIT_EVENT] };
  const notice: NoticeView = {
    kind: 'invalid_exit',
    title: 'Invalid exit: challenge it',
    body: 'Someone started an exit of output 2000000000, which is already spent.',
    deadline: NOW + 3 * 86400,
    action:
      'Open Vigil and challenge the exit (Challenge this exit, in the alert) before its deadline.',
    route: { screen: 'exits', target: 'challenge', utxoPos: '2000000000' },
  };
  chain.emit('notice', notice);
  chain.emit('notice', notice);
  const notices = page.getByRole('region', { name: 'Notices' });
  const toast = notices.getByRole('article', { name: 'Invalid exit: challenge it' });
  await expect(toast).toBeVisible({ timeout: 15_000 });
  await expect(notices.getByRole('article')).toHaveCount(1);
  await expect(toast.getByTestId('notice-deadline')).toContainText('(in 3 days)');
  await shot(page, 'notice-toast');
  await toast.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { name: 'What to do by when' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Challenge this exit/ })).toBeFocused({
    timeout: 15_000,
  });
  await expect(notices.getByRole('article')).toHaveCount(0);

  // What main sends when the user clicks a desktop notification of a chain-invalidating event.
  await screen(page, 'History');
  chain.emit('notice.open', { screen: 'exits', target: 'exit-everything' });
  await expect(page.getByRole('button', { name: 'Plan exit everything' })).toBeFocused({
    timeout: 15_000,
  });
  expect(errors).toEqual([]);
});
