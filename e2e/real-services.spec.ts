// The browser-test harness with the real main-side services (e2e/support/app.ts): a fresh devnet,
// startAppServices, the page's window.vigil wired to them with events, and the IPC recorder with
// its secret scan. The wallet screens' own runs use the same harness.
import { test, expect } from '@playwright/test';
import { existsSync } from 'node:fs';
import { bridgeRealServices, startRealServices, type RealServices } from './support/app';
import { findSecrets } from './support/secrets';
import { serveDirectory, type StaticServer } from './support/static-server';

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

test('the page reaches the real services, receives their events, and every message is recorded', async ({
  page,
}) => {
  const log = await bridgeRealServices(page, app);
  await page.goto(server.url);
  const snapshot = await page.evaluate(async () => {
    const vigil = (
      window as unknown as { vigil: { request(m: string, p?: unknown): Promise<unknown> } }
    ).vigil;
    return vigil.request('chain.snapshot', {});
  });
  expect(snapshot).toMatchObject({ ok: true, value: { network: { chainId: 31337 } } });

  const pushed = await page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const vigil = (
          window as unknown as { vigil: { on(e: string, l: (p: unknown) => void): () => void } }
        ).vigil;
        const off = vigil.on('chain.snapshot', (p) => {
          off();
          resolve(p);
        });
      }),
  );
  expect(pushed).toMatchObject({
    network: { name: app.devnet.profile.name },
    status: { kind: expect.any(String) },
  });
  await expect(
    page.evaluate(() => {
      const vigil = (window as unknown as { vigil: { on(e: string, l: () => void): () => void } })
        .vigil;
      vigil.on('wallet.secrets', () => undefined);
    }),
  ).rejects.toThrow(/no event named/);

  const directions = new Set(log.messages.map((m) => m.direction));
  expect([...directions].sort()).toEqual(['event', 'request', 'response']);
  expect(log.messages).toContainEqual(
    expect.objectContaining({ direction: 'request', method: 'chain.snapshot' }),
  );
  expect(log.messages).toContainEqual(
    expect.objectContaining({
      direction: 'response',
      method: 'chain.snapshot',
      response: expect.objectContaining({ ok: true }),
    }),
  );
});

test('the secret scan finds a password, a mnemonic or a private key in any recorded message', async ({
  page,
}) => {
  const log = await bridgeRealServices(page, app);
  await page.goto(server.url);
  const secrets = {
    password: 'Tr0ub4dor & a long phrase',
    mnemonic: 'test test test test test test test test test test test junk',
    privateKeys: [app.devnet.devKeys[1]!],
  };
  await page.evaluate(async () => {
    const vigil = (
      window as unknown as { vigil: { request(m: string, p?: unknown): Promise<unknown> } }
    ).vigil;
    await vigil.request('chain.fees', {});
  });
  expect(findSecrets(log.messages, secrets)).toEqual([]);

  await page.evaluate(async (key) => {
    const vigil = (
      window as unknown as { vigil: { request(m: string, p?: unknown): Promise<unknown> } }
    ).vigil;
    await vigil.request('vault.save', {
      blob: JSON.stringify({ oops: key.slice(2).toUpperCase() }),
    });
  }, secrets.privateKeys[0]!);
  expect(findSecrets(log.messages, secrets)).toContainEqual(
    expect.objectContaining({ direction: 'request', what: 'private key 0' }),
  );
  const words = secrets.mnemonic.split(' ').slice(4, 8).join('\n ');
  await page.evaluate(async (w) => {
    const vigil = (
      window as unknown as { vigil: { request(m: string, p?: unknown): Promise<unknown> } }
    ).vigil;
    await vigil.request('chain.history', { address: '0x' + '00'.repeat(20), search: w });
  }, words);
  expect(findSecrets(log.messages, secrets).map((f) => f.what)).toContainEqual(
    expect.stringMatching(/^mnemonic words/),
  );
});
