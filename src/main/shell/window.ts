// The main window and the security rules around it: sandboxed renderer, no Node, no navigation,
// no new windows, no permissions, a strict CSP, and IPC only from our own frame.
import { BrowserWindow, session, type WebContents } from 'electron';
import { join } from 'node:path';
import { RENDERER_CSP, devRendererCsp } from '../../shared/csp';

export interface WindowPaths {
  /** The built preload (CommonJS: a sandboxed preload cannot be an ES module). */
  preload: string;
  /** The built renderer's index.html. */
  rendererHtml: string;
  /** Set by `npm run dev`: the Vite dev server's URL. */
  devServerUrl?: string;
}

export function defaultWindowPaths(mainDir: string, devServerUrl?: string): WindowPaths {
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererHtml: join(mainDir, '../renderer/index.html'),
    ...(devServerUrl ? { devServerUrl } : {}),
  };
}

/** True for URLs that belong to our own renderer (the file we load, or the dev server). */
export function isOwnRendererUrl(url: string, paths: WindowPaths): boolean {
  if (paths.devServerUrl) return url.startsWith(paths.devServerUrl);
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'file:' &&
      decodeURIComponent(parsed.pathname).endsWith('/renderer/index.html')
    );
  } catch {
    return false;
  }
}

/** Everything the renderer asks the browser for (camera, notifications via web API, …) is refused. */
export function denyAllPermissions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler?.(() => false);
  const csp = (devServerUrl?: string) =>
    devServerUrl ? devRendererCsp(new URL(devServerUrl).origin) : RENDERER_CSP;
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp(process.env['ELECTRON_RENDERER_URL'])],
      },
    });
  });
}

/** No navigation away from the app and no new windows, whatever the renderer asks for. */
export function lockNavigation(contents: WebContents, paths: WindowPaths): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOwnRendererUrl(url, paths)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOwnRendererUrl(url, paths)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 880,
    minHeight: 600,
    show: false,
    title: 'Vigil',
    backgroundColor: '#0f1419',
    // Spelled out in place so static checkers (electronegativity) see every option.
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      preload: paths.preload,
    },
  });
  lockNavigation(win.webContents, paths);
  win.once('ready-to-show', () => win.show());
  if (paths.devServerUrl) void win.loadURL(paths.devServerUrl);
  else void win.loadFile(paths.rendererHtml);
  return win;
}
