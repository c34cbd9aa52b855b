// A stand-in for the `electron` module, so the built main bundle can be loaded under plain Node
// (no Electron binary can be downloaded here). It records what the shell asks Electron to do.
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

export interface StubWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
  /** What the shell sent to the renderer: [channel, ...args]. */
  sent: unknown[][];
  send(channel: string, ...args: unknown[]): void;
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances;
  }
  readonly webContents: StubWebContents;
  loaded: { kind: 'file' | 'url'; target: string } | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    const contents = new EventEmitter() as StubWebContents;
    contents.windowOpenHandler = null;
    contents.setWindowOpenHandler = (handler) => {
      contents.windowOpenHandler = handler;
    };
    contents.sent = [];
    contents.send = (channel, ...args) => {
      contents.sent.push([channel, ...args]);
    };
    this.webContents = contents;
    BrowserWindow.instances.push(this);
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = { kind: 'file', target: path };
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = { kind: 'url', target: url };
  }
  show(): void {}
  isDestroyed(): boolean {
    return false;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
}

/** Desktop notifications the shell showed; a test clicks one with `emit('click')`. */
export class Notification extends EventEmitter {
  static shown: { title: string; body: string }[] = [];
  static instances: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this.options);
    Notification.instances.push(this);
  }
}

export const handlers = new Map<string, Listener>();
export const ipcMain = {
  handle(channel: string, listener: Listener): void {
    handlers.set(channel, listener);
  },
  removeHandler(channel: string): void {
    handlers.delete(channel);
  },
};

export const permissions: {
  request: Listener | null;
  check: Listener | null;
  headers: Listener | null;
} = { request: null, check: null, headers: null };

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: Listener): void {
      permissions.request = handler;
    },
    setPermissionCheckHandler(handler: Listener): void {
      permissions.check = handler;
    },
    setDevicePermissionHandler(): void {},
    webRequest: {
      onHeadersReceived(handler: Listener): void {
        permissions.headers = handler;
      },
    },
  },
};

class StubApp extends EventEmitter {
  /** The command-line switches the shell appended (name → value). */
  readonly commandLine = {
    switches: new Map<string, string>(),
    appendSwitch(name: string, value = ''): void {
      this.switches.set(name, value);
    },
  };
  lockRequested = false;
  quitCalled = false;
  private readyResolve: (() => void) | null = null;
  private readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });
  requestSingleInstanceLock(): boolean {
    this.lockRequested = true;
    return true;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Test hook: what Electron does once it has started. */
  emitReady(): void {
    this.readyResolve?.();
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  /** Where getPath() puts the app's folders; a test with real services points it at a temp dir. */
  pathRoot = '/tmp/vigil-stub';
  getPath(name: string): string {
    return `${this.pathRoot}/${name}`;
  }
  quit(): void {
    this.quitCalled = true;
  }
  /** Test hook: what Electron does when the user quits: 'before-quit', which the shell may defer. */
  requestQuit(): boolean {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    return prevented;
  }
}

export const app = new StubApp();
export const contextBridge = { exposeInMainWorld(): void {} };
export const ipcRenderer = {
  invoke: async (): Promise<void> => undefined,
  on(): void {},
  removeListener(): void {},
};
export default {
  app,
  BrowserWindow,
  Notification,
  ipcMain,
  session,
  contextBridge,
  ipcRenderer,
};
