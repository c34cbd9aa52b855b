// Vigil's Electron entry point: single instance, one secure window, the IPC router. Everything with
// real logic lives in services that run without Electron (src/main/ipc, later the watcher).
import { app, BrowserWindow } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlerTable } from './ipc/app-handlers';
import { registerIpc } from './shell/ipc';
import { createMainWindow, defaultWindowPaths, denyAllPermissions } from './shell/window';

const mainDir = dirname(fileURLToPath(import.meta.url));
const log = (message: string): void => console.error(`[vigil] ${message}`);

export function start(): void {
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
    registerIpc(
      createHandlerTable({
        appVersion: app.getVersion(),
        electronVersion: process.versions['electron'] ?? null,
        chromeVersion: process.versions['chrome'] ?? null,
        nodeVersion: process.versions.node,
        platform: process.platform,
        arch: process.arch,
        dataDirectory: app.getPath('userData'),
      }),
      paths,
      log,
    );
    mainWindow = createMainWindow(paths);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(paths);
    });
  });
}

start();
