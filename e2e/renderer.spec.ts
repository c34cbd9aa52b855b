// The built renderer in Chromium, talking to the real main-side handlers through the bridge.
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createHandlerTable, unavailableWalletHandlers } from '../src/main/ipc/app-handlers';
import { dispatch } from '../src/main/ipc/router';
import { installBridge } from './support/bridge';
import { saveScreen } from './support/screens';
import { serveDirectory, type StaticServer } from './support/static-server';

let server: StaticServer;

test.beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  server = await serveDirectory('out/renderer');
});
test.afterAll(async () => server?.close());

// A first run: no vault yet, the chain services not running.
const firstRun = {
  ...unavailableWalletHandlers('The wallet services are not running.'),
  'vault.load': () => ({ blob: null }),
};

const facts = {
  appVersion: '0.1.0',
  electronVersion: null,
  chromeVersion: null,
  nodeVersion: process.versions.node,
  platform: process.platform,
  arch: process.arch,
  dataDirectory: '/home/user/.config/Vigil',
};

test('the first screen shows what came through the handlers', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const log = await installBridge(page, createHandlerTable(facts, firstRun));
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Vigil' })).toBeVisible();
  await expect(page.getByTestId('app-version')).toHaveText('0.1.0');
  await expect(page.getByTestId('platform')).toHaveText(`${process.platform} (${process.arch})`);
  await expect(page.getByTestId('data-directory')).toHaveText('/home/user/.config/Vigil');
  await expect(page.getByTestId('runtime')).toHaveText(`Node ${process.versions.node}`);
  await expect(page.getByRole('heading', { name: 'Set up your wallet' })).toBeVisible();
  expect(log.requests.map((r) => r.method).sort()).toEqual([
    'app.dataDirectory',
    'app.platform',
    'app.version',
    'vault.load',
  ]);
  expect(errors).toEqual([]);
  await saveScreen(page, 'home-about');
});

test('a failing handler shows a readable error and a retry', async ({ page }) => {
  const table = createHandlerTable(facts, firstRun);
  let fail = true;
  await installBridge(page, {
    ...table,
    'app.platform': (p) => {
      if (fail) throw new Error('disk on fire');
      return table['app.platform'](p);
    },
  });
  await page.goto(server.url);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('failed inside Vigil');
  await expect(alert).not.toContainText('disk on fire');
  fail = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('platform')).toHaveText(`${process.platform} (${process.arch})`);
});

test('the page cannot reach the network: CSP blocks connections', async ({ page }) => {
  await installBridge(page, createHandlerTable(facts, firstRun));
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(server.url);
  await expect(page.getByTestId('app-version')).toHaveText('0.1.0');
  const outcome = await page.evaluate(async (url) => {
    try {
      await fetch(url);
      return 'fetched';
    } catch {
      return 'blocked';
    }
  }, server.url);
  expect(outcome).toBe('blocked');
  expect(violations.join('\n')).toContain('connect-src');
  // And a direct, malformed request through the bridge gets a typed error, not a throw.
  const response = await page.evaluate(() =>
    (
      window as unknown as { vigil: { request(m: string, p: unknown): Promise<unknown> } }
    ).vigil.request('app.version', { bogus: true }),
  );
  expect(response).toEqual(
    await dispatch(createHandlerTable(facts, firstRun), 'app.version', { bogus: true }),
  );
});
