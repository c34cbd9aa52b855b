// Vigil's Electron entry point: single instance, one secure window, the IPC router, the wallet's
// services and their events. Everything with real logic lives in services that run without
// Electron (src/main/ipc, src/main/wallet, the watcher).
import { app, BrowserWindow } from 'electron';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlerTable } from './ipc/app-handlers';
import { electronNotifier, forwardAppEvents } from './shell/events';
import { registerIpc } from './shell/ipc';
import { childProcessDevnet } from './wallet/devnet-process';
import { deferredWalletHandlers, startAppServices, type AppServices } from './wallet/services';
import { createMainWindow, defaultWindowPaths, denyAllPermissions } from './shell/window';

const mainDir = dirname(fileURLToPath(import.meta.url));
const log = (message: string): void => console.error(`[vigil] ${message}`);

export function start(): void {
  // The watcher's V8 heap settings (src/main/headless/v8-flags.ts) reach this process only from its
  // own command line: `npm start` launches Electron with --js-flags (scripts/start.mjs).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const paths = defaultWindowPaths(mainDir, process.env['ELECTRON_RENDERER_URL']);
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    denyAllPermissions();
    const dataDirectory = app.getPath('userData');
    // VIGIL_WALLET_SERVICES=off starts the shell alone (the main-bundle test does).
    let running: AppServices | undefined;
    const notifier = electronNotifier(
      () => running?.settings().notifications ?? true,
      () => mainWindow,
    );
    const services: Promise<AppServices> | undefined =
      process.env['VIGIL_WALLET_SERVICES'] === 'off'
        ? undefined
        : startAppServices({
            dataDir: dataDirectory,
            launchDevnet: childProcessDevnet(resolve(mainDir, '../..'), log),
            log,
            notifier,
          });
    registerIpc(
      createHandlerTable(
        {
          appVersion: app.getVersion(),
          electronVersion: process.versions['electron'] ?? null,
          chromeVersion: process.versions['chrome'] ?? null,
          nodeVersion: process.versions.node,
          platform: process.platform,
          arch: process.arch,
          dataDirectory,
        },
        services ? deferredWalletHandlers(services) : undefined,
      ),
      paths,
      log,
    );
    mainWindow = createMainWindow(paths);
    services?.catch((error: unknown) => log(`the wallet services failed: ${String(error)}`));
    void services?.then((s) => {
      running = s;
      forwardAppEvents(s.events, () => mainWindow);
      let stopped = false;
      app.on('before-quit', (event) => {
        if (stopped) return;
        event.preventDefault();
        void s.stop().finally(() => {
          stopped = true;
          app.quit();
        });
      });
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(paths);
    });
  });
}

start();
