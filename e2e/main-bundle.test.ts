// Loads the BUILT main bundle (out/main/index.js) under Node with a stub `electron` module and
// checks what the shell sets up: window security, CSP, navigation lock, permissions, IPC.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as stub from './support/electron-stub';
import { RENDERER_CSP } from '../src/shared/csp';
import { REQUEST_CHANNEL } from '../src/shared/ipc';
import { loadMainBundle, ownFrame } from './support/main-bundle';

vi.mock('electron', () => import('./support/electron-stub'));

beforeAll(async () => {
  // The shell alone: the wallet services (a devnet, a watcher) are tested in src/main/wallet.
  process.env['VIGIL_WALLET_SERVICES'] = 'off';
  await loadMainBundle();
  stub.app.emitReady();
  await new Promise((r) => setTimeout(r, 20));
}, 120_000);

function mainWindow(): stub.BrowserWindow {
  const win = stub.BrowserWindow.instances[0];
  if (!win) throw new Error('the shell created no window');
  return win;
}

describe('the built main bundle under a stub electron', () => {
  it("passes the watcher's V8 heap settings to Electron before the app is ready", () => {});

  it('takes the single-instance lock', () => {
    expect(stub.app.lockRequested).toBe(true);
    expect(stub.app.quitCalled).toBe(false);
  });

  it('opens one window with the sandboxed, isolated web preferences', () => {
    expect(stub.BrowserWindow.instances).toHaveLength(1);
    const prefs = mainWindow().options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(prefs['preload'])).toMatch(/out[/\\]preload[/\\]index\.cjs$/);
    expect(mainWindow().loaded).toEqual({
      kind: 'file',
      target: resolve('out/renderer/index.html'),
    });
  });

  it('sends the strict CSP on every response and the build puts it in index.html', async () => {
    let headers: Record<string, string[]> = {};
    stub.permissions.headers?.(
      { responseHeaders: { 'X-Test': ['1'] } },
      (r: { responseHeaders: Record<string, string[]> }) => {
        headers = r.responseHeaders;
      },
    );
    expect(headers['Content-Security-Policy']).toEqual([RENDERER_CSP]);
    expect(headers['X-Test']).toEqual(['1']);
    expect(RENDERER_CSP).toContain("connect-src 'none'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toContain('unsafe-eval');
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync('out/renderer/index.html', 'utf8')).toContain(`content="${RENDERER_CSP}"`);
  });

  it('refuses navigation away from the app and every new window', () => {
    const contents = mainWindow().webContents;
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
      const redirect = { preventDefault: vi.fn() };
      contents.emit('will-redirect', redirect, url);
      expect(redirect.preventDefault, url).toHaveBeenCalled();
    }
    const own = { preventDefault: vi.fn() };
    contents.emit('will-navigate', own, pathToFileURL(resolve('out/renderer/index.html')).href);
    expect(own.preventDefault).not.toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      stub.permissions.request?.(null, permission, (granted: boolean) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(stub.permissions.check?.(null, 'media')).toBe(false);
  });

  it('registers the request handler and answers through the real handler table', async () => {
    const handle = stub.handlers.get(REQUEST_CHANNEL);
    expect(handle).toBeTypeOf('function');
    const version = await handle!(ownFrame(), 'app.version', {});
    expect(version).toEqual({ ok: true, value: expect.objectContaining({ app: '0.1.0-test' }) });
    const dir = await handle!(ownFrame(), 'app.dataDirectory', {});
    expect(dir).toEqual({ ok: true, value: { path: '/tmp/vigil-stub/userData' } });
  });

  it('covers the wallet requests too, answering service_unavailable without the services', async () => {
    const handle = stub.handlers.get(REQUEST_CHANNEL)!;
    expect(await handle(ownFrame(), 'vault.load', {})).toMatchObject({
      ok: false,
      error: { code: 'service_unavailable' },
    });
    expect(await handle(ownFrame(), 'chain.submit', { transaction: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    });
  });

  it('answers a malformed request with a typed error and no stack trace', async () => {
    const handle = stub.handlers.get(REQUEST_CHANNEL)!;
    const bad = (await handle(ownFrame(), 'app.version', { extra: 1 })) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid_params');
    expect(bad.error.message).not.toMatch(/\bat .*\.js:\d+/);
    expect(await handle(ownFrame(), 'wallet.steal', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await handle(ownFrame(), 42, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
  });

  it('refuses requests from any frame other than the Vigil renderer', async () => {
    const handle = stub.handlers.get(REQUEST_CHANNEL)!;
    const foreign = await handle(
      { senderFrame: { url: 'https://evil.example/' } },
      'app.version',
      {},
    );
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    const missing = await handle({ senderFrame: null }, 'app.version', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });
});
